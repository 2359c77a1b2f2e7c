from django.apps import AppConfig
from django.db.models.signals import post_migrate
from django.utils.translation import gettext_lazy as _


class AccountsConfig(AppConfig):
    name = "accounts"
    verbose_name = _("Accounts en organisaties")

    def ready(self) -> None:
        from . import audit, roles

        audit.register_models()
        # Framework hook, not domain flow: model permissions only exist after
        # post_migrate, so the role -> permission mapping is applied then.
        post_migrate.connect(roles.sync_role_permissions_after_migrate, dispatch_uid="accounts.sync_roles")
