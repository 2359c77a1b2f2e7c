"""Demo case file: households, cases, ZRM scores, contacts, signals, referrals and intakes.

Loaded by ``manage.py seed_demo`` (only with DEMO_MODE on) after
``accounts.demo.seed_accounts``. Everything is written through
``cases.services``, the only writers of the case file.

All people are fictitious: names are combined from fixed lists, streets lie in
the fictitious town of Voorbeeldstad, e-mail addresses use the reserved
``.example`` domain and BSNs are numbers from 900000000 upward that pass the
11-test. Dates are relative to the day the seed runs and spread over the last
two years.

Deterministic and idempotent: one seeded ``random.Random`` drives every choice,
and when the first demo BSN already exists the seed does nothing. The whole
seed runs in one transaction, so it is all or nothing.
"""

from __future__ import annotations

import datetime
import random
import unicodedata
from collections.abc import Iterator
from dataclasses import dataclass, field

from django.db import transaction
from django.utils import timezone

from accounts.demo import MUNICIPALITY, TEAM_NOORD, TEAM_WI, TEAM_ZUID
from accounts.models import Organisation, Team, User
from consent.constants import ConsentMethod
from consent.models import BreakGlassGrant, Consent, LegalHold, Purpose

from .constants import (
    CaseRole,
    CaseStatus,
    Channel,
    ClosingReason,
    Gender,
    InformedHow,
    Law,
    LifeDomain,
    ReferralStatus,
    Relation,
    SafetyConcern,
    SignalOutcome,
    SignalSource,
    Task,
    TriageDecision,
)
from .models import Case, Client, Handover, Household, Referral
from .services import (
    IntakeDomainInput,
    ScoreInput,
    assessments_record,
    case_member_add,
    case_open,
    case_transition,
    client_create,
    contact_record,
    household_add_member,
    household_create,
    household_end_member,
    intake_record,
    intake_triage,
    referral_send,
    referral_transition,
    signal_record,
    signal_record_informed,
    signal_triage,
)
from .validators import bsn_is_valid

SEED = 20261123
FIRST_BSN_CANDIDATE = 900_000_000
CITY = "Voorbeeldstad"
DEMO_MAIL_DOMAIN = "voorbeeld.example"

S = CaseStatus
L = Law
D = LifeDomain

# --- Fictitious names and addresses -------------------------------------------------

# Family names per origin as (tussenvoegsel, name). Each household and single
# client gets a family name of its own.
FAMILY_NAMES: dict[str, list[tuple[str, str]]] = {
    origin: [(name.rpartition(" ")[0], name.rpartition(" ")[2]) for name in names.split(", ")]
    for origin, names in {
        "nl": "Hendriks, van Dijk, de Boer, van der Meer, Dekker, Brouwer, de Groot, Willems, van Leeuwen, Peters, "
        "van der Linden, Kok, de Jong, Vermeulen, van den Bosch, Koster, Prins, de Wit, van Wijk, Postma, Kuipers, "
        "van der Heijden, Veenstra, Schouten, de Haan, Huisman, Timmermans, van Beek, Hoekstra, Kramer, Wolters, "
        "van 't Hof, Groen, ter Horst, Zijlstra, van Rijn, Bosman, de Lange, Drenth, Oosterhuis",
        "tr": "Demir, Kaya, Şahin, Çelik, Aydın, Arslan, Doğan",
        "ma": "Benali, Tahiri, Bakkali, Ouali, Haddouchi, Azzouzi",
        "sr": "Ramdin, Pinas, Kromosoeto, Biharie, Sedney, Wijngaarde",
        "pl": "Nowak, Wójcik, Kaczmarek, Mazur",
        "sy": "Haddad, Darwish, Hamdan, Nasser",
        "er": "Tesfay, Haile, Kidane, Ghebremariam",
    }.items()
}

# Given names per origin and gender; Dutch names also per generation.
GIVEN_NAMES: dict[tuple[str, str], list[str]] = {
    ("nl-jong", "vrouw"): [
        "Emma",
        "Julia",
        "Mila",
        "Tess",
        "Sophie",
        "Zoë",
        "Saar",
        "Noor",
        "Fleur",
        "Lotte",
        "Yara",
        "Nina",
        "Isa",
    ],
    ("nl-jong", "man"): [
        "Sem",
        "Finn",
        "Milan",
        "Jesse",
        "Lucas",
        "Noah",
        "Levi",
        "Luuk",
        "Ties",
        "Bram",
        "Thijs",
        "Jayden",
        "Sven",
        "Liam",
    ],
    ("nl", "vrouw"): [
        "Ilse",
        "Inge",
        "Ellen",
        "Yvonne",
        "Monique",
        "Sandra",
        "Wendy",
        "Nicole",
        "Esther",
        "Chantal",
        "Anouk",
        "Femke",
        "Kim",
        "Marloes",
        "Jolanda",
        "Mirjam",
    ],
    ("nl", "man"): [
        "Mark",
        "Dennis",
        "Erik",
        "Stefan",
        "Bas",
        "Niels",
        "Jeroen",
        "Rik",
        "Kevin",
        "Martijn",
        "Sander",
        "Patrick",
        "Marco",
        "Joost",
        "Richard",
        "Wouter",
    ],
    ("nl-oud", "vrouw"): ["Gerda", "Wilma", "Riet", "Truus", "Corrie", "Annie", "Joke", "Tineke", "Ria", "Els"],
    ("nl-oud", "man"): ["Henk", "Gerrit", "Jan", "Wim", "Johan", "Cor", "Piet", "Hans", "Ton", "Klaas"],
    ("tr", "vrouw"): ["Ayşe", "Elif", "Zeynep", "Hatice", "Merve", "Esra", "Defne"],
    ("tr", "man"): ["Emre", "Murat", "Mehmet", "Burak", "Kerem", "Yusuf", "Efe", "Mert"],
    ("ma", "vrouw"): ["Samira", "Nadia", "Khadija", "Malika", "Sara", "Imane", "Yasmina"],
    ("ma", "man"): ["Mohamed", "Said", "Hamza", "Bilal", "Adam", "Rayan", "Ilias"],
    ("sr", "vrouw"): ["Priya", "Shanti", "Gwendolyn", "Kimberley", "Soraya", "Naomi"],
    ("sr", "man"): ["Ricardo", "Dwayne", "Rajesh", "Glenn", "Jermaine", "Anand"],
    ("pl", "vrouw"): ["Katarzyna", "Agnieszka", "Magdalena", "Zofia", "Anna"],
    ("pl", "man"): ["Piotr", "Tomasz", "Paweł", "Kacper", "Jakub"],
    ("sy", "vrouw"): ["Rania", "Lina", "Huda", "Nour", "Maya", "Layla"],
    ("sy", "man"): ["Omar", "Yousef", "Khaled", "Ahmad", "Karim", "Sami"],
    ("er", "vrouw"): ["Selam", "Helen", "Saba", "Eden", "Senait"],
    ("er", "man"): ["Yonas", "Dawit", "Samuel", "Robel", "Filmon"],
}

# Fictitious streets of Voorbeeldstad; Noord has postcodes 9711-9725, Zuid 9726-9747.
STREETS = {
    "noord": [
        "Lindelaan",
        "Meidoornstraat",
        "Kastanjeplein",
        "Molenweg",
        "Havenkade",
        "Zonnebloemstraat",
        "Noorderhaven",
    ],
    "zuid": ["Beukenlaan", "Zuiderpark", "Scheldestraat", "Rozenhof", "Esdoornweg", "Vlasakker", "Zuiderdiep"],
}
POSTCODE_RANGES = {"noord": (9711, 9725), "zuid": (9726, 9747)}
# Postcode letters; SA, SD and SS are never used in Dutch postcodes.
POSTCODE_LETTERS = "ABCEGHJKLMNPRTVWXZ"

# --- Case templates -----------------------------------------------------------------


@dataclass(frozen=True)
class Template:
    composition: str
    laws: tuple[str, ...]
    domains: tuple[str, ...]  # relevant ZRM domains; the first three are the core problems
    summary: str
    origins: tuple[str, ...] = ("nl", "nl", "nl", "nl", "tr", "ma", "sr", "pl")


TEMPLATES: dict[str, Template] = {
    "schulden_gezin": Template(
        "gezin",
        (L.PARTICIPATIEWET, L.WGS, L.JEUGDWET),
        (
            D.FINANCIEN,
            D.HUISVESTING,
            D.WERK_OPLEIDING,
            D.HUISELIJKE_RELATIES,
            D.GEESTELIJKE_GEZONDHEID,
            D.SOCIAAL_NETWERK,
        ),
        "Gezin met oplopende schulden en een dreigende huisuitzetting; het oudste kind verzuimt school.",
    ),
    "eenouder_overbelast": Template(
        "eenouder",
        (L.JEUGDWET, L.WMO, L.PARTICIPATIEWET),
        (
            D.GEESTELIJKE_GEZONDHEID,
            D.HUISELIJKE_RELATIES,
            D.FINANCIEN,
            D.TIJDSBESTEDING,
            D.SOCIAAL_NETWERK,
            D.WERK_OPLEIDING,
        ),
        "Alleenstaande ouder, overbelast; kind met gedragsproblemen op school, ouder leeft van een bijstandsuitkering.",
    ),
    "oudere_stel": Template(
        "stel_oud",
        (L.WMO,),
        (D.BASALE_ADL, D.INSTRUMENTELE_ADL, D.LICHAMELIJKE_GEZONDHEID, D.GEESTELIJKE_GEZONDHEID, D.SOCIAAL_NETWERK),
        "Ouder echtpaar; één partner met beginnende dementie, de ander is een overbelaste mantelzorger.",
        origins=("nl", "nl", "nl", "sr"),
    ),
    "huiselijk_geweld": Template(
        "gezin_jong",
        (L.JEUGDWET, L.WMO, L.PARTICIPATIEWET),
        (D.HUISELIJKE_RELATIES, D.GEESTELIJKE_GEZONDHEID, D.MIDDELENGEBRUIK, D.JUSTITIE, D.FINANCIEN, D.HUISVESTING),
        "Zorgen over spanningen en geweld thuis; de politie is ter plaatse geweest en Veilig Thuis is betrokken.",
    ),
    "ggz_ouder": Template(
        "gezin_of_eenouder",
        (L.WMO, L.JEUGDWET, L.PARTICIPATIEWET),
        (D.GEESTELIJKE_GEZONDHEID, D.HUISELIJKE_RELATIES, D.INSTRUMENTELE_ADL, D.SOCIAAL_NETWERK, D.TIJDSBESTEDING),
        "Ouder met psychische klachten; de kinderen nemen veel zorgtaken over.",
    ),
    "statushouder_gezin": Template(
        "statushouders",
        (L.PARTICIPATIEWET, L.JEUGDWET, L.WMO),
        (
            D.WERK_OPLEIDING,
            D.MAATSCHAPPELIJKE_PARTICIPATIE,
            D.FINANCIEN,
            D.SOCIAAL_NETWERK,
            D.INSTRUMENTELE_ADL,
            D.HUISVESTING,
        ),
        "Statushoudersgezin, net gehuisvest; inburgering loopt, post en regelzaken lukken nog niet, kinderen starten op school.",
        origins=("sy", "er"),
    ),
    "scheiding": Template(
        "gezin_scheiding",
        (L.JEUGDWET, L.WGS),
        (D.HUISELIJKE_RELATIES, D.FINANCIEN, D.HUISVESTING, D.GEESTELIJKE_GEZONDHEID, D.SOCIAAL_NETWERK),
        "Vechtscheiding; de kinderen zitten klem tussen de ouders en na de scheiding zijn er schulden ontstaan.",
    ),
    "jeugd_criminaliteit": Template(
        "gezin_tiener",
        (L.JEUGDWET, L.PARTICIPATIEWET),
        (D.JUSTITIE, D.WERK_OPLEIDING, D.HUISELIJKE_RELATIES, D.TIJDSBESTEDING, D.MIDDELENGEBRUIK),
        "Zoon van 16 is in aanraking gekomen met de politie en verzuimt school; ouders zoeken grip.",
    ),
    "beperking_kind": Template(
        "gezin",
        (L.JEUGDWET, L.WMO),
        (D.BASALE_ADL, D.TIJDSBESTEDING, D.SOCIAAL_NETWERK, D.HUISELIJKE_RELATIES, D.LICHAMELIJKE_GEZONDHEID),
        "Kind met een verstandelijke beperking; ouders zoeken dagbesteding en respijtzorg.",
    ),
    "werkloos_schulden_stel": Template(
        "stel_jong",
        (L.PARTICIPATIEWET, L.WGS),
        (D.FINANCIEN, D.WERK_OPLEIDING, D.HUISVESTING, D.GEESTELIJKE_GEZONDHEID, D.TIJDSBESTEDING),
        "Beide partners onlangs werkloos; betalingsachterstanden bij energie en zorgverzekering.",
    ),
    "bijstand_werk": Template(
        "eenouder",
        (L.PARTICIPATIEWET, L.WGS),
        (D.WERK_OPLEIDING, D.FINANCIEN, D.TIJDSBESTEDING, D.MAATSCHAPPELIJKE_PARTICIPATIE),
        "Langdurig in de bijstand; wil aan het werk maar heeft geen startkwalificatie.",
    ),
    "jongere_18": Template(
        "jongere",
        (L.JEUGDWET, L.PARTICIPATIEWET, L.WMO),
        (D.HUISVESTING, D.FINANCIEN, D.WERK_OPLEIDING, D.TIJDSBESTEDING, D.SOCIAAL_NETWERK, D.GEESTELIJKE_GEZONDHEID),
        "Jongere van 18 uit de jeugdhulp, zonder inkomen en zonder vaste woonplek (18-/18+).",
    ),
    "verslaving": Template(
        "alleenstaand",
        (L.WMO, L.WGS, L.PARTICIPATIEWET),
        (D.MIDDELENGEBRUIK, D.FINANCIEN, D.HUISVESTING, D.LICHAMELIJKE_GEZONDHEID, D.SOCIAAL_NETWERK, D.TIJDSBESTEDING),
        "Alleenstaande man met alcoholproblematiek, huurachterstand en weinig sociaal netwerk.",
    ),
    "vervuiling_oudere": Template(
        "oudere",
        (L.WMO,),
        (D.INSTRUMENTELE_ADL, D.HUISVESTING, D.LICHAMELIJKE_GEZONDHEID, D.SOCIAAL_NETWERK, D.BASALE_ADL),
        "Alleenstaande oudere vrouw; woning sterk vervuild, weinig contact met familie.",
        origins=("nl",),
    ),
}

# Intake texts per domain: (situation, question).
INTAKE_TEXTS = {
    D.FINANCIEN: (
        "Betalingsachterstanden bij huur, energie en zorgverzekering; post blijft ongeopend liggen.",
        "Overzicht krijgen in schulden en inkomsten.",
    ),
    D.WERK_OPLEIDING: ("Geen betaald werk en geen startkwalificatie.", "Een stap richting werk of opleiding."),
    D.TIJDSBESTEDING: ("De dagen hebben weinig structuur; veel tijd thuis.", "Een zinvolle dagbesteding vinden."),
    D.HUISVESTING: (
        "Huurachterstand; de woningcorporatie heeft een ontruimingsprocedure aangekondigd.",
        "De woning behouden.",
    ),
    D.HUISELIJKE_RELATIES: (
        "Veel spanning en ruzie thuis; de kinderen zijn er getuige van.",
        "Rust en veiligheid in het gezin.",
    ),
    D.GEESTELIJKE_GEZONDHEID: (
        "Somberheid en slaapproblemen; eerder behandeld bij de GGZ.",
        "Passende behandeling en steun.",
    ),
    D.LICHAMELIJKE_GEZONDHEID: (
        "Chronische pijnklachten en beperkte mobiliteit.",
        "Zorg en hulpmiddelen op elkaar afstemmen.",
    ),
    D.MIDDELENGEBRUIK: (
        "Dagelijks alcoholgebruik; ziet dat zelf nog niet als probleem.",
        "Minderen en in gesprek blijven over hulp.",
    ),
    D.BASALE_ADL: ("Heeft hulp nodig bij wassen en aankleden.", "Ondersteuning bij de persoonlijke verzorging."),
    D.INSTRUMENTELE_ADL: ("Huishouden en boodschappen lukken niet zelfstandig.", "Hulp bij het huishouden."),
    D.SOCIAAL_NETWERK: (
        "Klein netwerk; weinig contact met familie.",
        "Netwerk versterken, bijvoorbeeld met een maatje.",
    ),
    D.MAATSCHAPPELIJKE_PARTICIPATIE: (
        "Neemt nauwelijks deel aan activiteiten in de wijk; spreekt beperkt Nederlands.",
        "Taalles en vrijwilligerswerk.",
    ),
    D.JUSTITIE: ("Lopende strafzaak; contact met de reclassering.", "Afspraken met justitiële partners nakomen."),
}
INTAKE_OVERRIDES = {
    "jongere_18": {
        D.HUISVESTING: (
            "Slaapt afwisselend bij vrienden sinds het einde van de pleegzorgplaatsing.",
            "Een eigen kamer of begeleid wonen.",
        )
    },
    "oudere_stel": {
        D.HUISVESTING: (
            "Woning met trap; de slaapkamer boven is moeilijk bereikbaar.",
            "Aanpassing of een gelijkvloerse woning.",
        )
    },
    "huiselijk_geweld": {
        D.HUISELIJKE_RELATIES: (
            "Herhaalde escalaties tussen de ouders; de politie is ter plaatse geweest.",
            "Veiligheid van ouder en kinderen borgen.",
        )
    },
    "jeugd_criminaliteit": {
        D.WERK_OPLEIDING: (
            "Zoon verzuimt veel; de leerplichtambtenaar is betrokken.",
            "Terug naar school of een passende opleiding.",
        ),
        D.JUSTITIE: (
            "Zoon heeft een Halt-afdoening gehad; de jeugdreclassering is betrokken.",
            "Afspraken met de jeugdreclassering nakomen.",
        ),
    },
    "beperking_kind": {
        D.BASALE_ADL: (
            "Kind met een verstandelijke beperking heeft hulp nodig bij de verzorging.",
            "Ondersteuning en respijt voor de ouders.",
        )
    },
    "vervuiling_oudere": {
        D.INSTRUMENTELE_ADL: (
            "Woning is sterk vervuild; afval stapelt zich op.",
            "Opruimen en hulp bij het huishouden.",
        )
    },
}

# ZRM rationale per domain: (score 1-2, score 3, score 4-5).
RATIONALE = {
    D.FINANCIEN: (
        "Problematische schulden, geen overzicht.",
        "Schulden in beeld, betalingsregeling loopt.",
        "Vaste lasten worden op tijd betaald.",
    ),
    D.WERK_OPLEIDING: (
        "Geen werk of opleiding en geen zicht daarop.",
        "Volgt een re-integratietraject.",
        "Heeft werk of volgt een opleiding.",
    ),
    D.TIJDSBESTEDING: ("Geen dagritme.", "Enige structuur, nog wisselend.", "Heeft een vast dagritme."),
    D.HUISVESTING: (
        "Dreigende huisuitzetting of geen vaste woonplek.",
        "Woning behouden met afspraken.",
        "Stabiele en passende woning.",
    ),
    D.HUISELIJKE_RELATIES: (
        "Ernstige spanningen of onveiligheid thuis.",
        "Spanningen, afspraken worden nagekomen.",
        "Relaties thuis zijn stabiel.",
    ),
    D.GEESTELIJKE_GEZONDHEID: (
        "Ernstige klachten zonder behandeling.",
        "Klachten, in behandeling.",
        "Geen belemmerende klachten.",
    ),
    D.LICHAMELIJKE_GEZONDHEID: (
        "Ernstige klachten, zorg niet geregeld.",
        "Klachten, zorg is geregeld.",
        "Geen belemmerende klachten.",
    ),
    D.MIDDELENGEBRUIK: (
        "Gebruik bepaalt het dagelijks leven.",
        "Gebruik verminderd, in behandeling.",
        "Geen problematisch gebruik.",
    ),
    D.BASALE_ADL: (
        "Verzorging schiet tekort, hulp ontbreekt.",
        "Verzorging lukt met hulp.",
        "Verzorgt zichzelf zelfstandig.",
    ),
    D.INSTRUMENTELE_ADL: (
        "Huishouden loopt vast.",
        "Huishouden lukt met ondersteuning.",
        "Huishouden lukt zelfstandig.",
    ),
    D.SOCIAAL_NETWERK: ("Geïsoleerd, geen steun.", "Beperkt netwerk, enige steun.", "Voldoende steun uit het netwerk."),
    D.MAATSCHAPPELIJKE_PARTICIPATIE: ("Neemt niet deel.", "Neemt beperkt deel.", "Neemt actief deel."),
    D.JUSTITIE: ("Recente of lopende delicten.", "Justitiecontact, houdt zich aan afspraken.", "Geen justitiecontact."),
}

# Contact summaries per channel as (law the text presumes or "", text, what it is about: a data category).
CONTACT_TEXTS: dict[str, list[tuple[str, str, str]]] = {
    Channel.HUISBEZOEK: [
        ("", "Huisbezoek: hulpvraag en afspraken uit het plan doorgenomen.", "notities"),
        (L.JEUGDWET, "Huisbezoek; de situatie rond de kinderen besproken en vervolgafspraak gemaakt.", "huishouden"),
        ("", "Huisbezoek: post samen geordend en openstaande rekeningen in kaart gebracht.", "inkomen_schulden"),
        ("", "Huisbezoek: woning bekeken, afspraken over opruimen en hulp in het huishouden.", "wonen"),
        ("", "Huisbezoek: voortgang besproken; cliënt ervaart meer rust.", "notities"),
        (L.WGS, "Huisbezoek samen met de schuldhulpverlener; budgetplan uitgelegd.", "inkomen_schulden"),
    ],
    Channel.TELEFOON: [
        ("", "Telefonisch contact: afspraak voor een huisbezoek gepland.", "notities"),
        (
            L.PARTICIPATIEWET,
            "Gebeld over de aanvraag bijzondere bijstand; er ontbreken nog bankafschriften.",
            "inkomen_schulden",
        ),
        (L.WGS, "Telefonisch afgestemd over het eerste gesprek met de schuldhulpverlener.", "inkomen_schulden"),
        ("", "Cliënt belde: zorgen over een aanmaning van de energieleverancier.", "inkomen_schulden"),
        ("", "Telefonisch contact; afspraak verzet op verzoek van cliënt.", "notities"),
        (L.JEUGDWET, "Gebeld met de mentor van school over verzuim en afspraken.", "onderwijs"),
    ],
    Channel.VIDEO: [
        (L.WMO, "Videogesprek met cliënt en de GGZ-behandelaar over de voortgang.", "psychische_gezondheid"),
        ("", "Beeldbellen: werkplan doorgenomen en doelen bijgesteld.", "notities"),
    ],
    Channel.KANTOOR: [
        (L.PARTICIPATIEWET, "Gesprek op kantoor: re-integratie en sollicitaties besproken.", "werk_dagbesteding"),
        ("", "Gesprek op het wijkteamkantoor: toestemming en werkwijze toegelicht.", "notities"),
        ("", "Gesprek op kantoor: inkomsten en uitgaven samen doorgelopen.", "inkomen_schulden"),
    ],
    Channel.EMAIL: [
        ("", "E-mail: samenvatting van de afspraken uit het laatste gesprek gestuurd.", "notities"),
        (L.WGS, "E-mail van cliënt met een kopie van de betalingsregeling met de verhuurder.", "inkomen_schulden"),
        ("", "Informatie over gratis cliëntondersteuning gemaild.", "notities"),
    ],
    Channel.BRIEF: [
        ("", "Brief verstuurd met de uitnodiging voor het casusoverleg.", "notities"),
        (L.WGS, "Brief: bevestiging van de afspraken over de betalingsregeling.", "inkomen_schulden"),
    ],
}
CHANNEL_WEIGHTS = [
    (Channel.TELEFOON, 30),
    (Channel.HUISBEZOEK, 25),
    (Channel.KANTOOR, 15),
    (Channel.EMAIL, 15),
    (Channel.VIDEO, 10),
    (Channel.BRIEF, 5),
]

TRANSITION_REASONS = {
    ClosingReason.DOELEN_BEHAALD: "De doelen uit het plan zijn behaald; de situatie is stabiel.",
    ClosingReason.VERHUISD: "Het gezin is verhuisd naar een andere gemeente; warme overdracht aan het wijkteam daar.",
    ClosingReason.CLIENT_WIL_NIET: "Cliënt wil na herhaalde gesprekken geen hulp meer; de deur blijft open.",
    ClosingReason.GEEN_CONTACT: "Drie maanden geen contact mogelijk ondanks huisbezoeken, brieven en telefoontjes.",
    ClosingReason.DOORVERWEZEN: "Hulp is gestart bij de voorziening waarnaar is doorverwezen.",
}

# --- The plan: 46 cases over three teams, in every status -----------------------------


@dataclass(frozen=True)
class Spec:
    team: str  # "noord", "zuid" or "wi"
    status: str
    template: str
    single: bool = False
    safety: str = ""
    coordinator: str = ""  # username; by default the team's own professional
    partner: bool = False  # the GGZ professional joins the case team
    path: str = TriageDecision.MEERVOUDIG
    referral: tuple[str, str] = ("", "")  # (organisation, provision) of an enkelvoudig triage
    closing: str = ""
    via_signal: bool = False  # the case is opened by triaging a signal


ENKEL = TriageDecision.ENKELVOUDIG
HG = SafetyConcern.HUISELIJK_GEWELD
CR = ClosingReason

PLAN = [
    # Wijkteam Noord (wijkcoach, regisseur, teamleider)
    Spec("noord", S.AANGEMELD, "vervuiling_oudere", single=True, via_signal=True),
    Spec("noord", S.AANGEMELD, "scheiding", safety=HG),
    Spec("noord", S.INTAKE, "oudere_stel"),
    Spec("noord", S.INTAKE, "werkloos_schulden_stel"),
    Spec("noord", S.TRIAGE, "eenouder_overbelast"),
    Spec(
        "noord",
        S.ENKELVOUDIG_DOORVERWEZEN,
        "oudere_stel",
        path=ENKEL,
        referral=("", "Huishoudelijke hulp (Wmo-maatwerkvoorziening)"),
    ),
    Spec(
        "noord",
        S.ENKELVOUDIG_DOORVERWEZEN,
        "werkloos_schulden_stel",
        path=ENKEL,
        referral=("Schuldhulpverlening Voorbeeldstad", ""),
    ),
    Spec("noord", S.ACTIEF, "schulden_gezin", coordinator="regisseur"),
    Spec("noord", S.ACTIEF, "huiselijk_geweld", safety=HG, coordinator="regisseur"),
    Spec("noord", S.ACTIEF, "ggz_ouder", partner=True),
    Spec("noord", S.ACTIEF, "statushouder_gezin", coordinator="regisseur"),
    Spec("noord", S.ACTIEF, "jongere_18", single=True, partner=True),
    Spec("noord", S.ACTIEF, "beperking_kind"),
    Spec("noord", S.ACTIEF, "jeugd_criminaliteit"),
    Spec("noord", S.ACTIEF, "scheiding"),
    Spec("noord", S.AFGESLOTEN, "schulden_gezin", closing=CR.VERHUISD),
    Spec("noord", S.AFGESLOTEN, "eenouder_overbelast", closing=CR.DOELEN_BEHAALD),
    Spec("noord", S.NAZORG, "ggz_ouder", closing=CR.DOELEN_BEHAALD),
    Spec("noord", S.NAZORG, "statushouder_gezin", closing=CR.DOELEN_BEHAALD, coordinator="regisseur"),
    Spec(
        "noord",
        S.GEARCHIVEERD,
        "oudere_stel",
        path=ENKEL,
        referral=("", "Dagbesteding ouderen (Wmo)"),
        closing=CR.DOORVERWEZEN,
    ),
    Spec("noord", S.GEARCHIVEERD, "beperking_kind", closing=CR.DOELEN_BEHAALD),
    # Wijkteam Zuid (wijkcoach2)
    Spec("zuid", S.AANGEMELD, "eenouder_overbelast", via_signal=True),
    Spec("zuid", S.AANGEMELD, "schulden_gezin"),
    Spec("zuid", S.INTAKE, "ggz_ouder"),
    Spec("zuid", S.TRIAGE, "statushouder_gezin"),
    Spec(
        "zuid",
        S.ENKELVOUDIG_DOORVERWEZEN,
        "beperking_kind",
        path=ENKEL,
        referral=("", "Logeeropvang als respijtzorg (Jeugdwet)"),
    ),
    Spec(
        "zuid", S.ENKELVOUDIG_DOORVERWEZEN, "oudere_stel", path=ENKEL, referral=("", "Woningaanpassing: traplift (Wmo)")
    ),
    Spec("zuid", S.ACTIEF, "huiselijk_geweld", safety=SafetyConcern.BEIDE),
    Spec("zuid", S.ACTIEF, "schulden_gezin"),
    Spec("zuid", S.ACTIEF, "scheiding", safety=HG),
    Spec("zuid", S.ACTIEF, "verslaving", single=True, partner=True),
    Spec("zuid", S.ACTIEF, "ggz_ouder", safety=SafetyConcern.KINDERMISHANDELING, partner=True),
    Spec("zuid", S.ACTIEF, "jeugd_criminaliteit"),
    Spec("zuid", S.ACTIEF, "eenouder_overbelast"),
    Spec("zuid", S.AFGESLOTEN, "statushouder_gezin", closing=CR.DOELEN_BEHAALD),
    Spec("zuid", S.AFGESLOTEN, "werkloos_schulden_stel", closing=CR.GEEN_CONTACT),
    Spec("zuid", S.NAZORG, "schulden_gezin", closing=CR.DOELEN_BEHAALD),
    Spec("zuid", S.NAZORG, "scheiding", closing=CR.DOELEN_BEHAALD),
    Spec(
        "zuid", S.GEARCHIVEERD, "oudere_stel", path=ENKEL, referral=("Woonstichting Thuis", ""), closing=CR.DOORVERWEZEN
    ),
    Spec("zuid", S.GEARCHIVEERD, "jeugd_criminaliteit", closing=CR.CLIENT_WIL_NIET),
    # Werk en Inkomen (klantmanager, werkcoach)
    Spec("wi", S.AANGEMELD, "bijstand_werk", single=True),
    Spec("wi", S.INTAKE, "werkloos_schulden_stel"),
    Spec(
        "wi", S.ENKELVOUDIG_DOORVERWEZEN, "bijstand_werk", single=True, path=ENKEL, referral=("UWV Voorbeeldstad", "")
    ),
    Spec("wi", S.ACTIEF, "bijstand_werk", single=True),
    Spec("wi", S.ACTIEF, "werkloos_schulden_stel"),
    Spec("wi", S.AFGESLOTEN, "bijstand_werk", closing=CR.DOELEN_BEHAALD),
]

# Days before today that a case in this status was opened (min, max).
OPENED_DAYS_AGO = {
    S.AANGEMELD: (3, 20),
    S.INTAKE: (14, 40),
    S.TRIAGE: (21, 50),
    S.ENKELVOUDIG_DOORVERWEZEN: (40, 300),
    S.ACTIEF: (60, 540),
    S.AFGESLOTEN: (200, 600),
    S.NAZORG: (250, 650),
    S.GEARCHIVEERD: (450, 720),
}
REACHED_ACTIEF = frozenset({S.ACTIEF, S.AFGESLOTEN, S.NAZORG, S.GEARCHIVEERD})
CLOSED_PATH = {
    S.AFGESLOTEN: (S.AFGESLOTEN,),
    S.NAZORG: (S.AFGESLOTEN, S.NAZORG),
    S.GEARCHIVEERD: (S.AFGESLOTEN, S.NAZORG, S.GEARCHIVEERD),
}
TEAM_NAMES = {"noord": TEAM_NOORD, "zuid": TEAM_ZUID, "wi": TEAM_WI}
TEAM_PROFESSIONAL = {"noord": "wijkcoach", "zuid": "wijkcoach2", "wi": "klantmanager"}
WORK_TEMPLATES = frozenset(
    {
        "schulden_gezin",
        "statushouder_gezin",
        "jongere_18",
        "werkloos_schulden_stel",
        "bijstand_werk",
        "eenouder_overbelast",
    }
)
REFERRAL_CYCLE = [
    ReferralStatus.AFGEROND,
    ReferralStatus.GEACCEPTEERD,
    ReferralStatus.VERSTUURD,
    ReferralStatus.AFGEWEZEN,
    ReferralStatus.INGETROKKEN,
]
ENKELVOUDIG_REFERRAL_CYCLE = [
    ReferralStatus.GEACCEPTEERD,
    ReferralStatus.VERSTUURD,
    ReferralStatus.AFGEWEZEN,
    ReferralStatus.GEACCEPTEERD,
    ReferralStatus.VERSTUURD,
]
DECLINE_REASONS = [
    "Wachtlijst van meer dan zes maanden; cliënt valt buiten de doelgroep van dit aanbod.",
    "Eerst behandeling van de verslaving nodig voordat een schuldregeling mogelijk is.",
]


@dataclass(frozen=True)
class SignalSpec:
    team: str
    source: str
    what: str
    received: tuple[int, int]  # (days, hours) before now
    subject: str = ""  # who it is about, when the client is not known
    about: tuple[str, str, str] | None = None  # (team, status, template) of the planned case it concerns
    about_child: bool = False
    about_person: int = 0
    reporter: str = ""
    reporter_contact: str = ""
    outcome: str = ""  # empty: still open in the inbox
    note: str = ""
    informed: tuple[str, ...] = ()  # how the reporter, then the person reported, were informed
    actor: str = ""


SIGNALS = [
    # Wijkteam Noord: three open (one overdue), five triaged.
    SignalSpec(
        "noord",
        SignalSource.BUREN,
        "Buren zien de man al dagen niet buiten; de brievenbus puilt uit en de gordijnen blijven dicht.",
        (16, 3),
        subject="Oudere bewoner van de Molenweg, huisnummer onbekend",
    ),
    SignalSpec(
        "noord",
        SignalSource.HUISARTS,
        "De mantelzorger komt uitgeput op het spreekuur en zegt de zorg thuis niet meer vol te houden.",
        (1, 2),
        about=("noord", S.INTAKE, "oudere_stel"),
        about_person=1,
        reporter="Huisartsenpraktijk De Linde",
        reporter_contact=f"praktijk@delinde.{DEMO_MAIL_DOMAIN}",
    ),
    SignalSpec(
        "noord",
        SignalSource.BURGER,
        "Mevrouw kan na haar ontslag de huur niet meer betalen en weet niet waar ze moet beginnen.",
        (0, 3),
        subject="Bewoonster van de Lindelaan; meldt zichzelf",
        reporter="(melder is betrokkene)",
    ),
    SignalSpec(
        "noord",
        SignalSource.BUREN,
        "Geluidsoverlast en harde muziek in de avonden.",
        (3, 5),
        subject="Bewoners bovenwoning Kastanjeplein",
        outcome=SignalOutcome.GEEN_ACTIE,
        note="Geen zorgsignaal; melder gewezen op buurtbemiddeling en de woningcorporatie.",
        informed=(InformedHow.TELEFOON, InformedHow.NIET_MOGELIJK),
    ),
    SignalSpec(
        "noord",
        SignalSource.SCHOOL,
        "Kind komt de laatste weken vaak te laat en zonder ontbijt op school.",
        (2, 1),
        about=("noord", S.ACTIEF, "ggz_ouder"),
        about_child=True,
        reporter="Intern begeleider, Basisschool De Regenboog",
        reporter_contact=f"ib@deregenboog.{DEMO_MAIL_DOMAIN}",
        outcome=SignalOutcome.BESTAANDE_CASUS,
        note="Besproken met de regievoerder; onderwerp voor het volgende casusoverleg.",
        informed=(InformedHow.EMAIL, InformedHow.GESPREK),
    ),
    SignalSpec(
        "noord",
        SignalSource.PARTNER,
        "Bij een reparatieverzoek trof de woonconsulent een sterk vervuilde woning aan; bewoonster lijkt verward en eet slecht.",
        (2, 4),
        about=("noord", S.AANGEMELD, "vervuiling_oudere"),
        reporter="Woonconsulent, Woonstichting Thuis",
        reporter_contact=f"woonconsulent@woonstichtingthuis.{DEMO_MAIL_DOMAIN}",
        outcome=SignalOutcome.NIEUWE_CASUS,
        note="Zorgen op meerdere leefgebieden; huisbezoek gepland.",
        informed=(InformedHow.TELEFOON, InformedHow.GESPREK),
    ),
    SignalSpec(
        "noord",
        SignalSource.HUISARTS,
        "Patiënt heeft hulp nodig bij het aanvragen van een scootmobiel; verder redt hij zich goed.",
        (1, 6),
        subject="Patiënt van de huisartsenpraktijk, Noorderhaven",
        reporter="Praktijkondersteuner huisarts",
        outcome=SignalOutcome.ENKELVOUDIG,
        note="Doorverwezen naar het Wmo-loket voor een melding; geen verdere zorgen.",
        informed=(InformedHow.TELEFOON, InformedHow.BRIEF),
        actor="teamleider",
    ),
    SignalSpec(
        "noord",
        SignalSource.POLITIE,
        "De politie is twee keer ter plaatse geweest na een hoog opgelopen ruzie in de woning; de kinderen waren thuis.",
        (3, 2),
        about=("noord", S.ACTIEF, "huiselijk_geweld"),
        reporter="Wijkagent Noord",
        reporter_contact=f"wijkagent.noord@politie.{DEMO_MAIL_DOMAIN}",
        outcome=SignalOutcome.BESTAANDE_CASUS,
        note="Toegevoegd aan de casus; het veiligheidsplan wordt met Veilig Thuis herzien.",
        informed=(InformedHow.EMAIL, InformedHow.GESPREK),
    ),
    # Wijkteam Zuid: two open (one overdue), five triaged.
    SignalSpec(
        "zuid",
        SignalSource.POLITIE,
        "Jongeman van ongeveer 20 slaapt al een week in het park en lijkt verward.",
        (19, 5),
        subject="Jongvolwassene die rond het Zuiderpark op straat slaapt",
        reporter="Wijkagent Zuid",
        reporter_contact=f"wijkagent.zuid@politie.{DEMO_MAIL_DOMAIN}",
    ),
    SignalSpec(
        "zuid",
        SignalSource.SCHOOL,
        "Leerling is stil en teruggetrokken en vertelt dat er thuis vaak geen eten is.",
        (1, 1),
        subject="Leerling groep 6, woont aan de Beukenlaan",
        reporter="Leerkracht groep 6",
    ),
    SignalSpec(
        "zuid",
        SignalSource.BURGER,
        "Buurman lijkt eenzaam en komt weinig buiten.",
        (3, 3),
        subject="Buurman, Rozenhof",
        reporter="Buurvrouw (wil anoniem blijven)",
        outcome=SignalOutcome.GEEN_ACTIE,
        note="Na een huisbezoek bleek hulp al geregeld via de huisarts en de kerk; geen actie.",
        informed=(InformedHow.NIET_MOGELIJK, InformedHow.GESPREK),
    ),
    SignalSpec(
        "zuid",
        SignalSource.PARTNER,
        "Cliënt is niet verschenen op twee afspraken voor het stabiliseren van de schulden.",
        (2, 2),
        about=("zuid", S.ACTIEF, "schulden_gezin"),
        reporter="Schuldhulpverlening Voorbeeldstad",
        reporter_contact=f"intake@schuldhulp.{DEMO_MAIL_DOMAIN}",
        outcome=SignalOutcome.BESTAANDE_CASUS,
        note="De regievoerder neemt contact op en gaat mee naar de volgende afspraak.",
        informed=(InformedHow.EMAIL, InformedHow.TELEFOON),
    ),
    SignalSpec(
        "zuid",
        SignalSource.SCHOOL,
        "Kind is vaak afwezig; moeder is moeilijk bereikbaar en lijkt overbelast.",
        (3, 1),
        about=("zuid", S.AANGEMELD, "eenouder_overbelast"),
        about_child=True,
        reporter="Intern begeleider, Basisschool De Regenboog",
        reporter_contact=f"ib@deregenboog.{DEMO_MAIL_DOMAIN}",
        outcome=SignalOutcome.NIEUWE_CASUS,
        note="Zorgen over meerdere gezinsleden; casus voor het huishouden geopend.",
        informed=(InformedHow.EMAIL, InformedHow.GESPREK),
    ),
    SignalSpec(
        "zuid",
        SignalSource.BURGER,
        "Mantelzorger vraagt om respijt; de zorg voor haar moeder valt haar zwaar.",
        (1, 4),
        subject="Mantelzorger van haar moeder, Vlasakker",
        reporter="(melder is betrokkene)",
        outcome=SignalOutcome.ENKELVOUDIG,
        note="Doorverwezen naar het steunpunt mantelzorg voor respijtzorg.",
        informed=(InformedHow.TELEFOON, InformedHow.TELEFOON),
    ),
    SignalSpec(
        "zuid",
        SignalSource.HUISARTS,
        "Patiënt kwam onder invloed op het spreekuur en heeft een wond die slecht geneest.",
        (2, 5),
        about=("zuid", S.ACTIEF, "verslaving"),
        reporter="Huisartsenpraktijk Zuiderpark",
        reporter_contact=f"praktijk@zuiderpark.{DEMO_MAIL_DOMAIN}",
        outcome=SignalOutcome.BESTAANDE_CASUS,
        note="Gedeeld met de regievoerder en de GGZ-behandelaar; melder en betrokkene nog informeren.",
    ),
]


# --- Helpers ----------------------------------------------------------------------------


def demo_bsns(start: int = FIRST_BSN_CANDIDATE) -> Iterator[str]:
    """Fictitious BSNs: numbers from ``start`` upward that pass the 11-test."""
    number = start
    while number <= 999_999_999:
        candidate = f"{number:09d}"
        if bsn_is_valid(candidate):
            yield candidate
        number += 1


def _ascii(text: str) -> str:
    normalised = unicodedata.normalize("NFKD", text.replace("ı", "i").replace("ł", "l"))
    return "".join(c for c in normalised if c.isascii() and (c.isalnum() or c == "-")).lower()


@dataclass
class Person:
    given: str
    prefix: str
    family: str
    born: datetime.date
    gender: str
    relation: str
    valid_from: datetime.date | None = None
    valid_to: datetime.date | None = None
    with_bsn: bool = True
    client: Client | None = None

    def age_on(self, day: datetime.date) -> int:
        return day.year - self.born.year - ((day.month, day.day) < (self.born.month, self.born.day))


@dataclass
class Built:
    """What the seed made for one spec, for later steps (signals)."""

    spec: Spec
    people: list[Person]
    household: Household | None = None
    case: Case | None = None
    users: list[User] = field(default_factory=list)


class DemoSeeder:
    def __init__(self, users: dict[str, User]):
        # Seeded, non-cryptographic randomness: this is fictitious demo data only.
        self.rng = random.Random(SEED)  # noqa: S311
        self.users = users
        self.today = timezone.localdate()
        self.now = timezone.now()
        self.tz = timezone.get_current_timezone()
        self.bsns = demo_bsns()
        municipality = Organisation.objects.get(name=MUNICIPALITY)
        self.teams = {key: Team.objects.get(organisation=municipality, name=name) for key, name in TEAM_NAMES.items()}
        self.orgs = {org.name: org for org in Organisation.objects.all()}
        self.family_pool = {origin: self.rng.sample(names, len(names)) for origin, names in FAMILY_NAMES.items()}
        self.built: list[Built] = []
        self.referral_index = 0
        self.enkelvoudig_index = 0
        self.disagreement_index = 0

    # -- dates ---------------------------------------------------------------------------

    def days_ago(self, low: int, high: int) -> datetime.date:
        return self.today - datetime.timedelta(days=self.rng.randint(low, high))

    @staticmethod
    def workday(day: datetime.date, low: datetime.date, high: datetime.date) -> datetime.date:
        """``day`` moved off the weekend, staying within [low, high] where possible."""
        candidate = day
        while candidate.weekday() >= 5 and candidate > low:
            candidate -= datetime.timedelta(days=1)
        if candidate.weekday() >= 5:
            candidate = day
            while candidate.weekday() >= 5 and candidate < high:
                candidate += datetime.timedelta(days=1)
        return candidate

    def between(self, low: datetime.date, high: datetime.date) -> datetime.date:
        high = max(low, high)
        day = low + datetime.timedelta(days=self.rng.randint(0, (high - low).days))
        return self.workday(day, low, high)

    def at(self, day: datetime.date) -> datetime.datetime:
        moment = datetime.time(self.rng.randint(9, 16), self.rng.choice((0, 15, 30, 45)))
        return datetime.datetime.combine(day, moment, tzinfo=self.tz)

    # -- people ----------------------------------------------------------------------------

    def family_name(self, origin: str) -> tuple[str, str]:
        return self.family_pool[origin].pop()

    def person(
        self, origin: str, gender: str, age: int, relation: str, family: tuple[str, str], taken: set[str]
    ) -> Person:
        pool_origin = origin
        if origin == "nl":
            pool_origin = "nl-jong" if age < 21 else ("nl-oud" if age >= 66 else "nl")
        names = [n for n in GIVEN_NAMES[(pool_origin, gender)] if n not in taken] or GIVEN_NAMES[(pool_origin, gender)]
        given = self.rng.choice(names)
        taken.add(given)
        born = self.today - datetime.timedelta(days=age * 365 + self.rng.randint(15, 350))
        return Person(given, family[0], family[1], born, gender, relation)

    def compose(self, spec: Spec, template: Template, opened_on: datetime.date) -> list[Person]:
        """The household (or the single client) for ``spec``, with membership dates."""
        rng = self.rng
        origin = rng.choice([o for o in template.origins if self.family_pool[o]] or ["nl"])
        family = self.family_name(origin)
        taken: set[str] = set()
        kind = template.composition
        if spec.single and kind == "eenouder":
            kind = "alleenstaand"
        if kind == "gezin_of_eenouder":
            kind = rng.choice(("gezin", "eenouder"))

        def partner_family() -> tuple[str, str]:
            # Partners often keep their own family name.
            return family if rng.random() < 0.5 else rng.choice(FAMILY_NAMES[origin])

        def other(gender: str) -> str:
            return Gender.MAN if gender == Gender.VROUW else Gender.VROUW

        people: list[Person] = []
        start = opened_on - datetime.timedelta(days=rng.randint(2, 14) * 365)
        if kind in ("jongere", "alleenstaand", "oudere"):
            age, gender = {
                "jongere": (18, rng.choice((Gender.VROUW, Gender.MAN))),
                "alleenstaand": (
                    rng.randint(30, 58),
                    Gender.MAN if spec.template == "verslaving" else rng.choice((Gender.VROUW, Gender.MAN)),
                ),
                "oudere": (rng.randint(78, 90), Gender.VROUW),
            }[kind]
            return [self.person(origin, gender, age, Relation.OVERIG, family, taken)]
        if kind in ("stel_oud", "stel_jong"):
            low, high = (72, 88) if kind == "stel_oud" else (24, 45)
            age = rng.randint(low, high)
            gender = rng.choice((Gender.VROUW, Gender.MAN))
            first = self.person(origin, gender, age, Relation.PARTNER, family, taken)
            second = self.person(
                origin, other(gender), max(low, age + rng.randint(-4, 4)), Relation.PARTNER, partner_family(), taken
            )
            if kind == "stel_oud":
                start = opened_on - datetime.timedelta(days=rng.randint(30, 50) * 365)
            people = [first, second]
            if kind == "stel_jong" and rng.random() < 0.5:
                people.append(
                    self.person(
                        origin, rng.choice((Gender.VROUW, Gender.MAN)), rng.randint(0, 5), Relation.KIND, family, taken
                    )
                )
        else:
            parent_age = rng.randint(33, 48) if kind in ("gezin_tiener", "statushouders") else rng.randint(27, 46)
            first_gender = (
                Gender.VROUW if kind == "eenouder" and rng.random() < 0.85 else rng.choice((Gender.VROUW, Gender.MAN))
            )
            people.append(self.person(origin, first_gender, parent_age, Relation.OUDER, family, taken))
            if kind != "eenouder":
                second_age = max(22, parent_age + rng.randint(-5, 5))
                people.append(
                    self.person(origin, other(first_gender), second_age, Relation.OUDER, partner_family(), taken)
                )
            max_child_age = min(17, parent_age - 20)
            count = {"statushouders": rng.randint(2, 3), "gezin_jong": rng.randint(1, 3)}.get(kind, rng.randint(1, 3))
            if kind == "gezin" and rng.random() < 0.3:
                count += 1
            if kind == "gezin_tiener":
                people.append(self.person(origin, Gender.MAN, 16, Relation.KIND, family, taken))
                count -= 1
            for _ in range(count):
                top = 11 if kind == "gezin_jong" else max_child_age
                people.append(
                    self.person(
                        origin,
                        rng.choice((Gender.VROUW, Gender.MAN)),
                        rng.randint(0, top),
                        Relation.KIND,
                        family,
                        taken,
                    )
                )
            if kind == "gezin" and parent_age >= 40 and rng.random() < 0.3:
                # An adult child still living at home.
                people.append(
                    self.person(
                        origin,
                        rng.choice((Gender.VROUW, Gender.MAN)),
                        rng.randint(18, 21),
                        Relation.KIND,
                        family,
                        taken,
                    )
                )
            if kind == "statushouders":
                start = opened_on - datetime.timedelta(days=rng.randint(60, 300))
            if spec.template == "ggz_ouder" and rng.random() < 0.5:
                foster = self.person(
                    "nl",
                    rng.choice((Gender.VROUW, Gender.MAN)),
                    rng.randint(4, 14),
                    Relation.PLEEGKIND,
                    rng.choice(FAMILY_NAMES["nl"]),
                    taken,
                )
                foster.valid_from = max(foster.born, opened_on - datetime.timedelta(days=rng.randint(200, 900)))
                people.append(foster)
        # Adults formed the household as adults; children join at birth or when it was formed.
        adults_born = [
            p.born for p in people if p.relation in (Relation.OUDER, Relation.PARTNER) and p.valid_from is None
        ]
        if adults_born:
            start = max(start, max(adults_born).replace(year=max(adults_born).year + 19, day=1))
        for member in people:
            if member.valid_from is None:
                member.valid_from = max(member.born, start)
        if kind == "statushouders" and rng.random() < 0.6:
            # A grandmother who joined through family reunification; her BSN is not yet known.
            grandmother = self.person(origin, Gender.VROUW, rng.randint(62, 74), Relation.OVERIG, family, taken)
            grandmother.valid_from = min(
                self.today - datetime.timedelta(days=7), opened_on + datetime.timedelta(days=45)
            )
            grandmother.with_bsn = False
            people.append(grandmother)
        if kind == "gezin_scheiding":
            # One parent moved out shortly before the case opened: the history shows it.
            people[1].valid_to = opened_on - datetime.timedelta(days=rng.randint(10, 60))
        if kind == "eenouder" and not spec.single and rng.random() < 0.3:
            newcomer = self.person(
                origin,
                other(first_gender),
                parent_age + rng.randint(-3, 5),
                Relation.PARTNER,
                rng.choice(FAMILY_NAMES[origin]),
                taken,
            )
            newcomer.valid_from = self.today - datetime.timedelta(days=rng.randint(20, 150))
            people.append(newcomer)
        return people

    def create_clients(self, actor: User, spec: Spec, people: list[Person]) -> None:
        area = spec.team if spec.team in STREETS else self.rng.choice(("noord", "zuid"))
        streets = STREETS[area]
        low, high = POSTCODE_RANGES[area]
        letters = self.rng.choice(POSTCODE_LETTERS) + self.rng.choice(POSTCODE_LETTERS)
        address = {
            "street": self.rng.choice(streets),
            "house_number": str(self.rng.randint(1, 180)),
            "house_number_addition": self.rng.choice(("", "", "", "", "A", "B", "2")),
            "postcode": f"{self.rng.randint(low, high)} {letters}",
            "city": CITY,
        }
        for person in people:
            adult = person.age_on(self.today) >= 18
            email = ""
            if adult and self.rng.random() < 0.5:
                email = f"{_ascii(person.given)}.{_ascii(person.prefix + person.family)}@{DEMO_MAIL_DOMAIN}"
            person.client = client_create(
                actor=actor,
                bsn=next(self.bsns) if person.with_bsn else None,
                given_names=person.given,
                prefix=person.prefix,
                family_name=person.family,
                date_of_birth=person.born,
                gender=person.gender,
                email=email,
                **address,
            )

    def create_household(self, actor: User, people: list[Person]) -> Household:
        head = people[0]
        prefix = head.prefix[:1].upper() + head.prefix[1:]
        name = " ".join(p for p in ("Huishouden", prefix, head.family) if p)
        household = household_create(actor=actor, name=name)
        for person in sorted(people, key=lambda p: p.valid_from):
            member = household_add_member(
                actor=actor,
                household=household,
                client=person.client,
                relation=person.relation,
                valid_from=person.valid_from,
            )
            if person.valid_to:
                household_end_member(actor=actor, member=member, valid_to=person.valid_to)
        return household

    # -- the seed ------------------------------------------------------------------------------

    def run(self) -> None:
        dated = [
            (self.today if spec.via_signal else self.days_ago(*OPENED_DAYS_AGO[spec.status]), i, spec)
            for i, spec in enumerate(PLAN)
        ]
        for opened_on, _, spec in sorted(dated, key=lambda item: (item[0], item[1])):
            self.seed_case(spec, opened_on)
        self.seed_referrals()
        self.seed_signals()

    def seed_case(self, spec: Spec, opened_on: datetime.date) -> None:
        template = TEMPLATES[spec.template]
        opener = self.users[TEAM_PROFESSIONAL[spec.team]]
        people = self.compose(spec, template, opened_on)
        self.create_clients(opener, spec, people)
        built = Built(spec, people)
        self.built.append(built)
        if not spec.single:
            built.household = self.create_household(opener, people)
        if spec.via_signal:
            return  # opened later, by triaging a signal
        case = case_open(
            actor=opener,
            team=self.teams[spec.team],
            household=built.household,
            client=people[0].client if spec.single else None,
            laws=template.laws,
            safety_concern=spec.safety,
            summary=template.summary,
            opened_on=opened_on,
            add_actor_as=CaseRole.KLANTMANAGER if spec.team == "wi" else CaseRole.WIJKCOACH,
        )
        built.case = case
        built.users = [opener]
        adults = [p.client for p in people if p.age_on(self.today) >= 18 and p.valid_to is None] or [people[0].client]
        end = self.today - datetime.timedelta(days=2)
        if spec.status in CLOSED_PATH:
            end = min(
                self.today - datetime.timedelta(days=14),
                opened_on + datetime.timedelta(days=self.rng.randint(150, 400)),
            )

        if spec.status == S.AANGEMELD:
            self.contact(
                case,
                opener,
                self.workday(opened_on, opened_on - datetime.timedelta(days=3), self.today),
                Channel.TELEFOON,
                "Aanmelding telefonisch ontvangen; kennismaking thuis gepland.",
                "notities",
                adults[:1],
            )
            return

        conducted_on = self.between(
            opened_on + datetime.timedelta(days=5),
            min(opened_on + datetime.timedelta(days=14), self.today - datetime.timedelta(days=1)),
        )
        overrides = INTAKE_OVERRIDES.get(spec.template, {})
        domains = []
        for index, domain in enumerate(template.domains):
            situation, question = overrides.get(domain, INTAKE_TEXTS[domain])
            domains.append(
                IntakeDomainInput(domain, situation, question, help_needed=index < 3 or self.rng.random() < 0.5)
            )
        intake_record(
            actor=opener,
            case=case,
            domains=domains,
            notes=f"Keukentafelgesprek bij cliënt thuis. {template.summary} Cliënt staat open voor hulp.",
            conducted_on=conducted_on,
        )
        if spec.status == S.TRIAGE:
            case_transition(
                actor=opener,
                case=case,
                to_status=S.TRIAGE,
                reason="Intake besproken in het triageoverleg; besluit volgt na overleg met de betrokken partners.",
            )
        elif spec.status != S.INTAKE:
            case = self.triage(spec, case, opener)
        built.case = case

        # Who works on the case and who scores the ZRM.
        if spec.status in REACHED_ACTIEF and spec.path == TriageDecision.MEERVOUDIG:
            built.users = self.add_members(spec, case, template, opener)
            assessors = [u for u in built.users if u != self.users["partner"]]
            if len(assessors) < 2 and spec.team == "noord":
                assessors.append(self.users["regisseur"])  # a team colleague scores along
            self.assess(case, template, assessors, conducted_on, end, disagree=self.disagreement_index % 2 == 0)
            self.disagreement_index += 1
            contact_count = self.rng.randint(2, 7) if spec.status == S.ACTIEF else self.rng.randint(2, 4)
        else:
            if spec.status != S.INTAKE:
                self.assess(case, template, [opener], conducted_on, conducted_on, disagree=False)
            contact_count = self.rng.randint(1, 2)
        people_now = [p.client for p in people if p.valid_to is None]
        for _ in range(contact_count):
            professional = self.rng.choice([u for u in built.users if u != self.users["partner"]])
            channel = self.rng.choices([c for c, _ in CHANNEL_WEIGHTS], weights=[w for _, w in CHANNEL_WEIGHTS])[0]
            with_whom = (
                adults[:1]
                if channel in (Channel.EMAIL, Channel.BRIEF, Channel.TELEFOON)
                else self.rng.sample(people_now, min(len(people_now), self.rng.randint(1, 2)))
            )
            self.contact(
                case,
                professional,
                self.between(opened_on, end),
                channel,
                *self.rng.choice(
                    [(text, cat) for law, text, cat in CONTACT_TEXTS[channel] if not law or law in template.laws]
                ),
                with_whom,
            )

        if spec.status in CLOSED_PATH:
            for status in CLOSED_PATH[spec.status]:
                reason = {
                    S.AFGESLOTEN: TRANSITION_REASONS[spec.closing],
                    S.NAZORG: "Nazorg: drie maanden vinger aan de pols met een telefonisch contact per maand.",
                    S.GEARCHIVEERD: "Nazorgperiode zonder bijzonderheden afgerond.",
                }[status]
                case = case_transition(
                    actor=opener, case=case, to_status=status, reason=reason, closing_reason=spec.closing
                )
            built.case = case

    def triage(self, spec: Spec, case: Case, opener: User) -> Case:
        template = TEMPLATES[spec.template]
        labels = ", ".join(str(LifeDomain(d).label).lower() for d in template.domains[:3])
        if spec.path == TriageDecision.ENKELVOUDIG:
            organisation_name, provision = spec.referral
            recipient = organisation_name or provision
            case = intake_triage(
                actor=opener,
                case=case,
                decision=TriageDecision.ENKELVOUDIG,
                note=f"Eén duidelijke hulpvraag; doorverwijzen naar {recipient} met een warme overdracht.",
                referral_organisation=self.orgs[organisation_name] if organisation_name else None,
                referral_provision=provision,
                referral_question=f"Graag hulp bij: {INTAKE_TEXTS[template.domains[0]][1].lower()}",
            )
            referral = Referral.objects.filter(case=case).order_by("id").first()
            if spec.status in CLOSED_PATH:
                target = ReferralStatus.AFGEROND
            else:
                target = ENKELVOUDIG_REFERRAL_CYCLE[self.enkelvoudig_index % len(ENKELVOUDIG_REFERRAL_CYCLE)]
                self.enkelvoudig_index += 1
            self.advance_referral(opener, referral, target)
            return case
        coordinator = self.users[spec.coordinator or TEAM_PROFESSIONAL[spec.team]]
        return intake_triage(
            actor=opener,
            case=case,
            decision=TriageDecision.MEERVOUDIG,
            note=f"Meerdere samenhangende problemen ({labels}); gecoördineerde aanpak met één regievoerder.",
            coordinator=coordinator,
        )

    def purpose(self, code: str) -> Purpose:
        cache = self.__dict__.setdefault("_purposes", {})
        if code not in cache:
            cache[code] = Purpose.objects.get(code=code)
        return cache[code]

    def add_members(self, spec: Spec, case: Case, template: Template, opener: User) -> list[User]:
        coordinator = case.coordinator or opener
        working = [opener] if coordinator == opener else [coordinator, opener]
        laws = set(template.laws)
        klantmanager, werkcoach = self.users["klantmanager"], self.users["werkcoach"]
        if spec.team == "wi":
            case_member_add(actor=coordinator, case=case, user=werkcoach, role=CaseRole.WERKCOACH)
            working.append(werkcoach)
        else:
            if laws & {L.PARTICIPATIEWET, L.WGS}:
                case_member_add(actor=coordinator, case=case, user=klantmanager, role=CaseRole.KLANTMANAGER)
                working.append(klantmanager)
            if L.PARTICIPATIEWET in laws and spec.template in WORK_TEMPLATES:
                case_member_add(actor=coordinator, case=case, user=werkcoach, role=CaseRole.WERKCOACH)
                working.append(werkcoach)
            if len(working) < 2 and spec.team == "zuid":
                case_member_add(actor=coordinator, case=case, user=klantmanager, role=CaseRole.KLANTMANAGER)
                working.append(klantmanager)
        if spec.partner:
            case_member_add(
                actor=coordinator,
                case=case,
                user=self.users["partner"],
                role=CaseRole.PARTNER,
                purpose=self.purpose("ggz-afstemming"),
            )
            working.append(self.users["partner"])
        # Partner contacts without an account in the app.
        if spec.safety:
            case_member_add(
                actor=coordinator,
                case=case,
                role=CaseRole.PARTNER,
                organisation=self.orgs["Veilig Thuis Regio Voorbeeldstad"],
                contact_name="Casemanager Veilig Thuis (team Oost)",
                contact_email=f"casemanager.oost@veiligthuis.{DEMO_MAIL_DOMAIN}",
                purpose=self.purpose("veiligheid-huiselijk-geweld"),
            )
        if L.WGS in laws and spec.status == S.ACTIEF:
            case_member_add(
                actor=coordinator,
                case=case,
                role=CaseRole.PARTNER,
                organisation=self.orgs["Schuldhulpverlening Voorbeeldstad"],
                contact_name="Schuldhulpverlener, team Intake",
                contact_email=f"intake@schuldhulp.{DEMO_MAIL_DOMAIN}",
                purpose=self.purpose("schuldhulpverlening"),
            )
        if spec.template in ("jeugd_criminaliteit", "eenouder_overbelast") and spec.status == S.ACTIEF:
            case_member_add(
                actor=coordinator,
                case=case,
                role=CaseRole.PARTNER,
                organisation=self.orgs["Basisschool De Regenboog"],
                contact_name="Intern begeleider",
                contact_email=f"ib@deregenboog.{DEMO_MAIL_DOMAIN}",
                task=Task.TOELEIDING,
                purpose=self.purpose("jeugdhulp"),
            )
        return working

    def assess(
        self,
        case: Case,
        template: Template,
        assessors: list[User],
        start: datetime.date,
        end: datetime.date,
        *,
        disagree: bool,
    ) -> None:
        """ZRM scores by 1-3 professionals at 1-3 dates; some drops, and a visible disagreement if asked."""
        rng = self.rng
        domains = list(template.domains)
        if len(assessors) > 1 and len(domains) < 8 and rng.random() < 0.3:
            domains.append(rng.choice([d for d in LifeDomain.values if d not in domains]))
        if len(assessors) == 1:
            domains = domains[: rng.randint(4, min(5, len(domains)))]
        span = (end - start).days
        rounds = 1 if len(assessors) == 1 else (3 if span >= 150 else 2)
        dates = [start] + [
            self.workday(start + datetime.timedelta(days=span * k // (rounds - 1)), start, end)
            for k in range(1, rounds)
        ]
        if rounds > 1:
            dates[-1] = min(dates[-1], end)
        who = [assessors[0]]
        if rounds >= 2:
            who.append(assessors[1])
        if rounds == 3:
            who.append(assessors[2] if len(assessors) > 2 and rng.random() < 0.6 else assessors[0])

        current = {
            d: rng.choice((1, 2, 2, 2, 3, 3)) if i < 3 else rng.choice((2, 3, 3, 4)) for i, d in enumerate(domains)
        }
        rounds_scores: list[dict[str, int]] = []
        for index in range(rounds):
            if index == 0:
                scored = dict(current)
            else:
                # Later measurements look at the domains the plan works on.
                subset = rng.sample(domains, rng.randint(3, 4))
                scored = {}
                for domain in subset:
                    step = rng.choice((-1, 0, 0, 1, 1))
                    current[domain] = min(5, max(1, current[domain] + step))
                    scored[domain] = current[domain]
            rounds_scores.append(scored)
        if disagree and rounds >= 2:
            # The second assessor sees one domain quite differently from the latest score of another.
            second = rounds_scores[1]
            domain = rng.choice(sorted(second))
            others = [scores[domain] for i, scores in enumerate(rounds_scores) if who[i] != who[1] and domain in scores]
            reference = others[-1]
            second[domain] = reference - 2 if reference >= 3 else reference + 2
        for index, scored in enumerate(rounds_scores):
            items = []
            for domain in domains:
                if domain not in scored:
                    continue
                score = scored[domain]
                band = 0 if score <= 2 else (1 if score == 3 else 2)
                target = min(5, score + rng.choice((1, 2))) if index == 0 and domain in template.domains[:3] else None
                items.append(ScoreInput(domain, score, target, RATIONALE[domain][band]))
            assessments_record(actor=who[index], case=case, scores=items, assessed_on=dates[index])

    def contact(
        self,
        case: Case,
        professional: User,
        day: datetime.date,
        channel: str,
        summary: str,
        category: str,
        participants,
    ) -> None:
        contact_record(
            actor=professional,
            case=case,
            occurred_at=min(self.at(day), self.now - datetime.timedelta(hours=1)),
            channel=channel,
            summary=summary,
            category=category,
            participants=participants,
        )

    # -- referrals ------------------------------------------------------------------------------

    def advance_referral(self, actor: User, referral: Referral, target: str) -> None:
        steps = {
            ReferralStatus.VERSTUURD: (),
            ReferralStatus.GEACCEPTEERD: (ReferralStatus.GEACCEPTEERD,),
            ReferralStatus.AFGEROND: (ReferralStatus.GEACCEPTEERD, ReferralStatus.AFGEROND),
            ReferralStatus.AFGEWEZEN: (ReferralStatus.AFGEWEZEN,),
            ReferralStatus.INGETROKKEN: (ReferralStatus.INGETROKKEN,),
        }[target]
        for status in steps:
            reason = self.rng.choice(DECLINE_REASONS) if status == ReferralStatus.AFGEWEZEN else ""
            referral_transition(actor=actor, referral=referral, to_status=status, reason=reason)

    def seed_referrals(self) -> None:
        """Referrals from coordinated cases to partner organisations, in every status."""
        for built in self.built:
            spec = built.spec
            if built.case is None or spec.status not in REACHED_ACTIEF or spec.path != TriageDecision.MEERVOUDIG:
                continue
            laws = set(TEMPLATES[spec.template].laws)
            domains = TEMPLATES[spec.template].domains
            wanted = []
            if L.WGS in laws:
                wanted.append(
                    (
                        "Schuldhulpverlening Voorbeeldstad",
                        "Aanmelding voor budgetbeheer en een minnelijke schuldregeling.",
                    )
                )
            if spec.safety:
                wanted.append(
                    (
                        "Veilig Thuis Regio Voorbeeldstad",
                        "Advies en consult over de veiligheid van de kinderen; graag gezamenlijk veiligheidsplan.",
                    )
                )
            if D.GEESTELIJKE_GEZONDHEID in domains[:3] and not spec.partner:
                wanted.append(
                    (
                        "GGZ Voorbeeldstad",
                        "Diagnostiek en behandeling van somberheidsklachten.",
                        "psychische_gezondheid",
                    )
                )
            if D.HUISVESTING in domains[:3]:
                wanted.append(("Woonstichting Thuis", "Afspraken over de huurachterstand om ontruiming te voorkomen."))
            if spec.template in ("bijstand_werk", "jongere_18"):
                wanted.append(
                    ("UWV Voorbeeldstad", "Beoordeling van arbeidsvermogen en mogelijkheden voor loonkostensubsidie.")
                )
            actor = built.case.coordinator or built.users[0]
            for organisation_name, question, *category in wanted[:2]:
                referral = referral_send(
                    actor=actor,
                    case=built.case,
                    organisation=self.orgs[organisation_name],
                    question=question,
                    category=category[0] if category else None,
                    expected_start_on=self.today + datetime.timedelta(days=self.rng.randint(14, 45)),
                )
                if spec.status == S.ACTIEF:
                    target = REFERRAL_CYCLE[self.referral_index % len(REFERRAL_CYCLE)]
                    self.referral_index += 1
                else:
                    target = ReferralStatus.AFGEROND
                self.advance_referral(actor, referral, target)

    # -- signals ----------------------------------------------------------------------------------

    def find(self, team: str, status: str, template: str) -> Built:
        return next(b for b in self.built if (b.spec.team, b.spec.status, b.spec.template) == (team, status, template))

    def seed_signals(self) -> None:
        """15 signals: 10 triaged (every outcome), 5 open of which one overdue per wijkteam."""
        for item in SIGNALS:
            team = self.teams[item.team]
            actor = self.users[item.actor or TEAM_PROFESSIONAL[item.team]]
            about = self.find(*item.about) if item.about else None
            client = None
            if about is not None:
                children = [p.client for p in about.people if p.relation == Relation.KIND]
                client = children[0] if item.about_child and children else about.people[item.about_person].client
            moment = self.now - datetime.timedelta(days=item.received[0], hours=item.received[1])
            signal = signal_record(
                actor=actor,
                team=team,
                source=item.source,
                what_was_seen=item.what,
                client=client,
                subject_description="" if client else item.subject,
                reporter_name=item.reporter,
                reporter_contact=item.reporter_contact,
                received_at=moment.replace(minute=moment.minute // 15 * 15, second=0, microsecond=0),
            )
            if not item.outcome:
                continue
            household = about.household if item.outcome == SignalOutcome.NIEUWE_CASUS and about else None
            linked = about.case if item.outcome == SignalOutcome.BESTAANDE_CASUS and about else None
            signal = signal_triage(
                actor=actor,
                signal=signal,
                outcome=item.outcome,
                note=item.note,
                case=linked,
                new_case_household=household if about and not about.spec.single else None,
                laws=TEMPLATES[about.spec.template].laws[:1] if about else (),
            )
            if item.outcome == SignalOutcome.NIEUWE_CASUS and about is not None:
                about.case = signal.case
            for who, how in zip(("reporter", "subject"), item.informed, strict=False):
                signal = signal_record_informed(actor=actor, signal=signal, who=who, how=how)


def seed_cases(users: dict[str, User]) -> None:
    """Seed the demo case file once; a second run finds the first demo BSN and does nothing."""
    if Client.objects.filter(bsn=next(demo_bsns())).exists():
        return
    with transaction.atomic():
        DemoSeeder(users).run()


# --- Privacy: consents, a break-the-glass grant, a legal hold -------------------------------


def seed_privacy(users: dict[str, User]) -> None:
    """Consents for the GGZ partner's cases (most valid, one expired, one withdrawn), a break-the-glass
    grant waiting for the FG's review and a legal hold. Idempotent."""
    if Consent.objects.filter(recorded_by__in=users.values()).exists():
        return
    partner = users["partner"]
    purpose = Purpose.objects.get(code="ggz-afstemming")
    now = timezone.now()
    partner_cases = list(
        Case.objects.filter(members__user=partner, members__valid_to__isnull=True)
        .select_related("client", "household", "coordinator")
        .order_by("number")
    )
    with transaction.atomic():
        for index, case in enumerate(partner_cases):
            client = case.client or next(
                (m.client for m in case.household.memberships.select_related("client").order_by("id")), None
            )
            if client is None:
                continue
            recorder = case.coordinator or users["wijkcoach"]
            consent = Consent(
                client=client,
                purpose=purpose,
                recipient_organisation=partner.organisation,
                given_at=now - datetime.timedelta(days=200 - index * 20),
                expires_at=now + datetime.timedelta(days=365),
                method=ConsentMethod.WRITTEN,
                recorded_by=recorder,
                scope_note="Afstemming behandeling GGZ met het werkplan; geen financiële gegevens.",
            )
            if index == len(partner_cases) - 2:
                consent.given_at = now - datetime.timedelta(days=400)
                consent.expires_at = now - datetime.timedelta(days=35)  # expired: the partner is refused
                consent.scope_note = "Toestemming voor één jaar; niet verlengd."
            elif index == len(partner_cases) - 1:
                consent.withdrawn_at = now - datetime.timedelta(days=3)  # withdrawn: the partner is refused
                consent.withdrawn_reason = "Cliënt wil niet dat de GGZ meeleest met het werkplan."
                consent.withdrawn_recorded_by = recorder
            elif index == 1:
                consent.expires_at = now + datetime.timedelta(days=21)  # expiring soon
                consent.method = ConsentMethod.ORAL
                consent.witness = "Collega wijkcoach"
            consent.full_clean()
            consent.save()
        # A break-the-glass: a Zuid wijkcoach looked into a Noord case during an evening crisis call.
        noord_case = (
            Case.objects.filter(team__name=TEAM_NOORD, status__in=[S.ACTIEF, S.INTAKE]).order_by("number").first()
        )
        if noord_case is not None:
            BreakGlassGrant.objects.create(
                user=users["wijkcoach2"],
                case=noord_case,
                reason=(
                    "Crisisdienst belde buiten kantoortijd over acute dreiging van huisuitzetting; "
                    "de regievoerder was niet bereikbaar."
                ),
                granted_at=now - datetime.timedelta(hours=30),
                expires_at=now - datetime.timedelta(hours=22),
            )
        closed = Case.objects.filter(status__in=[S.AFGESLOTEN, S.GEARCHIVEERD]).order_by("number").first()
        if closed is not None:
            LegalHold.objects.create(
                case=closed,
                reason="Bezwaarprocedure tegen de beëindiging van de bijstand loopt; dossier bewaren tot uitspraak.",
                placed_by=users["fg"],
            )


# --- A pending handover ----------------------------------------------------------------------


def seed_handovers(users: dict[str, User]) -> None:
    """One warm handover waiting for acceptance: the wijkcoach passes a Noord case to the regisseur,
    with an introduction meeting planned. Idempotent."""
    from .handovers import handover_create
    from .workdays import add_working_days

    if Handover.objects.exists():
        return
    giver, receiver = users["wijkcoach"], users["regisseur"]
    case = (
        Case.objects.filter(
            team__name=TEAM_NOORD,
            status=S.ACTIEF,
            members__user=giver,
            members__valid_to__isnull=True,
        )
        .exclude(members__user=receiver, members__valid_to__isnull=True)
        .order_by("number")
        .first()
    )
    if case is None:
        return
    handover_create(
        actor=users["teamleider"],
        case=case,
        from_user=giver,
        to_user=receiver,
        note=(
            "Ik ga per 1 januari naar Wijkteam Zuid. Het gezin is gewend aan een vaste contactpersoon: "
            "plan het kennismakingsgesprek samen met mij."
        ),
        intro_meeting_on=add_working_days(timezone.localdate(), 3),
    )
