from django.db import models
from django.utils.translation import gettext_lazy as _


class WorkplanStatus(models.TextChoices):
    CONCEPT = "concept", _("Concept")
    VASTGESTELD = "vastgesteld", _("Vastgesteld")
    HERZIEN = "herzien", _("Herzien")
    BEEINDIGD = "beeindigd", _("Beëindigd")


class GoalTerm(models.TextChoices):
    LONG = "lang", _("Lange termijn")
    SHORT = "kort", _("Korte termijn")


class GoalStatus(models.TextChoices):
    OPEN = "open", _("Open")
    LOOPT = "loopt", _("Loopt")
    BEHAALD = "behaald", _("Behaald")
    NIET_BEHAALD = "niet_behaald", _("Niet behaald")
    VERVALLEN = "vervallen", _("Vervallen")


CLOSED_GOAL_STATUSES = frozenset({GoalStatus.BEHAALD, GoalStatus.NIET_BEHAALD, GoalStatus.VERVALLEN})


class ActionStatus(models.TextChoices):
    GEPLAND = "gepland", _("Gepland")
    LOOPT = "loopt", _("Loopt")
    AFGEROND = "afgerond", _("Afgerond")
    GESTOPT = "gestopt", _("Gestopt")


CLOSED_ACTION_STATUSES = frozenset({ActionStatus.AFGEROND, ActionStatus.GESTOPT})


class Duty(models.TextChoices):
    """The coordinator's duties a–g (a–d from the draft law, e–g from practice)."""

    A = "a", _("a. Voortgang van het werkplan volgen")
    B = "b", _("b. Zorgen voor afstemming tussen partijen")
    C = "c", _("c. Casusoverleg bijeenroepen")
    D = "d", _("d. College informeren over voortgang en belemmeringen")
    E = "e", _("e. Inspelen op wijzigingen, werkplan actueel houden")
    F = "f", _("f. Cliënt en gezin periodiek betrekken")
    G = "g", _("g. Continuïteit van langetermijndoelen bewaken")


# Default interval per duty in days (configurable per team by the beheerder).
DEFAULT_DUTY_INTERVAL_DAYS = {"a": 42, "b": 90, "c": 90, "d": 91, "e": 91, "f": 42, "g": 91}
DEFAULT_REVIEW_INTERVAL_WEEKS = 13


class ObstacleCategory(models.TextChoices):
    REGELGEVING = "regelgeving", _("Regelgeving")
    CAPACITEIT = "capaciteit", _("Capaciteit")
    SAMENWERKING = "samenwerking", _("Samenwerking")
    FINANCIERING = "financiering", _("Financiering")
    INFORMATIE = "informatie", _("Informatie")
    WACHTLIJST = "wachtlijst", _("Wachtlijst")
    ANDERS = "anders", _("Anders")


class InvolvementHow(models.TextChoices):
    GESPREK = "gesprek", _("Gesprek")
    HUISBEZOEK = "huisbezoek", _("Huisbezoek")
    TELEFOON = "telefoon", _("Telefoon")
    VIDEO = "video", _("Video")
    CASUSOVERLEG = "casusoverleg", _("In het casusoverleg")
    SCHRIFTELIJK = "schriftelijk", _("Schriftelijk")


# Working age for the participation gap rule (Participatiewet: 18 to pension age).
WORKING_AGE_FROM = 18
WORKING_AGE_TO = 67
# Domains that count as participation or daytime activity.
PARTICIPATION_DOMAINS = frozenset({"werk_opleiding", "tijdsbesteding", "maatschappelijke_participatie"})
