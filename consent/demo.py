"""Demo purposes (doelen) with their legal bases, data categories and recipients.

Seeded before the demo case file, because a partner joins a case for a purpose.
The consents, the break-the-glass grant and the legal hold of the demo are seeded
by ``cases.demo.seed_privacy`` (they refer to cases).
"""

from __future__ import annotations

from accounts.constants import OrganisationType as O

from .constants import CriminalGround, LegalBasis, PurposeLaw, SpecialGround
from .constants import DataCategory as C
from .models import Purpose

ADMIN = [C.ADMINISTRATIEF, C.IDENTITEIT, C.CONTACT]

PURPOSES = [
    {
        "code": "werkplan-meervoudig",
        "name": "Uitvoering werkplan meervoudige problematiek",
        "description": "Coördinatie van de hulp aan een huishouden met problemen op meerdere leefgebieden (Wams, plichten a–g).",
        "legal_basis": LegalBasis.PUBLIC_TASK,
        "special_ground": SpecialGround.CARE,
        "law": PurposeLaw.WAMS,
        "categories": [
            *ADMIN,
            C.HUISHOUDEN,
            C.INKOMEN_SCHULDEN,
            C.WONEN,
            C.WERK_DAGBESTEDING,
            C.GEZONDHEID,
            C.PSYCHISCHE_GEZONDHEID,
            C.VERSLAVING,
            C.VEILIGHEID,
            C.ONDERWIJS,
            C.NOTITIES,
        ],
        "recipient_types": [O.GEMEENTE],
    },
    {
        "code": "casusoverleg",
        "name": "Casusoverleg",
        "description": "Bespreken van de casus met de betrokken partijen; alleen wat nodig is voor de afspraken.",
        "legal_basis": LegalBasis.PUBLIC_TASK,
        "law": PurposeLaw.WAMS,
        "categories": [C.ADMINISTRATIEF, C.IDENTITEIT, C.HUISHOUDEN, C.VEILIGHEID, C.NOTITIES],
        "recipient_types": [O.GEMEENTE, O.ZORGAANBIEDER, O.SCHULDHULPVERLENING, O.WONINGCORPORATIE, O.UWV],
    },
    {
        "code": "ggz-afstemming",
        "name": "Afstemming met de GGZ-behandelaar",
        "description": "Met toestemming van de cliënt: afstemmen van de behandeling met het werkplan.",
        "legal_basis": LegalBasis.CONSENT,
        "special_ground": SpecialGround.EXPLICIT_CONSENT,
        "law": PurposeLaw.WMO,
        "categories": [*ADMIN, C.HUISHOUDEN, C.GEZONDHEID, C.PSYCHISCHE_GEZONDHEID, C.VERSLAVING, C.NOTITIES],
        "recipient_types": [O.ZORGAANBIEDER],
    },
    {
        "code": "schuldhulpverlening",
        "name": "Schuldhulpverlening",
        "description": "Toeleiding naar en uitvoering van schuldhulp (Wgs art. 5: binnen 4 weken een eerste gesprek).",
        "legal_basis": LegalBasis.PUBLIC_TASK,
        "law": PurposeLaw.WGS,
        "categories": [*ADMIN, C.HUISHOUDEN, C.INKOMEN_SCHULDEN, C.WONEN],
        "recipient_types": [O.SCHULDHULPVERLENING],
    },
    {
        "code": "veiligheid-huiselijk-geweld",
        "name": "Veiligheid (huiselijk geweld en kindermishandeling)",
        "description": "Afstemming met Veilig Thuis en politie volgens de meldcode.",
        "legal_basis": LegalBasis.LEGAL_OBLIGATION,
        "special_ground": SpecialGround.PUBLIC_INTEREST,
        "criminal_ground": CriminalGround.UAVG_33,
        "law": PurposeLaw.MELDCODE,
        "categories": [*ADMIN, C.HUISHOUDEN, C.VEILIGHEID, C.JUSTITIE, C.PSYCHISCHE_GEZONDHEID, C.NOTITIES],
        "recipient_types": [O.VEILIG_THUIS, O.POLITIE],
    },
    {
        "code": "toeleiding-werk",
        "name": "Toeleiding naar werk",
        "description": "Re-integratie en begeleiding naar werk (Participatiewet).",
        "legal_basis": LegalBasis.PUBLIC_TASK,
        "law": PurposeLaw.PARTICIPATIEWET,
        "categories": [*ADMIN, C.WERK_DAGBESTEDING, C.INKOMEN_SCHULDEN],
        "recipient_types": [O.UWV],
    },
    {
        "code": "jeugdhulp",
        "name": "Jeugdhulp",
        "description": "Afstemming van jeugdhulp met school en jeugdhulpaanbieder (Jeugdwet).",
        "legal_basis": LegalBasis.PUBLIC_TASK,
        "special_ground": SpecialGround.CARE,
        "law": PurposeLaw.JEUGDWET,
        "categories": [*ADMIN, C.HUISHOUDEN, C.ONDERWIJS, C.GEZONDHEID, C.PSYCHISCHE_GEZONDHEID],
        "recipient_types": [O.ONDERWIJS, O.ZORGAANBIEDER],
    },
]


def seed_purposes() -> dict[str, Purpose]:
    """Create the demo purposes once (idempotent); returns them by code."""
    purposes = {}
    for spec in PURPOSES:
        values = dict(spec)
        code = values.pop("code")
        purpose, _ = Purpose.objects.get_or_create(code=code, defaults=values)
        purpose.full_clean()
        purposes[code] = purpose
    return purposes
