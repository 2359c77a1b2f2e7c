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


class DataCategory(models.TextChoices):
    """What kind of personal data a field or record holds (registry: ``access.registry``)."""

    ADMINISTRATIEF = "administratief", _("Registratie en proces")
    IDENTITEIT = "identiteit", _("Identiteit")
    CONTACT = "contact", _("Contactgegevens")
    HUISHOUDEN = "huishouden", _("Huishouden en netwerk")
    INKOMEN_SCHULDEN = "inkomen_schulden", _("Inkomen en schulden")
    WONEN = "wonen", _("Wonen")
    WERK_DAGBESTEDING = "werk_dagbesteding", _("Werk en dagbesteding")
    GEZONDHEID = "gezondheid", _("Gezondheid")
    PSYCHISCHE_GEZONDHEID = "psychische_gezondheid", _("Psychische gezondheid")
    VERSLAVING = "verslaving", _("Verslaving")
    VEILIGHEID = "veiligheid", _("Veiligheid")
    JUSTITIE = "justitie", _("Justitie")
    ONDERWIJS = "onderwijs", _("Onderwijs")
    NOTITIES = "notities", _("Notities")


# The categories a record's author can choose for its free text (contact moment, referral, agenda item,
# agreement): what the text is about. Registration, identity and contact data are fields, never a text's topic.
RECORD_CATEGORY_CHOICES = [
    (value, label)
    for value, label in DataCategory.choices
    if value not in (DataCategory.ADMINISTRATIEF, DataCategory.IDENTITEIT, DataCategory.CONTACT)
]

# GDPR art. 9: special categories of personal data need an art. 9(2) ground.
SPECIAL_CATEGORIES = frozenset({DataCategory.GEZONDHEID, DataCategory.PSYCHISCHE_GEZONDHEID, DataCategory.VERSLAVING})
# GDPR art. 10: criminal-offence data needs a ground in law (UAVG art. 31-33).
CRIMINAL_CATEGORIES = frozenset({DataCategory.JUSTITIE})
ALL_CATEGORIES = frozenset(DataCategory.values)

# Registry marker: the category of this field follows the record's ZRM life domain.
BY_LIFE_DOMAIN = "by_life_domain"
# Registry marker: the category of this field is the record's own ``category`` (chosen by its author, or
# following a goal's life domain): free text of a contact moment, referral, agenda item or agreement.
BY_RECORD_CATEGORY = "by_record_category"

# ZRM life domains (cases.constants.LifeDomain values) -> the data category their records hold.
LIFE_DOMAIN_CATEGORY = {
    "financien": DataCategory.INKOMEN_SCHULDEN,
    "werk_opleiding": DataCategory.WERK_DAGBESTEDING,
    "tijdsbesteding": DataCategory.WERK_DAGBESTEDING,
    "huisvesting": DataCategory.WONEN,
    "huiselijke_relaties": DataCategory.HUISHOUDEN,
    "geestelijke_gezondheid": DataCategory.PSYCHISCHE_GEZONDHEID,
    "lichamelijke_gezondheid": DataCategory.GEZONDHEID,
    "middelengebruik": DataCategory.VERSLAVING,
    "basale_adl": DataCategory.GEZONDHEID,
    "instrumentele_adl": DataCategory.GEZONDHEID,
    "sociaal_netwerk": DataCategory.HUISHOUDEN,
    "maatschappelijke_participatie": DataCategory.WERK_DAGBESTEDING,
    "justitie": DataCategory.JUSTITIE,
}


class LegalBasis(models.TextChoices):
    """GDPR art. 6(1)."""

    CONSENT = "6_1_a", _("Toestemming (AVG art. 6 lid 1 sub a)")
    LEGAL_OBLIGATION = "6_1_c", _("Wettelijke verplichting (AVG art. 6 lid 1 sub c)")
    PUBLIC_TASK = "6_1_e", _("Publieke taak (AVG art. 6 lid 1 sub e)")


class SpecialGround(models.TextChoices):
    """GDPR art. 9(2) (with the UAVG) for special categories."""

    NONE = "", _("Geen (geen bijzondere persoonsgegevens)")
    EXPLICIT_CONSENT = "9_2_a", _("Uitdrukkelijke toestemming (AVG art. 9 lid 2 sub a)")
    SOCIAL_SECURITY = "9_2_b", _("Sociale zekerheid en sociale bescherming (AVG art. 9 lid 2 sub b)")
    PUBLIC_INTEREST = "9_2_g", _("Zwaarwegend algemeen belang, sectorwet (AVG art. 9 lid 2 sub g)")
    CARE = "9_2_h", _("Zorg en sociale diensten (AVG art. 9 lid 2 sub h, UAVG art. 30)")


class CriminalGround(models.TextChoices):
    """GDPR art. 10 with UAVG art. 31-33 for criminal-offence data."""

    NONE = "", _("Geen (geen strafrechtelijke gegevens)")
    UAVG_32 = "uavg_32", _("Uitdrukkelijke toestemming of zorgbelang (UAVG art. 32)")
    UAVG_33 = "uavg_33", _("Wettelijke taak, sectorwet (UAVG art. 33)")


class PurposeLaw(models.TextChoices):
    WAMS = "wams", _("Wams (wetsvoorstel meervoudige problematiek)")
    WMO = "wmo", _("Wmo 2015")
    JEUGDWET = "jeugdwet", _("Jeugdwet")
    PARTICIPATIEWET = "participatiewet", _("Participatiewet")
    WGS = "wgs", _("Wet gemeentelijke schuldhulpverlening")
    MELDCODE = "meldcode", _("Wet verplichte meldcode huiselijk geweld en kindermishandeling")


class ConsentMethod(models.TextChoices):
    WRITTEN = "schriftelijk", _("Schriftelijk")
    ORAL = "mondeling", _("Mondeling, met getuige")
    DIGITAL = "digitaal", _("Digitaal")


class DisclosureChannel(models.TextChoices):
    PAGE = "pagina", _("Casuspagina geopend door partner")
    API = "api", _("API-bevraging door partner")
    MINUTES = "verslag", _("Verslag casusoverleg verstuurd")
    HANDOVER = "overdracht", _("Overdracht aan andere organisatie")
    EXPORT = "export", _("Export")
    SUBJECT_ACCESS = "inzage", _("Inzage aan betrokkene (AVG art. 15)")


class RetentionLaw(models.TextChoices):
    """Retention follows the law of the case (Selectielijst gemeenten 2020); configurable."""

    JEUGDWET = "jeugdwet", _("Jeugdwet")
    PARTICIPATIEWET = "participatiewet", _("Participatiewet")
    WMO = "wmo", _("Wmo 2015")
    WGS = "wgs", _("Wet gemeentelijke schuldhulpverlening")
    OVERIG = "overig", _("Overig (geen wet vastgelegd)")


# Defaults from DOMAIN.md §4; the beheerder changes them in the admin.
RETENTION_DEFAULT_YEARS = {
    RetentionLaw.JEUGDWET: 20,
    RetentionLaw.PARTICIPATIEWET: 10,
    RetentionLaw.WMO: 10,
    RetentionLaw.WGS: 10,
    RetentionLaw.OVERIG: 7,
}
