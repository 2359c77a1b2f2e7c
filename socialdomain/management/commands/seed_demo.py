"""Load the demo data. Idempotent; refuses to run unless DEMO_MODE is on."""

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError

from accounts.demo import DEMO_PASSWORD, DEMO_USERS, seed_accounts
from cases.demo import seed_cases, seed_handovers, seed_privacy
from consent.demo import seed_purposes
from reports.demo import seed_report
from workplans.demo import seed_workplans


class Command(BaseCommand):
    help = "Laadt de demogegevens (alleen met DEMO_MODE aan). Twee keer draaien geeft dezelfde gegevens."

    def handle(self, *args, **options):
        if not settings.DEMO_MODE:
            raise CommandError("DEMO_MODE staat uit: demo-accounts worden nooit in productie aangemaakt.")
        users = seed_accounts()
        seed_purposes()
        seed_cases(users)
        seed_workplans(users)
        seed_privacy(users)
        seed_handovers(users)
        # Last: the report of the last full quarter reads everything above.
        seed_report(users)
        self.stdout.write(self.style.SUCCESS("Demogegevens geladen."))
        self.stdout.write(f"Demo-accounts (wachtwoord '{DEMO_PASSWORD}'): " + ", ".join(u.username for u in DEMO_USERS))
