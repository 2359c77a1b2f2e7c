from django.conf import settings

from .navigation import items_for
from .selectors import user_roles


def navigation(request):
    context = {"municipality_name": settings.MUNICIPALITY_NAME}
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return {**context, "nav_items": []}
    roles = user_roles(user)
    return {**context, "nav_items": items_for(user, roles, request.path), "user_roles": roles}
