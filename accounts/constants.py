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
# team, notes under that secrecy. A klantmanager or werkcoach is not (ADR 0005).
SECRECY_ROLES = frozenset({Role.WIJKCOACH, Role.REGISSEUR})

# Roles that work in Beheer (the Django admin). ``is_staff`` follows them, like the groups follow the roles:
# nobody sets the flag by hand (a technical superuser comes from ``createsuperuser`` and keeps it).
STAFF_ROLES = frozenset({Role.BEHEERDER, Role.FG})

# The roles a teamleider may request, and decide on, for their own team. The others (beheerder, fg, beleid,
# partner) reach beyond the team's casework, so only functioneel beheerders request and decide them.
TEAM_GRANTABLE_ROLES = CASEWORK_ROLES

# How many API keys a user may hold at once: enough for a few integrations, few enough to stay overseeable.
API_TOKEN_MAX_ACTIVE = 10


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
