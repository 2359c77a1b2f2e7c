"""Give the first functioneel beheerders their role, from the command line.

Granting a role takes two people (a role request and another person's approval), so a new installation
needs a start: whoever runs this has the server (like ``createsuperuser``). It works only while fewer than
two active users hold the beheerder role; from then on every grant is a role request. The membership has
no request, so the FG sees it under "Rollen gegeven zonder verzoek".
"""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError

from accounts.constants import Role
from accounts.models import Membership, Team, User
from accounts.services import membership_add

# Two beheerders can decide each other's requests: from then on the four eyes work without this command.
BOOTSTRAP_LIMIT = 2


def active_beheerders() -> int:
    return (
        User.objects.filter(is_active=True, memberships__in=Membership.objects.current().filter(role=Role.BEHEERDER))
        .distinct()
        .count()
    )


class Command(BaseCommand):
    help = (
        "Geeft een gebruiker de rol functioneel beheerder in een team, zolang er minder dan twee actieve "
        "functioneel beheerders zijn. Daarna gaat elke rol via een rolverzoek (vier ogen)."
    )

    def add_arguments(self, parser):
        parser.add_argument("--username", required=True, help="de gebruikersnaam")
        parser.add_argument("--team", required=True, help="de naam van het team")
        parser.add_argument("--organisation", help="de organisatie van het team, als de naam niet uniek is")

    def handle(self, *args, username: str, team: str, organisation: str | None = None, **options):
        count = active_beheerders()
        if count >= BOOTSTRAP_LIMIT:
            raise CommandError(
                f"Er zijn al {count} actieve functioneel beheerders: vraag de rol aan op de pagina Rolverzoeken."
            )
        user = User.objects.filter(username=username).first()
        if user is None or not user.is_active:
            raise CommandError(f"Er is geen actieve gebruiker {username!r}.")
        teams = Team.objects.filter(name=team)
        if organisation:
            teams = teams.filter(organisation__name=organisation)
        found = list(teams[:2])
        if len(found) != 1:
            raise CommandError(
                f"Team {team!r} niet gevonden." if not found else f"Team {team!r} is niet uniek: geef --organisation."
            )
        try:
            membership_add(actor=None, user=user, team=found[0], role=Role.BEHEERDER)
        except ValidationError as exc:
            raise CommandError(" ".join(exc.messages)) from exc
        self.stdout.write(self.style.SUCCESS(f"{user.username} is functioneel beheerder in {found[0].name}."))
