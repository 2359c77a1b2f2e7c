"""Endpoints of the case file: clients, households, cases (team, ZRM scores, contacts) and signals.

Thin views: a serializer checks the input shape, ``access.policy`` and the
access helpers of ``cases.selectors`` decide what the user may see or change,
``cases.services`` do every write. Every read of personal data is queued in
the access log (written by the middleware in one INSERT per request).

A reference to an object the user may not see is answered exactly like a
reference to nothing: 404 in a path, "Onbekende ..." (400) in a body.

Modules: ``clients``, ``households``, ``cases`` (with the lists under a case) and ``signals``;
``common`` holds what they share (tags, messages, locking, access helpers, the case representation).
"""
