"""Which models django-auditlog records. Every change is stored with its actor."""

from auditlog.registry import auditlog


def register_models() -> None:
    from .models import ApiToken, Membership, Organisation, RoleRequest, Team, User

    auditlog.register(Organisation)
    auditlog.register(Team)
    auditlog.register(Membership)
    auditlog.register(RoleRequest)
    # The hash is not the key, but it has no business in a log; the usage time changes on every use.
    auditlog.register(ApiToken, exclude_fields=["key_hash", "last_used_at"])
    auditlog.register(User, exclude_fields=["password", "last_login"])
