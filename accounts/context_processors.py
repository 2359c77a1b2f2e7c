from functools import cache

from django.conf import settings

from .navigation import items_for
from .selectors import bell_count, user_roles


def navigation(request):
    context = {"municipality_name": settings.MUNICIPALITY_NAME}
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return {**context, "nav_items": []}
    roles = user_roles(user)
    # A cached callable: the template calls it when it renders the bell, so the COUNT runs at most once
    # per response, and not at all where the header is not rendered (partials, e-mails).
    unread = cache(lambda: bell_count(user))
    return {**context, "nav_items": items_for(user, roles, request.path), "user_roles": roles, "unread_count": unread}
