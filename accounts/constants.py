from django.db import models
from django.utils.translation import gettext_lazy as _


class Role(models.TextChoices):
    """The roles of DESIGN.md; each is a Django group with its model permissions."""

    WIJKCOACH = "wijkcoach", _("Wijkcoach")
    KLANTMANAGER = "klantmanager", _("Klantmanager werk en inkomen")
    WERKCOACH = "werkcoach", _("Werkcoach")
    REGISSEUR = "regisseur", _("Casusregisseur")
    TEAMLEIDER = "teamleider", _("Teamleider")
    BELEID = "beleid", _("Beleidsmedewerker")
    FG = "fg", _("Functionaris gegevensbescherming")
    BEHEERDER = "beheerder", _("Functioneel beheerder")
    PARTNER = "partner", _("Professional partnerorganisatie")


# Roles that work on cases of their own team (the "team roles" of the policy).
CASEWORK_ROLES = frozenset({Role.WIJKCOACH, Role.KLANTMANAGER, Role.WERKCOACH, Role.REGISSEUR, Role.TEAMLEIDER})

# Roles bound by the professional secrecy of social work (beroepsgeheim): they may write, and read within their
# team, notes under that secrecy. A klantmanager or werkcoach is not (ADR 0004).
SECRECY_ROLES = frozenset({Role.WIJKCOACH, Role.REGISSEUR})


class OrganisationType(models.TextChoices):
    GEMEENTE = "gemeente", _("Gemeente")
    ZORGAANBIEDER = "zorgaanbieder", _("Zorgaanbieder / GGZ")
    VEILIG_THUIS = "veilig_thuis", _("Veilig Thuis")
    ONDERWIJS = "onderwijs", _("Onderwijs")
    POLITIE = "politie", _("Politie")
    SCHULDHULPVERLENING = "schuldhulpverlening", _("Schuldhulpverlening")
    UWV = "uwv", _("UWV")
    WONINGCORPORATIE = "woningcorporatie", _("Woningcorporatie")
    OTHER = "other", _("Overig")
