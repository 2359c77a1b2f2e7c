"""Demo workplans and casusoverleg, loaded by ``manage.py seed_demo`` after the case file.

Every case with status "actief" gets a workplan: an analysis of the help the
household receives now and received before, goals in plain language (some in
the client's own words) with actions per party, and progress reviews. Most
plans are adopted, about a third revised into a second version. A few plans
have overdue duties a and f, and some show each gap rule, so every warning is
visible right after ``make run``. Wijkteam Noord held three teamoverleggen and
Wijkteam Zuid one casusoverleg, with minutes and agreements (some overdue);
next week's teamoverleg of Wijkteam Noord has the agenda builder's top three.

Everything is written through ``workplans.services`` and
``workplans.meeting_services``. The only exception is the start of the past
meetings: ``meeting_plan`` refuses a start in the past by design, so the
meeting is planned ahead and its start then moved back (see ``_past_meeting``).

Deterministic and idempotent: one seeded ``random.Random`` drives every
choice, and when any workplan exists the seed does nothing. It runs in one
transaction, so it is all or nothing.
"""

from __future__ import annotations

import datetime
import itertools
import random
from collections import defaultdict
from dataclasses import dataclass

from django.db import transaction
from django.utils import timezone

from access import policy
from accounts.demo import MUNICIPALITY, TEAM_NOORD, TEAM_ZUID
from accounts.models import Organisation, Team, User
from cases.constants import CaseStatus, LifeDomain
from cases.demo import TEMPLATES
from cases.models import ApprovalRequest, Case, CaseMember, Client
from cases.selectors import case_clients, latest_scores
from consent.constants import LIFE_DOMAIN_CATEGORY, DataCategory

from . import meeting_services, services
from .constants import (
    PARTICIPATION_DOMAINS,
    WORKING_AGE_FROM,
    WORKING_AGE_TO,
    ActionStatus,
    Duty,
    GoalStatus,
    GoalTerm,
    InvolvementHow,
    ObstacleCategory,
)
from .meeting_models import AgreementStatus, Attendance, Meeting, MeetingKind
from .meeting_selectors import agenda_suggestions
from .models import Goal, Workplan

SEED = 20261124
PARTNER_ITEM_QUESTION = "Hoe verloopt de samenwerking rond het plan, en wat is er van de partners nodig?"
D = LifeDomain
COORDINATOR = "coordinator"  # stands for the case's own coordinator in owner preferences
LOCATION = "Stadskantoor, zaal 2.14"

# Organisations of accounts.demo by a short key.
ORGS = {
    "gemeente": MUNICIPALITY,
    "ggz": "GGZ Voorbeeldstad",
    "vt": "Veilig Thuis Regio Voorbeeldstad",
    "school": "Basisschool De Regenboog",
    "schuld": "Schuldhulpverlening Voorbeeldstad",
    "woon": "Woonstichting Thuis",
    "uwv": "UWV Voorbeeldstad",
}


# --- Content per life domain --------------------------------------------------------------


@dataclass(frozen=True)
class DomainContent:
    long: str  # a long-term goal in plain language
    short: str  # a short-term goal in plain language
    words: str  # the goal in the client's own words
    view: str  # the client's view of the goal, recorded when the client was involved (duty f)
    owners: tuple[str, ...]  # preferred goal owners (usernames, or COORDINATOR), first member wins
    actions: tuple[tuple[str, str], ...]  # (action, organisation key)
    agreements: tuple[str, ...]  # agreements made in a casusoverleg
    question: str  # the question to the casusoverleg
    reasoning: str  # the considerations in the minutes
    review: str  # a progress review note
    analysis: tuple[tuple[str, str, bool, str], ...]  # (provision, party, for a child, outcome when ended)


DOMAINS: dict[str, DomainContent] = {
    D.FINANCIEN: DomainContent(
        long="Over twee jaar heeft het huishouden geen problematische schulden meer en betaalt het de vaste lasten zelf.",
        short="Binnen drie maanden is er een volledig overzicht van alle schulden, inkomsten en uitgaven.",
        words="Ik wil weer rustig slapen zonder bang te zijn voor de post.",
        view="Het overzicht geeft rust, maar ik schrik nog steeds van elke envelop.",
        owners=("klantmanager", COORDINATOR),
        actions=(
            ("Aanmelden bij de schuldhulpverlening en de schulden laten stabiliseren", "schuld"),
            ("Bijzondere bijstand aanvragen voor de achterstallige energierekening", "gemeente"),
            ("Samen met de cliënt elke week de post openen en ordenen", "gemeente"),
        ),
        agreements=(
            "Aanmelding bij Schuldhulpverlening Voorbeeldstad afronden en de eerste afspraak inplannen",
            "Betalingsregeling met de energieleverancier schriftelijk vastleggen",
            "Beslagvrije voet laten herberekenen en de uitkomst aan de cliënt uitleggen",
        ),
        question="Lukt het de schulden te stabiliseren, of is budgetbeheer nodig?",
        reasoning="De schulden lopen nog op; zonder stabilisatie komt ook de woning in gevaar. Budgetbeheer geeft rust, maar de cliënt wil de regie zo veel mogelijk zelf houden.",
        review="Alle schuldeisers zijn in beeld; de aanvraag voor schuldhulp is ingediend.",
        analysis=(
            ("Schuldhulpverlening", ORGS["schuld"], False, "Gestopt: de cliënt kwam de afspraken niet na."),
            ("Bijzondere bijstand", MUNICIPALITY, False, "Toegekend voor de eigen bijdrage zorgverzekering."),
        ),
    ),
    D.WERK_OPLEIDING: DomainContent(
        long="Over twee jaar heeft de cliënt betaald werk of volgt een opleiding die tot een diploma leidt.",
        short="De cliënt begint binnen drie maanden aan een werkfit-traject of een opleiding.",
        words="Ik wil gewoon werken, zoals iedereen, en niet meer afhankelijk zijn van een uitkering.",
        view="Ik wil wel, maar eerst moet de opvang van de kinderen geregeld zijn.",
        owners=("werkcoach", "klantmanager", COORDINATOR),
        actions=(
            ("Intakegesprek werkfit-traject bij de werkcoach", "gemeente"),
            ("Beoordeling van het arbeidsvermogen aanvragen", "uwv"),
            ("Mogelijkheden voor een BBL-opleiding bij een leerbedrijf verkennen", "gemeente"),
        ),
        agreements=(
            "Afspraak met het UWV over de beoordeling van het arbeidsvermogen plannen",
            "Cv maken met de werkcoach en twee passende vacatures bespreken",
        ),
        question="Welke eerste stap richting werk is haalbaar naast de zorgtaken thuis?",
        reasoning="Werk geeft inkomen en structuur, maar te snel starten geeft een grote kans op uitval. Een opbouw in uren sluit aan bij wat de cliënt nu aankan.",
        review="Intake werkfit-traject gehad; start is over drie weken.",
        analysis=(
            ("Re-integratietraject", ORGS["uwv"], False, "Afgebroken na langdurige ziekmelding."),
            ("Bijstandsuitkering (Participatiewet)", MUNICIPALITY, False, ""),
        ),
    ),
    D.TIJDSBESTEDING: DomainContent(
        long="De cliënt heeft een vast weekritme met dagbesteding, vrijwilligerswerk of werk.",
        short="Binnen zes weken gaat de cliënt twee dagdelen per week naar een dagbestedingsplek.",
        words="Als ik iets te doen heb, pieker ik minder.",
        view="Twee ochtenden per week lukt; meer is nu nog te veel.",
        owners=("werkcoach", COORDINATOR),
        actions=(
            ("Kennismaken bij de inloop van het buurthuis", "gemeente"),
            ("Proefplaatsing vrijwilligerswerk regelen", "gemeente"),
        ),
        agreements=("Proefplaatsing bij de kringloopwinkel regelen en na twee weken evalueren",),
        question="Welke dagbesteding past bij de interesses en de energie van de cliënt?",
        reasoning="Een vast ritme helpt tegen het piekeren en is een eerste stap richting werk.",
        review="Gaat sinds twee weken op dinsdag en donderdag naar het buurthuis.",
        analysis=(("Dagbesteding", "Stichting Dagwerk", False, "Gestopt na een verhuizing."),),
    ),
    D.HUISVESTING: DomainContent(
        long="Over een jaar woont het huishouden nog in de eigen woning, zonder huurachterstand.",
        short="Binnen een maand is de ontruiming van tafel door een betalingsregeling met de verhuurder.",
        words="Ik wil niet dat we ons huis kwijtraken.",
        view="De regeling is zwaar, maar we kunnen blijven wonen. Dat is het belangrijkste.",
        owners=(COORDINATOR,),
        actions=(
            ("Betalingsregeling voor de huurachterstand afspreken met de verhuurder", "woon"),
            ("Huurtoeslag controleren en zo nodig opnieuw aanvragen", "gemeente"),
        ),
        agreements=(
            "Met Woonstichting Thuis afspreken dat de ontruiming wordt opgeschort zolang de regeling loopt",
            "Huurtoeslag opnieuw aanvragen met de cliënt",
        ),
        question="Hoe voorkomen we de ontruiming?",
        reasoning="Ontruiming zou alle andere doelen terugzetten; de verhuurder wil meewerken als er binnen twee weken een regeling ligt.",
        review="Betalingsregeling loopt; de eerste twee termijnen zijn op tijd betaald.",
        analysis=(("Vroegsignalering huurachterstand", ORGS["woon"], False, "Doorverwezen naar het wijkteam."),),
    ),
    D.HUISELIJKE_RELATIES: DomainContent(
        long="De kinderen groeien veilig op en de ouders gaan zonder geweld met elkaar om.",
        short="Binnen vier weken is er een veiligheidsplan dat iedereen in het gezin kent.",
        words="Ik wil dat het thuis weer rustig is, zonder ruzie waar de kinderen bij zijn.",
        view="Het plan helpt; we weten nu wat we doen als het misgaat.",
        owners=(COORDINATOR,),
        actions=(
            ("Veiligheidsplan opstellen samen met Veilig Thuis", "vt"),
            ("Oudergesprekken over opvoeding en rust in huis", "gemeente"),
        ),
        agreements=(
            "Veiligheidsplan met beide ouders en Veilig Thuis bespreken en laten ondertekenen",
            "Kinderen een eigen gesprek aanbieden over hoe het thuis gaat",
        ),
        question="Is de veiligheid van de kinderen voldoende geborgd?",
        reasoning="De veiligheid van de kinderen gaat voor alles. Veilig Thuis blijft betrokken tot het veiligheidsplan drie maanden werkt.",
        review="Veiligheidsplan is opgesteld; sindsdien geen nieuwe politiemeldingen.",
        analysis=(
            ("Jeugdhulp: ambulante gezinsbegeleiding", "Jeugdteam Voorbeeldstad", True, "Afgesloten na verhuizing."),
            ("Advies en consult", ORGS["vt"], False, ""),
        ),
    ),
    D.GEESTELIJKE_GEZONDHEID: DomainContent(
        long="De ouder heeft de psychische klachten onder controle en kan de dagelijkse zorg voor het gezin aan.",
        short="Binnen acht weken is de cliënt begonnen met een behandeling bij de GGZ.",
        words="Ik wil me weer de baas voelen over mijn eigen hoofd.",
        view="De gesprekken zijn zwaar, maar ik merk dat het helpt.",
        owners=("partner", COORDINATOR),
        actions=(
            ("Intake en diagnostiek bij de GGZ", "ggz"),
            ("Ambulante begeleiding twee keer per week", "ggz"),
        ),
        agreements=(
            "Navragen bij GGZ Voorbeeldstad wanneer de behandeling kan starten",
            "Overbruggingszorg regelen bij de praktijkondersteuner van de huisarts",
        ),
        question="Hoe overbruggen we de wachttijd voor behandeling?",
        reasoning="Zonder behandeling van de ouder blijven de kinderen zorgtaken overnemen. De wachttijd is lang; overbrugging via de huisarts is nodig.",
        review="Behandeling is gestart; de cliënt komt de afspraken na.",
        analysis=(
            ("Ambulante begeleiding", ORGS["ggz"], False, "Na een half jaar afgesloten; de klachten kwamen terug."),
            ("Behandeling depressie (basis-GGZ)", "Praktijk voor psychologie De Brug", False, "Afgerond."),
        ),
    ),
    D.LICHAMELIJKE_GEZONDHEID: DomainContent(
        long="De zorg voor de lichamelijke klachten is goed geregeld en de cliënt verplaatst zich zelfstandig.",
        short="Binnen twee maanden zijn de hulpmiddelen aangevraagd en is de huisarts betrokken.",
        words="Ik wil weer zelf naar de supermarkt kunnen lopen.",
        view="Met de rollator gaat het beter, maar de pijn blijft.",
        owners=(COORDINATOR,),
        actions=(("Wmo-melding doen voor een hulpmiddel", "gemeente"),),
        agreements=("Huisarts vragen om een verwijzing naar de fysiotherapeut",),
        question="Welke zorg is nodig om zelfstandig te blijven?",
        reasoning="De klachten beperken de cliënt in alles; eerst de zorg goed regelen, dan verder kijken.",
        review="Hulpmiddel is aangevraagd; het gesprek met de huisarts staat gepland.",
        analysis=(("Fysiotherapie", "Fysiotherapie Zuiderpark", False, "Gestopt: niet meer vergoed."),),
    ),
    D.MIDDELENGEBRUIK: DomainContent(
        long="De cliënt drinkt niet meer zo veel dat werk, geld of contacten in gevaar komen.",
        short="Binnen een maand heeft de cliënt een eerste gesprek bij de verslavingszorg gehad.",
        words="Ik wil minder drinken, maar ik wil het wel zelf doen.",
        view="Ik drink minder, maar in het weekend blijft het lastig.",
        owners=("partner", COORDINATOR),
        actions=(
            ("Motiverende gesprekken over het alcoholgebruik", "ggz"),
            ("Aanmelding bij de verslavingszorg", "ggz"),
        ),
        agreements=("Eerste gesprek bij de verslavingszorg plannen en de cliënt erheen begeleiden",),
        question="Staat de cliënt open voor behandeling van het alcoholgebruik?",
        reasoning="Zonder aanpak van het drinken lukken de andere stappen niet; dwang werkt averechts.",
        review="Twee gesprekken gehad; de cliënt houdt een drinkdagboek bij.",
        analysis=(("Ambulante verslavingszorg", "Verslavingszorg Noord", False, "Gestopt na drie gesprekken."),),
    ),
    D.BASALE_ADL: DomainContent(
        long="De persoonlijke verzorging is blijvend goed geregeld en de ouders houden de zorg thuis vol.",
        short="Binnen zes weken is er hulp bij de verzorging en één weekend per maand logeeropvang.",
        words="We houden het vol als we af en toe even op adem kunnen komen.",
        view="Het logeerweekend geeft lucht; we zien er elke maand naar uit.",
        owners=(COORDINATOR,),
        actions=(
            ("Logeeropvang als respijtzorg aanvragen (Jeugdwet)", "gemeente"),
            ("Hulp bij de persoonlijke verzorging regelen via de wijkverpleging", "gemeente"),
        ),
        agreements=("Indicatie logeeropvang aanvragen en de zorgaanbieder benaderen",),
        question="Hoe ontlasten we de ouders op korte termijn?",
        reasoning="De ouders zijn uitgeput; zonder respijt is uithuisplaatsing van het kind een reëel risico.",
        review="Eerste logeerweekend heeft plaatsgevonden.",
        analysis=(("Jeugdhulp: logeeropvang", "Zorgboerderij De Hoeve", True, "Gestopt: de plek verviel."),),
    ),
    D.INSTRUMENTELE_ADL: DomainContent(
        long="Het huishouden loopt, met hulp waar dat nodig is.",
        short="Binnen een maand komt er huishoudelijke hulp en is er een weekplanning.",
        words="Ik wil dat het huis weer op orde is als er iemand op bezoek komt.",
        view="De hulp is fijn; de post blijft wel lastig.",
        owners=(COORDINATOR,),
        actions=(
            ("Huishoudelijke hulp aanvragen (Wmo-maatwerkvoorziening)", "gemeente"),
            ("Samen een weekplanning maken voor boodschappen en post", "gemeente"),
        ),
        agreements=("Wmo-melding voor huishoudelijke hulp doen en het keukentafelgesprek plannen",),
        question="Welke hulp in het huishouden is nodig, en wie regelt die?",
        reasoning="Het huishouden loopt vast zodra de klachten toenemen; vaste hulp voorkomt terugval.",
        review="Huishoudelijke hulp komt sinds drie weken op maandag.",
        analysis=(("Huishoudelijke hulp (Wmo)", "Thuiszorg Voorbeeldstad", False, "Gestopt op verzoek van cliënt."),),
    ),
    D.SOCIAAL_NETWERK: DomainContent(
        long="De cliënt heeft mensen om zich heen bij wie hij of zij terechtkan.",
        short="Binnen drie maanden is er een maatje of een vaste activiteit in de wijk.",
        words="Ik wil iemand hebben om mee te praten, niet alleen hulpverleners.",
        view="Het maatje is aardig; we gaan elke week koffie drinken.",
        owners=("wijkcoach", "wijkcoach2", COORDINATOR),
        actions=(
            ("Netwerkberaad organiseren met familie en vrienden", "gemeente"),
            ("Aanmelden bij het maatjesproject", "gemeente"),
        ),
        agreements=("Netwerkberaad plannen met de zus en de buurvrouw van de cliënt",),
        question="Wie uit het netwerk kan meer steun geven?",
        reasoning="Hulpverlening is tijdelijk; een sterker netwerk houdt de resultaten vast.",
        review="Netwerkberaad gehouden; de zus helpt op woensdag.",
        analysis=(("Maatjesproject", "Humanitas Voorbeeldstad", False, "Gestopt: het maatje verhuisde."),),
    ),
    D.MAATSCHAPPELIJKE_PARTICIPATIE: DomainContent(
        long="Het huishouden doet mee in de wijk en regelt de gewone zaken met instanties zelf.",
        short="Binnen twee maanden volgt de cliënt taalles en doet één dagdeel vrijwilligerswerk.",
        words="Ik wil de brieven zelf kunnen lezen en mijn kinderen helpen met school.",
        view="De taalles gaat goed; brieven lezen lukt steeds beter.",
        owners=("klantmanager", "werkcoach", COORDINATOR),
        actions=(
            ("Inburgeringstraject afstemmen met de taalschool", "gemeente"),
            ("Vrijwilligerswerk zoeken via het vrijwilligerspunt", "gemeente"),
        ),
        agreements=("Aanmelding bij de taalschool bevestigen en de reiskosten regelen",),
        question="Hoe combineren we inburgering, werk en de zorg voor de kinderen?",
        reasoning="Taal is de sleutel tot werk en tot zelf regelen; de inburgering heeft voorrang.",
        review="Taalles loopt drie ochtenden per week.",
        analysis=(("Inburgering (Wet inburgering 2021)", MUNICIPALITY, False, ""),),
    ),
    D.JUSTITIE: DomainContent(
        long="Er zijn geen nieuwe politiecontacten en de afspraken met justitiële partners worden nagekomen.",
        short="De komende drie maanden worden alle afspraken met de (jeugd)reclassering nagekomen.",
        words="Ik wil dit achter me laten en gewoon verder.",
        view="Ik kom de afspraken na; het is wel veel gedoe.",
        owners=(COORDINATOR,),
        actions=(
            ("Afstemming met de (jeugd)reclassering over de bijzondere voorwaarden", "gemeente"),
            ("Terugkeer naar school bespreken met de leerplichtambtenaar", "school"),
        ),
        agreements=("Afspraken met de jeugdreclassering en de leerplichtambtenaar op elkaar afstemmen",),
        question="Hoe houden we de jongere bij school en uit beeld van de politie?",
        reasoning="Een zinvolle daginvulling is de beste bescherming tegen terugval.",
        review="Alle afspraken met de reclassering nagekomen.",
        analysis=(("Jeugdreclassering", "Jeugdbescherming Regio Voorbeeldstad", True, ""),),
    ),
}

# The problems and how they hang together, per case template of cases.demo.
PROBLEM_ANALYSIS = {
    "schulden_gezin": "De schulden van het gezin zijn in een jaar opgelopen na baanverlies van een van de ouders. Door de huurachterstand dreigt ontruiming; de spanning thuis is hoog en het oudste kind verzuimt school. De problemen versterken elkaar: zonder woning en inkomen is er geen rust om aan werk en opvoeding te werken.",
    "huiselijk_geweld": "Er zijn herhaalde escalaties tussen de ouders geweest; de politie is ter plaatse geweest en Veilig Thuis is betrokken. De spanningen hangen samen met geldzorgen en middelengebruik. De veiligheid van de kinderen gaat voor alles; daarna komen de schulden en de psychische klachten aan bod.",
    "ggz_ouder": "De ouder heeft terugkerende psychische klachten en is eerder behandeld. Als het slecht gaat, nemen de kinderen zorgtaken over en komen ze te laat op school. Het huishouden en de post blijven liggen. Behandeling van de ouder en ontlasting van de kinderen hangen direct samen.",
    "statushouder_gezin": "Het gezin is een jaar geleden in Voorbeeldstad gehuisvest. De inburgering loopt, maar brieven van instanties worden niet begrepen, waardoor toeslagen stopten en er achterstanden ontstonden. Werk is voor beide ouders een wens; taal en de erkenning van diploma's zijn de drempels.",
    "jongere_18": "Na het einde van de pleegzorg op 18-jarige leeftijd heeft de jongere geen vaste woonplek, geen inkomen en geen opleiding. Zonder woonadres lukt de aanvraag voor een uitkering niet, en zonder inkomen geen kamer. Er zijn weinig mensen om op terug te vallen.",
    "beperking_kind": "Een van de kinderen heeft een verstandelijke beperking en heeft veel verzorging nodig. De ouders zijn overbelast; er is geen dagbesteding of respijtzorg. De broers en zussen krijgen weinig aandacht. Ontlasting van de ouders is nodig om de zorg thuis vol te houden.",
    "jeugd_criminaliteit": "De zoon van 16 verzuimt veel en is in aanraking gekomen met de politie; de jeugdreclassering is betrokken. De ouders voelen zich machteloos en er is veel ruzie thuis. Terugkeer naar school en een zinvolle dagbesteding zijn de sleutel om verder afglijden te voorkomen.",
    "scheiding": "De ouders zitten in een vechtscheiding; de kinderen zitten klem tussen hen in. Door de scheiding zijn schulden ontstaan en moet een van de ouders een nieuwe woning vinden. De spanningen raken de psychische gezondheid van de ouders en het welzijn van de kinderen.",
    "verslaving": "De cliënt drinkt dagelijks en is daardoor zijn werk kwijtgeraakt. Er is een huurachterstand en het sociale netwerk is klein. De huisarts maakt zich zorgen over zijn lichamelijke gezondheid. Zonder aanpak van het alcoholgebruik lukken de andere stappen niet.",
    "eenouder_overbelast": "De alleenstaande ouder leeft van een bijstandsuitkering en is overbelast. Een van de kinderen heeft gedragsproblemen op school. Er is weinig steun uit het netwerk en geen ruimte voor werk of dagbesteding. De opvoedingsvragen en de draagkracht van de ouder hangen nauw samen.",
    "bijstand_werk": "De cliënt zit al lang in de bijstand en heeft geen startkwalificatie. Werken is de wens, maar de dagen hebben weinig structuur en het zelfvertrouwen is laag. Kleine schulden vragen aandacht voordat een traject kan slagen.",
    "werkloos_schulden_stel": "Beide partners zijn onlangs hun werk kwijtgeraakt. Er zijn betalingsachterstanden bij de energieleverancier en de zorgverzekering, en de huur komt in gevaar. De spanning tussen de partners neemt toe. Snel inkomen regelen en de schulden stabiliseren voorkomt dat de problemen verder oplopen.",
}
TEMPLATE_BY_SUMMARY = {template.summary: key for key, template in TEMPLATES.items()}

COORDINATION_AGREEMENTS = (
    "{name} is regievoerder: bewaakt het werkplan, zit het casusoverleg voor en informeert het college elk kwartaal over voortgang en belemmeringen. Partijen melden wijzigingen binnen een week bij de regievoerder.",
    "{name} is regievoerder en eerste aanspreekpunt voor het gezin en de partijen. Het casusteam stemt elke zes weken af; het college krijgt per kwartaal een overzicht van de belemmeringen.",
)
CLIENT_SUPPORT_AGREEMENTS = (
    "De cliënt is gewezen op gratis onafhankelijke cliëntondersteuning en wil daar nu geen gebruik van maken.",
    "Een cliëntondersteuner van MEE Voorbeeldstad is bij de gesprekken over het werkplan; de regievoerder stemt met haar af.",
)
GENERAL_VIEWS = (
    "De cliënt herkent zich in het plan en wil vooral eerst rust over geld.",
    "Het gezin vindt het plan duidelijk, maar vraagt om minder verschillende hulpverleners over de vloer.",
    "De cliënt is tevreden over de afspraken en wil zelf meer doen dan in het plan staat.",
    "Het gezin voelt zich gehoord; het tempo van de hulp mag wat hen betreft omhoog.",
)
OBSTACLES = (
    (
        D.GEESTELIJKE_GEZONDHEID,
        ObstacleCategory.WACHTLIJST,
        "Wachtlijst voor ambulante GGZ-behandeling van ruim vier maanden.",
        ORGS["ggz"],
    ),
    (
        D.TIJDSBESTEDING,
        ObstacleCategory.CAPACITEIT,
        "Geen plek bij de dagbesteding in de wijk; de dichtstbijzijnde plek is twee busritten ver.",
        "Stichting Dagwerk",
    ),
    (
        D.FINANCIEN,
        ObstacleCategory.REGELGEVING,
        "Schuldhulpverlening kan pas starten als het inkomen stabiel is, en de uitkering is nog niet toegekend.",
        ORGS["schuld"],
    ),
    (
        D.JUSTITIE,
        ObstacleCategory.SAMENWERKING,
        "De school deelt geen verzuimgegevens zonder nieuwe toestemming van de ouders.",
        ORGS["school"],
    ),
    (
        D.BASALE_ADL,
        ObstacleCategory.FINANCIERING,
        "Respijtzorg valt tussen Jeugdwet en Wmo; geen van beide budgetten wil de logeeropvang betalen.",
        MUNICIPALITY,
    ),
    (
        D.WERK_OPLEIDING,
        ObstacleCategory.INFORMATIE,
        "Het UWV geeft zonder machtiging geen informatie over de WW-aanvraag.",
        ORGS["uwv"],
    ),
    (
        D.HUISVESTING,
        ObstacleCategory.WACHTLIJST,
        "De wachttijd voor een urgente woning bij de woningcorporatie is meer dan een jaar.",
        ORGS["woon"],
    ),
    (
        D.HUISELIJKE_RELATIES,
        ObstacleCategory.CAPACITEIT,
        "Veilig Thuis heeft geen capaciteit voor een gezamenlijk huisbezoek binnen vier weken.",
        ORGS["vt"],
    ),
)
REVISION_REASONS = {
    D.WERK_OPLEIDING: (
        "Werkdoel toegevoegd na gesprek met UWV",
        "Werkdoel toegevoegd: de cliënt wil na de zomer aan het werk",
    ),
    D.TIJDSBESTEDING: ("Doel voor dagbesteding toegevoegd op verzoek van de cliënt",),
    D.MAATSCHAPPELIJKE_PARTICIPATIE: ("Doel voor taal en meedoen toegevoegd na het gesprek met de klantmanager",),
}
ABSENCE_REASONS = (
    "Ziek gemeld",
    "Met verlof",
    "Verhinderd door een spoedhuisbezoek",
    "Zitting bij de rechtbank in een andere zaak",
)


@dataclass
class PlanInfo:
    """What the plan seed made for one case, for the meetings."""

    case: Case
    workplan: Workplan
    goals: list[Goal]


class WorkplanSeeder:
    def __init__(self, users: dict[str, User]):
        # Seeded, non-cryptographic randomness: this is fictitious demo data only.
        self.rng = random.Random(SEED)  # noqa: S311
        self.users = users
        self.today = timezone.localdate()
        self.now = timezone.now()
        self.tz = timezone.get_current_timezone()
        by_name = {org.name: org for org in Organisation.objects.filter(name__in=ORGS.values())}
        self.orgs = {key: by_name[name] for key, name in ORGS.items()}
        municipality = self.orgs["gemeente"]
        self.teams = {name: Team.objects.get(organisation=municipality, name=name) for name in (TEAM_NOORD, TEAM_ZUID)}
        self.plans: list[PlanInfo] = []
        self.members: dict[int, list[User]] = defaultdict(list)
        self.contacts: dict[int, list[CaseMember]] = defaultdict(list)
        self.used_agreements: set[tuple[int, str]] = set()
        self.meetings_held: list[Meeting] = []

    # -- dates ---------------------------------------------------------------------------

    def days_ago(self, low: int, high: int) -> datetime.date:
        return self.today - datetime.timedelta(days=self.rng.randint(low, high))

    @staticmethod
    def weekday(day: datetime.date) -> datetime.date:
        while day.weekday() >= 5:
            day -= datetime.timedelta(days=1)
        return day

    # -- the plans -------------------------------------------------------------------------

    def run(self) -> None:
        cases = list(
            Case.objects.filter(status=CaseStatus.ACTIEF)
            .select_related("team", "coordinator", "household", "client")
            .order_by("team__name", "number")
        )
        for member in CaseMember.objects.current().filter(case__in=cases).select_related("user").order_by("id"):
            if member.user_id is None:
                self.contacts[member.case_id].append(member)
            elif member.user not in self.members[member.case_id]:
                self.members[member.case_id].append(member.user)
        partner_plans = 0
        for index, case in enumerate(cases):
            has_partner = any(u.username == "partner" for u in self.members[case.pk])
            self.plan(index, case, two_parties=has_partner and partner_plans % 2 == 0)
            partner_plans += has_partner
        self.seed_meetings()

    def owner_for(self, case: Case, domain: str) -> User:
        by_name = {user.username: user for user in self.members[case.pk]}
        for name in DOMAINS[domain].owners:
            if name == COORDINATOR:
                return case.coordinator
            if name in by_name:
                return by_name[name]
        return case.coordinator

    def goal_domains(self, case: Case, template: str, clients: list[Client], *, skip_low: bool, skip_work: bool):
        """The plan covers the weak ZRM domains and participation, unless a gap is to be shown."""
        order = list(TEMPLATES[template].domains) if template else []
        scores = latest_scores(case)
        order += sorted(d for d in scores if d not in order)
        low = [d for d in order if scores.get(d) is not None and scores[d] <= 2]
        # To show the gap "weak ZRM domain without a goal", one weak domain is left out of the plan.
        dropped = {low[-1]} if skip_low and len(low) > 1 else set()
        order = [d for d in order if d not in dropped]
        picked = [d for d in low if d not in dropped][:5]
        count = self.rng.randint(2, 5)
        for domain in order:
            if len(picked) >= count:
                break
            if domain not in picked:
                picked.append(domain)
        working_age = any(WORKING_AGE_FROM <= c.age_on(self.today) < WORKING_AGE_TO for c in clients)
        if skip_work:
            picked = [d for d in picked if d not in PARTICIPATION_DOMAINS]
            for domain in order:
                if len(picked) >= 2:
                    break
                if domain not in picked and domain not in PARTICIPATION_DOMAINS:
                    picked.append(domain)
        elif working_age and not any(d in PARTICIPATION_DOMAINS for d in picked):
            extra = next((d for d in order if d in PARTICIPATION_DOMAINS), D.TIJDSBESTEDING)
            picked = picked[:4] + [extra]
        return picked

    def plan(self, index: int, case: Case, *, two_parties: bool) -> None:
        rng = self.rng
        actor = case.coordinator or self.members[case.pk][0]
        template = TEMPLATE_BY_SUMMARY.get(case.summary, "")
        clients = case_clients(case)
        adults = [c for c in clients if c.age_on(self.today) >= 18] or clients[:1]
        children = [c for c in clients if c.age_on(self.today) < 18]

        adopt = index % 6 != 5
        revise = adopt and index % 3 == 1
        overdue_duties = adopt and index % 4 == 2
        without_owner = index % 5 == 3
        overdue_action = index % 4 == 0

        workplan = services.workplan_create(actor=actor, case=case)
        services.workplan_update(
            actor=actor,
            workplan=workplan,
            expected_version=None,
            problem_analysis=PROBLEM_ANALYSIS.get(template, case.summary),
            coordination_agreements=rng.choice(COORDINATION_AGREEMENTS).format(name=actor.get_full_name()),
            client_support_agreements=rng.choice(CLIENT_SUPPORT_AGREEMENTS),
        )
        domains = self.goal_domains(case, template, clients, skip_low=index % 5 == 1, skip_work=index % 6 == 3)
        self.analysis(actor, workplan, domains, adults, children)

        goals: list[Goal] = []
        partner_domain = None
        for position, domain in enumerate(domains):
            owner = None if without_owner and position == len(domains) - 1 else self.owner_for(case, domain)
            term = GoalTerm.LONG if position == 0 or rng.random() < 0.3 else GoalTerm.SHORT
            goals.append(self.goal(actor, workplan, domain, term, owner))
            if owner is not None and owner.username == "partner" and partner_domain is None:
                partner_domain = domain
        if two_parties and partner_domain:
            # A second party owns a goal on the same domain: the plan asks who is responsible.
            first = next(g for g in goals if g.life_domain == partner_domain)
            term = GoalTerm.SHORT if first.term == GoalTerm.LONG else GoalTerm.LONG
            goals.append(self.goal(actor, workplan, partner_domain, term, case.coordinator))

        # Duty a done 60-100 days ago is overdue again; on the first of these plans the last review is
        # also longer ago than the review interval, so its long-term goals show as not reviewed.
        if overdue_duties:
            review_day = self.days_ago(95, 100) if index == 2 else self.days_ago(60, 85)
        else:
            review_day = self.days_ago(7, 35)
        for position, goal in enumerate(goals):
            self.actions(actor, goal, overdue=overdue_action and position == 0)
            if adopt and (overdue_duties or rng.random() < 0.4):
                services.progress_review_add(
                    actor=actor,
                    goal=goal,
                    status=GoalStatus.LOOPT,
                    note=DOMAINS[goal.life_domain].review,
                    reviewed_on=review_day,
                )
        if adopt:
            duties = {duty.duty: duty for duty in workplan.duties.all()}
            services.duty_record(
                actor=actor,
                duty=duties[Duty.A],
                done_on=review_day,
                what="Voortgang van de doelen besproken met het casusteam.",
                outcome="Doelen lopen; acties zijn bijgewerkt.",
            )
            services.duty_record(
                actor=actor,
                duty=duties[Duty.B],
                done_on=self.days_ago(10, 40),
                what="Afgestemd met de betrokken partijen over de taakverdeling.",
            )
        if index % 2 == 0 or overdue_duties:
            # Duty f: on plans with overdue duties the client was last involved too long ago.
            occurred = self.days_ago(60, 100) if overdue_duties else self.days_ago(3, 30)
            with_words = [g for g in goals if g.client_words] or goals[:1]
            services.involvement_record(
                actor=actor,
                workplan=workplan,
                how=rng.choice(
                    (InvolvementHow.GESPREK, InvolvementHow.HUISBEZOEK, InvolvementHow.TELEFOON, InvolvementHow.VIDEO)
                ),
                participants=rng.sample(adults, min(len(adults), rng.randint(1, 2))),
                general_view=rng.choice(GENERAL_VIEWS),
                goal_views={goal: DOMAINS[goal.life_domain].view for goal in with_words[:3]},
                occurred_on=occurred,
            )
        if index % 2 == 1:
            self.obstacles(actor, workplan, domains, resolve_one=index % 4 == 3)

        if adopt:
            result = services.workplan_adopt(actor=actor, workplan=workplan)
            if revise and not isinstance(result, ApprovalRequest):
                reason = self.revise(actor, case, workplan, goals, clients)
                services.workplan_adopt(actor=actor, workplan=workplan, reason=reason)
            elif index % 6 == 0 and not isinstance(result, ApprovalRequest):
                # A goal missed after adoption: the plan page asks for a review (duty e).
                missed = next((g for g in goals if g.term == GoalTerm.SHORT), goals[-1])
                services.progress_review_add(
                    actor=actor,
                    goal=missed,
                    status=GoalStatus.NIET_BEHAALD,
                    note="Niet gelukt binnen de termijn; de cliënt haakte af na twee afspraken.",
                )
        self.plans.append(PlanInfo(case=case, workplan=workplan, goals=goals))

    def goal(self, actor: User, workplan: Workplan, domain: str, term: str, owner: User | None) -> Goal:
        content = DOMAINS[domain]
        return services.goal_add(
            actor=actor,
            workplan=workplan,
            term=term,
            life_domain=domain,
            description=content.long if term == GoalTerm.LONG else content.short,
            owner=owner,
            horizon_years=self.rng.randint(1, 3) if term == GoalTerm.LONG else None,
            target_date=None
            if term == GoalTerm.LONG
            else self.today + datetime.timedelta(days=self.rng.randint(30, 120)),
            client_words=content.words if self.rng.random() < 0.5 else "",
        )

    def analysis(self, actor: User, workplan: Workplan, domains: list[str], adults, children) -> None:
        """1-3 services the household receives now or received before."""
        rng = self.rng
        options = [entry for domain in domains for entry in DOMAINS[domain].analysis]
        for number, (provision, party, for_child, outcome) in enumerate(
            rng.sample(options, min(len(options), rng.randint(1, 3)))
        ):
            client = rng.choice(children if for_child and children else adults)
            if number == 0 or not outcome:
                period_from, period_to, outcome = self.days_ago(60, 540), None, ""
            else:
                period_to = self.days_ago(120, 540)
                period_from = period_to - datetime.timedelta(days=rng.randint(90, 400))
            services.analysis_add(
                actor=actor,
                workplan=workplan,
                client=client,
                provision=provision,
                party=party,
                period_from=period_from,
                period_to=period_to,
                outcome=outcome,
            )

    def actions(self, actor: User, goal: Goal, *, overdue: bool) -> None:
        """1-3 actions per goal; an overdue one is past its end date and still open."""
        rng = self.rng
        options = DOMAINS[goal.life_domain].actions
        for number, (description, org_key) in enumerate(options[: rng.randint(1, len(options))]):
            party = self.orgs[org_key]
            professional = goal.owner if goal.owner and goal.owner.organisation_id == party.pk else None
            if overdue and number == 0:
                # Past its end date and still running: the plan shows it as overdue.
                start_on, end_on, status = self.days_ago(40, 120), self.days_ago(5, 25), ActionStatus.LOOPT
            elif number > 0 and rng.random() < 0.6:
                # The next step, planned to start soon (its status stays "gepland").
                start_on = self.today + datetime.timedelta(days=rng.randint(7, 30))
                end_on, status = start_on + datetime.timedelta(days=rng.randint(30, 120)), ActionStatus.GEPLAND
            elif rng.random() < 0.25:
                start_on, end_on, status = self.days_ago(40, 120), self.days_ago(1, 25), ActionStatus.AFGEROND
            else:
                start_on = self.days_ago(14, 120)
                end_on, status = self.today + datetime.timedelta(days=rng.randint(14, 120)), ActionStatus.LOOPT
            action = services.action_add(
                actor=actor,
                goal=goal,
                description=description,
                party=party,
                professional=professional,
                start_on=start_on,
                end_on=end_on,
            )
            if status != ActionStatus.GEPLAND:
                services.action_set_status(actor=actor, action=action, status=status)

    def obstacles(self, actor: User, workplan: Workplan, domains: list[str], *, resolve_one: bool) -> None:
        rng = self.rng
        fitting = [o for o in OBSTACLES if o[0] in domains] or list(OBSTACLES)
        chosen = rng.sample(fitting, min(len(fitting), rng.randint(1, 2)))
        for number, (_domain, category, description, party) in enumerate(chosen):
            obstacle = services.obstacle_raise(
                actor=actor,
                workplan=workplan,
                category=category,
                description=description,
                party=party,
                raised_on=self.days_ago(20, 90),
            )
            if resolve_one and number == 0:
                services.obstacle_resolve(
                    actor=actor,
                    obstacle=obstacle,
                    resolved_on=obstacle.raised_on + datetime.timedelta(days=rng.randint(5, 19)),
                )

    def revise(self, actor: User, case: Case, workplan: Workplan, goals: list[Goal], clients) -> str:
        """Change the adopted plan, for a second version; returns the reason."""
        present = {g.life_domain for g in goals}
        missing = [d for d in (D.WERK_OPLEIDING, D.TIJDSBESTEDING, D.MAATSCHAPPELIJKE_PARTICIPATIE) if d not in present]
        working_age = any(WORKING_AGE_FROM <= c.age_on(self.today) < WORKING_AGE_TO for c in clients)
        if missing and working_age:
            domain = missing[0]
            goal = self.goal(actor, workplan, domain, GoalTerm.SHORT, self.owner_for(case, domain))
            self.actions(actor, goal, overdue=False)
            goals.append(goal)
            return self.rng.choice(REVISION_REASONS[domain])
        short = next((g for g in goals if g.term == GoalTerm.SHORT), None)
        if short is not None and self.rng.random() < 0.5:
            services.progress_review_add(
                actor=actor, goal=short, status=GoalStatus.BEHAALD, note="Doel behaald; afgesproken in het casusteam."
            )
            return "Kortetermijndoel behaald; de volgende stap is in het plan opgenomen"
        goal = short or goals[-1]
        services.goal_update(
            actor=actor,
            goal=goal,
            expected_version=None,
            target_date=self.today + datetime.timedelta(days=self.rng.randint(60, 150)),
        )
        return "Streefdatum verschoven: de wachtlijst is langer dan verwacht"

    # -- the casusoverleg -------------------------------------------------------------------

    def _past_meeting(self, *, team: Team, chair: User, kind: str, title: str, days_ago: int, hour: int) -> Meeting:
        day = self.weekday(self.today - datetime.timedelta(days=days_ago))
        meeting = meeting_services.meeting_plan(
            actor=chair,
            team=team,
            title=title,
            starts_at=self.now + datetime.timedelta(days=1),
            chair=chair,
            duration_minutes=90 if kind == MeetingKind.TEAMOVERLEG else 60,
            kind=kind,
            location=LOCATION if team.name == TEAM_NOORD else "Wijkcentrum Zuid, spreekkamer 3",
        )
        # meeting_plan refuses a start in the past by design; the demo history needs past meetings,
        # so only the start of these demo meetings is moved back after planning.
        past = datetime.datetime.combine(day, datetime.time(hour, 0), tzinfo=self.tz)
        Meeting.objects.filter(pk=meeting.pk).update(starts_at=past)
        meeting.starts_at = past
        return meeting

    def seed_meetings(self) -> None:
        rng = self.rng
        noord = [p for p in self.plans if p.case.team.name == TEAM_NOORD]
        zuid = [p for p in self.plans if p.case.team.name == TEAM_ZUID]
        regisseur, partner = self.users["regisseur"], self.users["partner"]

        def with_partner(plan: PlanInfo) -> bool:
            return partner in self.members[plan.case.pk]

        partner_plans = [p for p in noord if with_partner(p)]
        others = [p for p in noord if not with_partner(p)]
        teamoverleg = [
            (63, rng.sample(noord, 3), False),
            (35, rng.sample(partner_plans, 1) + rng.sample(others, 2), True),
            (14, rng.sample(noord, 3), False),
        ]
        for days_ago, agenda, invite_partner in teamoverleg:
            meeting = self._past_meeting(
                team=self.teams[TEAM_NOORD],
                chair=regisseur,
                kind=MeetingKind.TEAMOVERLEG,
                title="Teamoverleg Wijkteam Noord",
                days_ago=days_ago,
                hour=10,
            )
            self.run_meeting(meeting, regisseur, agenda, invite_partner=invite_partner)
        # One casusoverleg in Wijkteam Zuid, preferably about a case with a safety concern.
        subject = next((p for p in zuid if p.case.safety_concern), zuid[0])
        meeting = self._past_meeting(
            team=self.teams[TEAM_ZUID],
            chair=self.users["wijkcoach2"],
            kind=MeetingKind.CASUSOVERLEG,
            title="Casusoverleg Wijkteam Zuid",
            days_ago=24,
            hour=14,
        )
        self.run_meeting(meeting, self.users["wijkcoach2"], [subject], invite_partner=False, invite_contacts=True)
        self.plan_next_meeting()

    def participants_for(self, agenda: list[PlanInfo], chair: User, *, invite_partner: bool) -> list[User]:
        invited: list[User] = []
        for plan in agenda:
            for user in [plan.case.coordinator, *self.members[plan.case.pk]]:
                if user is None or user == chair or user in invited:
                    continue
                if user.username == "partner" and not invite_partner:
                    continue
                invited.append(user)
        return invited

    def run_meeting(
        self,
        meeting: Meeting,
        chair: User,
        agenda: list[PlanInfo],
        *,
        invite_partner: bool,
        invite_contacts: bool = False,
    ) -> None:
        """Agenda, participants and attendance, minutes, agreements; then the meeting is held."""
        rng = self.rng
        items = []
        item_domains: dict[int, str] = {}
        for plan in agenda:
            domain = plan.goals[0].life_domain
            question, category = DOMAINS[domain].question, LIFE_DOMAIN_CATEGORY[domain]
            if invite_partner and self.users["partner"] in self.members[plan.case.pk]:
                # With the GGZ partner at the table, their case's item is about its mental-health goal, or else
                # about the cooperation itself: never about a topic their purpose leaves out.
                mental = next((g for g in plan.goals if g.life_domain == D.GEESTELIJKE_GEZONDHEID), None)
                if mental is not None:
                    domain = mental.life_domain
                    question, category = DOMAINS[domain].question, LIFE_DOMAIN_CATEGORY[domain]
                else:
                    question, category = PARTNER_ITEM_QUESTION, DataCategory.NOTITIES
            item = meeting_services.agenda_item_add(
                actor=chair,
                meeting=meeting,
                case=plan.case,
                minutes_planned=60 if meeting.kind == MeetingKind.CASUSOVERLEG else rng.choice((15, 20, 30)),
                question=question,
                # What the item is about: a partner whose purpose excludes it gets neither question nor minutes.
                category=category,
            )
            items.append(item)
            item_domains[item.pk] = domain
        invited = self.participants_for(agenda, chair, invite_partner=invite_partner)
        participants = [meeting.participants.get(user=chair)]
        for user in invited:
            participants.append(meeting_services.participant_add(actor=chair, meeting=meeting, user=user, notify=False))
        if invite_contacts:
            for plan in agenda:
                for contact in self.contacts[plan.case.pk]:
                    if contact.contact_email:
                        participants.append(
                            meeting_services.participant_add(
                                actor=chair,
                                meeting=meeting,
                                organisation=contact.organisation,
                                contact_name=contact.contact_name,
                                contact_email=contact.contact_email,
                                notify=False,
                            )
                        )
        # One participant (never the chair) sent apologies.
        absent = rng.choice(participants[1:]) if len(participants) > 2 else None
        present: set[int] = set()
        for participant in participants:
            if participant is absent:
                meeting_services.participant_record_attendance(
                    actor=chair,
                    participant=participant,
                    attendance=Attendance.AFWEZIG,
                    absence_reason=ABSENCE_REASONS[len(self.meetings_held) % len(ABSENCE_REASONS)],
                )
            else:
                meeting_services.participant_record_attendance(
                    actor=chair, participant=participant, attendance=Attendance.AANWEZIG
                )
                if participant.user_id:
                    present.add(participant.user_id)

        day = timezone.localdate(meeting.starts_at)
        for plan, item in zip(agenda, items, strict=True):
            members = self.members[plan.case.pk]
            owners = [u for u in members if u.pk in present] or members
            lines, reasoning = [], []
            others = 0
            for domain, what in self.agreement_texts(plan)[: rng.randint(2, 4)]:
                content = DOMAINS[domain]
                self.used_agreements.add((plan.case.pk, what))
                owner = self.owner_for(plan.case, domain)
                if owner not in owners:
                    # The preferred owner was absent: someone present takes it, a partner only for their own domain.
                    fallback = [u for u in owners if u.username != "partner" or "partner" in content.owners]
                    owner = rng.choice(fallback or owners)
                due_on = day + datetime.timedelta(days=rng.randint(7, 21))
                goal = next((g for g in plan.goals if g.life_domain == domain), None)
                agreement = meeting_services.agreement_make(
                    actor=chair, case=plan.case, what=what, due_on=due_on, owner=owner, meeting=meeting, goal=goal
                )
                # The minutes of the item hold only what its topic covers; agreements on other life domains are
                # recorded with their own category and counted here, never quoted.
                if LIFE_DOMAIN_CATEGORY[domain] == item.category:
                    lines.append(f"- {what} ({owner.get_full_name()}, uiterlijk {due_on:%d-%m-%Y})")
                    if content.reasoning not in reasoning:
                        reasoning.append(content.reasoning)
                else:
                    others += 1
                if due_on < self.today:
                    roll = rng.random()
                    if roll < 0.3:
                        meeting_services.agreement_close(
                            actor=owner,
                            agreement=agreement,
                            status=AgreementStatus.GEDAAN,
                            note="Gedaan; teruggekoppeld aan de regievoerder.",
                        )
                    elif roll < 0.45:
                        meeting_services.agreement_close(
                            actor=owner,
                            agreement=agreement,
                            status=AgreementStatus.NIET_GEDAAN,
                            note="Niet gelukt: de cliënt was twee keer niet bereikbaar. Opnieuw bespreken.",
                        )
            meeting_services.agenda_item_record(
                actor=chair,
                item=item,
                expected_version=None,
                decisions="Afspraken:\n"
                + "\n".join(
                    lines
                    + ([f"- {others} afspraak/afspraken over andere leefgebieden (zie de afspraken)"] if others else [])
                ),
                reasoning=" ".join(reasoning) or DOMAINS[item_domains[item.pk]].reasoning,
            )
        meeting_services.meeting_hold(actor=chair, meeting=meeting)
        self.meetings_held.append(meeting)

    def agreement_texts(self, plan: PlanInfo) -> list[tuple[str, str]]:
        """Agreements for the plan's goal domains, in goal order, not repeating one made for the case before."""
        domains = list(dict.fromkeys(g.life_domain for g in plan.goals))
        groups = [[(d, what) for what in DOMAINS[d].agreements] for d in domains]
        pairs = [pair for group in itertools.zip_longest(*groups) for pair in group if pair]
        fresh = [pair for pair in pairs if (plan.case.pk, pair[1]) not in self.used_agreements]
        return fresh if len(fresh) >= 2 else pairs

    def plan_next_meeting(self) -> None:
        """Next week's teamoverleg of Wijkteam Noord, with the agenda builder's top three."""
        regisseur = self.users["regisseur"]
        team = self.teams[TEAM_NOORD]
        next_monday = self.today + datetime.timedelta(days=7 - self.today.weekday())
        starts_at = datetime.datetime.combine(
            next_monday + datetime.timedelta(days=1), datetime.time(10, 0), tzinfo=self.tz
        )
        meeting = meeting_services.meeting_plan(
            actor=regisseur,
            team=team,
            title="Teamoverleg Wijkteam Noord",
            starts_at=starts_at,
            chair=regisseur,
            duration_minutes=90,
            kind=MeetingKind.TEAMOVERLEG,
            location=LOCATION,
        )
        suggestions = agenda_suggestions(
            policy.filter_cases(regisseur, Case.objects.filter(team=team, status=CaseStatus.ACTIEF))
        )[:3]
        invited: list[User] = []
        for suggestion in suggestions:
            meeting_services.agenda_item_add(
                actor=regisseur,
                meeting=meeting,
                case=suggestion.case,
                minutes_planned=20,
                question="Voorgesteld door de agendabouwer: "
                + "; ".join(suggestion.reasons)
                + ". Wat is de volgende stap?",
            )
            for user in [suggestion.case.coordinator, *self.members[suggestion.case.pk]]:
                if user is not None and user != regisseur and user.username != "partner" and user not in invited:
                    invited.append(user)
        for user in invited:
            meeting_services.participant_add(actor=regisseur, meeting=meeting, user=user, notify=False)


def seed_workplans(users: dict[str, User]) -> None:
    """Seed the demo workplans and casusoverleg once; a second run finds a workplan and does nothing."""
    if Workplan.objects.exists():
        return
    with transaction.atomic():
        WorkplanSeeder(users).run()
