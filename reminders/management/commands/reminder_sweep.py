"""Run the reminder sweep now (the quick start runs it at start-up, so a newcomer sees a filled inbox)."""

from django.core.management.base import BaseCommand

from reminders.sweep import run_sweep


class Command(BaseCommand):
    help = "Maakt nu de herinneringen aan die klaarstaan (dezelfde regels als de geplande taak)."

    def handle(self, *args, **options):
        total = run_sweep()["total"]
        self.stdout.write(f"Herinneringen aangemaakt: {total['created']} (in {total['seconds']:.1f} s).")
