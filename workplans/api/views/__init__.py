"""Endpoints of the workplan: the plan, its adopted versions, goals (reviews, actions),
duties a–g, obstacles and client involvement.

Thin views: a serializer checks the input shape, the case access helper
(``cases.selectors.case_get_for_user``, through ``workplans.selectors``)
decides what the user may see or change and writes the access log, and
``workplans.services`` do every write.

Every route under ``workplans/<uuid>`` first finds the plan, then asks the
case access helper about its case: 404 for a plan the user may not see
(existence never leaks), 403 for a reader who tries to write. A reference to
something the user may not see in a *body* is answered like a reference to
nothing: "Onbekende ..." (400).

Optimistic locking: the plan and its goals carry ``lockVersion``, sent as the
``ETag`` header. A PATCH must send it back in ``If-Match``: without it 428, with
a stale one 412; the service checks again under the compare-and-set.

Modules: ``plans`` (the plan, adoption, versions), ``goals`` (with reviews and actions) and ``duties``
(duties a–g, obstacles, client involvement); ``common`` holds what they and ``meeting_views`` share.
"""
