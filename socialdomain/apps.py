from django.apps import AppConfig


class SocialDomainConfig(AppConfig):
    """The composition root: wiring, the health check and the demo data command."""

    name = "socialdomain"
    verbose_name = "Casusregie"
