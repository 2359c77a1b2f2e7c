"""Which models django-auditlog records. Every change is stored with its actor."""

from auditlog.registry import auditlog


def register_models() -> None:
    from .models import Membership, Organisation, Team, User

    auditlog.register(Organisation)
    auditlog.register(Team)
    auditlog.register(Membership)
    auditlog.register(User, exclude_fields=["password", "last_login"])
