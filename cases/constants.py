from django.db import models
from django.utils.translation import gettext_lazy as _


class Gender(models.TextChoices):
    VROUW = "vrouw", _("Vrouw")
    MAN = "man", _("Man")
    ANDERS = "anders", _("Anders / X")
    ONBEKEND = "onbekend", _("Onbekend")


class Relation(models.TextChoices):
    OUDER = "ouder", _("Ouder")
    PARTNER = "partner", _("Partner")
    KIND = "kind", _("Kind")
    PLEEGKIND = "pleegkind", _("Pleegkind")
    OVERIG = "overig", _("Overig")


class CaseStatus(models.TextChoices):
    AANGEMELD = "aangemeld", _("Aangemeld")
    INTAKE = "intake", _("Intake")
    TRIAGE = "triage", _("Triage")
    ENKELVOUDIG_DOORVERWEZEN = "enkelvoudig_doorverwezen", _("Enkelvoudig doorverwezen")
    ACTIEF = "actief", _("Actief (gecoördineerde aanpak)")
    AFGESLOTEN = "afgesloten", _("Afgesloten")
    NAZORG = "nazorg", _("Nazorg")
    GEARCHIVEERD = "gearchiveerd", _("Gearchiveerd")


OPEN_STATUSES = frozenset(
    {
        CaseStatus.AANGEMELD,
        CaseStatus.INTAKE,
        CaseStatus.TRIAGE,
        CaseStatus.ENKELVOUDIG_DOORVERWEZEN,
        CaseStatus.ACTIEF,
        CaseStatus.NAZORG,
    }
)


class ClosingReason(models.TextChoices):
    DOELEN_BEHAALD = "doelen_behaald", _("Doelen behaald")
    DOORVERWEZEN = "doorverwezen", _("Doorverwezen naar passende hulp")
    CLIENT_WIL_NIET = "client_wil_niet", _("Cliënt wil geen hulp meer")
    VERHUISD = "verhuisd", _("Verhuisd naar andere gemeente")
    OVERLEDEN = "overleden", _("Overleden")
    GEEN_CONTACT = "geen_contact", _("Geen contact mogelijk")
    ANDERS = "anders", _("Anders")


class Law(models.TextChoices):
    WMO = "wmo", _("Wmo 2015")
    JEUGDWET = "jeugdwet", _("Jeugdwet")
    PARTICIPATIEWET = "participatiewet", _("Participatiewet")
    WGS = "wgs", _("Wet gemeentelijke schuldhulpverlening")


class SafetyConcern(models.TextChoices):
    GEEN = "", _("Geen")
    HUISELIJK_GEWELD = "huiselijk_geweld", _("Huiselijk geweld")
    KINDERMISHANDELING = "kindermishandeling", _("Kindermishandeling")
    BEIDE = "beide", _("Huiselijk geweld en kindermishandeling")


class CaseRole(models.TextChoices):
    COORDINATOR = "coordinator", _("Regievoerder")
    WIJKCOACH = "wijkcoach", _("Wijkcoach")
    KLANTMANAGER = "klantmanager", _("Klantmanager")
    WERKCOACH = "werkcoach", _("Werkcoach")
    PARTNER = "partner", _("Partner")


class Task(models.TextChoices):
    """The professional's 'hat': each task has its own legal basis."""

    TOELEIDING = "toeleiding", _("Toeleiding")
    HULPVERLENING = "hulpverlening", _("Hulpverlening")
    COORDINATIE = "coordinatie", _("Coördinatie")


class LifeDomain(models.TextChoices):
    """The 13 domains of the Zelfredzaamheid-Matrix 2017."""

    FINANCIEN = "financien", _("Financiën")
    WERK_OPLEIDING = "werk_opleiding", _("Werk & opleiding")
    TIJDSBESTEDING = "tijdsbesteding", _("Tijdsbesteding")
    HUISVESTING = "huisvesting", _("Huisvesting")
    HUISELIJKE_RELATIES = "huiselijke_relaties", _("Huiselijke relaties")
    GEESTELIJKE_GEZONDHEID = "geestelijke_gezondheid", _("Geestelijke gezondheid")
    LICHAMELIJKE_GEZONDHEID = "lichamelijke_gezondheid", _("Lichamelijke gezondheid")
    MIDDELENGEBRUIK = "middelengebruik", _("Middelengebruik")
    BASALE_ADL = "basale_adl", _("Basale ADL")
    INSTRUMENTELE_ADL = "instrumentele_adl", _("Instrumentele ADL")
    SOCIAAL_NETWERK = "sociaal_netwerk", _("Sociaal netwerk")
    MAATSCHAPPELIJKE_PARTICIPATIE = "maatschappelijke_participatie", _("Maatschappelijke participatie")
    JUSTITIE = "justitie", _("Justitie")


class ZrmScore(models.IntegerChoices):
    ACUUT = 1, _("1 – Acute problematiek")
    NIET_ZELFREDZAAM = 2, _("2 – Niet zelfredzaam")
    BEPERKT = 3, _("3 – Beperkt zelfredzaam")
    VOLDOENDE = 4, _("4 – Voldoende zelfredzaam")
    VOLLEDIG = 5, _("5 – Volledig zelfredzaam")


# Two assessors whose latest scores differ this much disagree visibly.
ZRM_DISAGREEMENT = 2


class Channel(models.TextChoices):
    HUISBEZOEK = "huisbezoek", _("Huisbezoek")
    TELEFOON = "telefoon", _("Telefoon")
    VIDEO = "video", _("Video")
    KANTOOR = "kantoor", _("Kantoor")
    EMAIL = "email", _("E-mail")
    BRIEF = "brief", _("Brief")


class SignalSource(models.TextChoices):
    BURGER = "burger", _("Burger")
    BUREN = "buren", _("Buren")
    PARTNER = "partner", _("Partnerorganisatie")
    HUISARTS = "huisarts", _("Huisarts")
    POLITIE = "politie", _("Politie")
    SCHOOL = "school", _("School")
    ANDERS = "anders", _("Anders")


class SignalOutcome(models.TextChoices):
    GEEN_ACTIE = "geen_actie", _("Geen actie")
    ENKELVOUDIG = "enkelvoudig_doorverwezen", _("Enkelvoudig doorverwezen")
    NIEUWE_CASUS = "nieuwe_casus", _("Nieuwe casus")
    BESTAANDE_CASUS = "bestaande_casus", _("Bij bestaande casus")


class InformedHow(models.TextChoices):
    TELEFOON = "telefoon", _("Telefonisch")
    BRIEF = "brief", _("Per brief")
    EMAIL = "email", _("Per e-mail")
    GESPREK = "gesprek", _("In een gesprek")
    NIET_MOGELIJK = "niet_mogelijk", _("Niet mogelijk (anoniem of onbereikbaar)")


class ReferralStatus(models.TextChoices):
    VERSTUURD = "verstuurd", _("Verstuurd")
    GEACCEPTEERD = "geaccepteerd", _("Geaccepteerd")
    AFGEWEZEN = "afgewezen", _("Afgewezen")
    AFGEROND = "afgerond", _("Afgerond: hulp gestart")
    INGETROKKEN = "ingetrokken", _("Ingetrokken")


class TriageDecision(models.TextChoices):
    ENKELVOUDIG = "enkelvoudig", _("Enkelvoudig: doorverwijzen naar één voorziening of partner en afsluiten")
    MEERVOUDIG = "meervoudig", _("Meervoudig: gecoördineerde aanpak met een regievoerder")


DEFAULT_TRIAGE_WORKING_DAYS = 5


# A referral's topic when its author did not choose one: what the kind of organisation it goes to stands for
# (organisation types of ``accounts.constants.OrganisationType``; data categories of ``consent.constants``).
REFERRAL_CATEGORY_BY_ORGANISATION_TYPE = {
    "schuldhulpverlening": "inkomen_schulden",
    "woningcorporatie": "wonen",
    "uwv": "werk_dagbesteding",
    "onderwijs": "onderwijs",
    "veilig_thuis": "veiligheid",
    "politie": "justitie",
}
