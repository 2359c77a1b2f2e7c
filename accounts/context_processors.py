from django.conf import settings
from django.utils.functional import SimpleLazyObject

from .navigation import items_for
from .selectors import user_roles


def navigation(request):
    context = {"municipality_name": settings.MUNICIPALITY_NAME}
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return {**context, "nav_items": []}
    roles = user_roles(user)
    # Lazy: the count query runs only when the header renders it.
    unread = SimpleLazyObject(lambda: user.notifications.filter(read_at__isnull=True).count())
    return {**context, "nav_items": items_for(user, roles, request.path), "user_roles": roles, "unread_count": unread}
