"""Demo organisations, teams and one user per role (password "demo").

Idempotent: every object is looked up by its natural key first, so running
the seed twice yields the same data.
"""

from __future__ import annotations

from dataclasses import dataclass

from django.contrib.auth.hashers import make_password
from django.db import transaction

from .constants import OrganisationType, Role
from .models import Membership, Organisation, Team, User
from .services import user_sync_groups

DEMO_PASSWORD = "demo"  # noqa: S105 - only ever set when settings.DEMO_MODE is on
MUNICIPALITY = "Gemeente Voorbeeldstad"
TEAM_NOORD = "Wijkteam Noord"
TEAM_ZUID = "Wijkteam Zuid"
TEAM_WI = "Werk en Inkomen"

PARTNERS = [
    ("GGZ Voorbeeldstad", OrganisationType.ZORGAANBIEDER),
    ("Veilig Thuis Regio Voorbeeldstad", OrganisationType.VEILIG_THUIS),
    ("Basisschool De Regenboog", OrganisationType.ONDERWIJS),
    ("Schuldhulpverlening Voorbeeldstad", OrganisationType.SCHULDHULPVERLENING),
    ("Woonstichting Thuis", OrganisationType.WONINGCORPORATIE),
    ("UWV Voorbeeldstad", OrganisationType.UWV),
]


@dataclass(frozen=True)
class DemoUser:
    username: str
    first_name: str
    last_name: str
    role: str
    team: str
    organisation: str = MUNICIPALITY
    staff: bool = False
    also_leads: tuple[str, ...] = ()  # further teams this user leads with the same role


DEMO_USERS = [
    DemoUser("wijkcoach", "Sanne", "de Vries", Role.WIJKCOACH, TEAM_NOORD),
    DemoUser("wijkcoach2", "Youssef", "El Amrani", Role.WIJKCOACH, TEAM_ZUID),
    DemoUser("klantmanager", "Petra", "Jansen", Role.KLANTMANAGER, TEAM_WI),
    DemoUser("werkcoach", "Daan", "Bakker", Role.WERKCOACH, TEAM_WI),
    DemoUser("regisseur", "Marieke", "van den Berg", Role.REGISSEUR, TEAM_NOORD),
    # Leads Wijkteam Noord and Werk en Inkomen, so the handover wizard can move the werkcoach's caseload.
    DemoUser("teamleider", "Ahmet", "Yilmaz", Role.TEAMLEIDER, TEAM_NOORD, also_leads=(TEAM_WI,)),
    DemoUser("beleid", "Linda", "Visser", Role.BELEID, TEAM_WI),
    DemoUser("fg", "Kees", "Smit", Role.FG, TEAM_WI, staff=True),
    DemoUser("beheerder", "Ingrid", "Mulder", Role.BEHEERDER, TEAM_WI, staff=True),
    DemoUser("partner", "Fatima", "Bouzid", Role.PARTNER, "GGZ Ambulant Team", organisation="GGZ Voorbeeldstad"),
]


@transaction.atomic
def seed_accounts() -> dict[str, User]:
    municipality, _ = Organisation.objects.update_or_create(
        name=MUNICIPALITY, defaults={"type": OrganisationType.GEMEENTE, "phone": "14 0123"}
    )
    organisations = {MUNICIPALITY: municipality}
    for name, org_type in PARTNERS:
        organisations[name], _ = Organisation.objects.update_or_create(name=name, defaults={"type": org_type})

    teams = {}
    for name in (TEAM_NOORD, TEAM_ZUID, TEAM_WI):
        teams[name], _ = Team.objects.get_or_create(organisation=municipality, name=name)
    teams["GGZ Ambulant Team"], _ = Team.objects.get_or_create(
        organisation=organisations["GGZ Voorbeeldstad"], name="GGZ Ambulant Team"
    )

    users: dict[str, User] = {}
    # Hash once: the password hasher is deliberately slow, and all demo users share the password.
    hashed = make_password(DEMO_PASSWORD)
    for spec in DEMO_USERS:
        user, created = User.objects.get_or_create(
            username=spec.username,
            defaults={
                "first_name": spec.first_name,
                "last_name": spec.last_name,
                "email": f"{spec.username}@voorbeeldstad.example",
                "organisation": organisations[spec.organisation],
                "is_staff": spec.staff,
                "phone": "06 1234 5678",
            },
        )
        if created:
            user.password = hashed
            user.save(update_fields=["password"])
        for team_name in (spec.team, *spec.also_leads):
            Membership.objects.get_or_create(user=user, team=teams[team_name], role=spec.role, valid_to=None)
        user_sync_groups(user=user)
        users[spec.username] = user
    return users
