from django.db import models
from django.utils.translation import gettext_lazy as _


class AccessAction(models.TextChoices):
    VIEW = "view", _("Bekeken")
    SEARCH = "search", _("Gezocht")
    LIST = "list", _("In lijst getoond")
    EXPORT = "export", _("Geëxporteerd")
    CHANGE = "change", _("Gewijzigd")
    DENIED = "denied", _("Geweigerd")
    LOOKUP = "lookup", _("Betrokkenheid opgezocht")


BREAK_GLASS_MAX_HOURS = 24
BREAK_GLASS_MIN_REASON = 20
