"""Show, or carry out, what the nightly retention job does: ``manage.py retention [--dry-run] [--today JJJJ-MM-DD]``."""

from __future__ import annotations

import datetime

from django.core.management.base import BaseCommand, CommandError

from consent import retention
from consent.constants import RetentionLaw


def _date(value: str) -> datetime.date:
    try:
        return datetime.date.fromisoformat(value)
    except ValueError as exc:
        raise CommandError(f"Ongeldige datum '{value}': gebruik JJJJ-MM-DD.") from exc


class Command(BaseCommand):
    help = (
        "Anonimiseert of vernietigt afgesloten casussen waarvan de bewaartermijn verstreken is "
        "(juridische bewaarplichten worden overgeslagen). Met --dry-run alleen een lijst; er verandert niets."
    )

    def add_arguments(self, parser):
        parser.add_argument("--dry-run", action="store_true", help="Alleen tonen wat zou gebeuren.")
        parser.add_argument("--today", type=_date, default=None, help="Rekendatum (JJJJ-MM-DD); standaard vandaag.")

    def handle(self, *args, dry_run: bool = False, today: datetime.date | None = None, **options):
        results = retention.run(today=today, dry_run=dry_run)
        if not results:
            self.stdout.write("Geen casussen met een verstreken bewaartermijn.")
            return
        header = "Zou worden verwerkt" if dry_run else "Verwerkt"
        self.stdout.write(f"{header}: {len(results)} casus(sen)")
        self.stdout.write(f"{'Casusnummer':<14} {'Wet':<40} {'Afgesloten':<11} {'Termijn tot':<11} Handeling")
        for item in results:
            law = str(RetentionLaw(item["law"]).label)
            line = (
                f"{item['number']:<14} {law:<40} {item['closed_on']:%d-%m-%Y}  {item['due_on']:%d-%m-%Y}  "
                f"{item['action']}"
            )
            if "fout" in item:
                line += f"  MISLUKT ({item['fout']})"
            self.stdout.write(line)
        failed = sum(1 for item in results if "fout" in item)
        if dry_run:
            self.stdout.write(self.style.WARNING("Proefdraaien: er is niets gewijzigd."))
        elif failed:
            self.stdout.write(self.style.ERROR(f"{failed} casus(sen) mislukt; zie het logboek."))
        else:
            self.stdout.write(self.style.SUCCESS("Klaar; vastgelegd in het vernietigingsregister."))
