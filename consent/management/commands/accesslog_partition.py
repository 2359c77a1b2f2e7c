"""Partition the access log by month (PostgreSQL), or show the statements with --dry-run."""

from django.core.management.base import BaseCommand
from django.db import connection

from consent import partitioning


class Command(BaseCommand):
    help = "Zet het toegangslog om naar maandpartities (alleen PostgreSQL); --dry-run toont de SQL."

    def add_arguments(self, parser):
        parser.add_argument("--dry-run", action="store_true", help="Alleen tonen, niets wijzigen.")
        parser.add_argument("--months-ahead", type=int, default=3, help="Aantal maanden vooruit (standaard 3).")

    def handle(self, *args, dry_run=False, months_ahead=3, **options):
        if connection.vendor != "postgresql":
            self.stdout.write("Partitioneren kan alleen op PostgreSQL; deze database blijft zoals hij is.")
            return
        if partitioning.is_partitioned(connection):
            created = partitioning.ensure_partitions(connection, months_ahead=months_ahead)
            self.stdout.write(f"Het toegangslog is al gepartitioneerd; partities aanwezig: {', '.join(created)}.")
            return
        if dry_run:
            for statement in partitioning.conversion_sql(connection, months_ahead=months_ahead):
                self.stdout.write(statement + ";")
            return
        statements = partitioning.convert(connection, months_ahead=months_ahead)
        self.stdout.write(self.style.SUCCESS(f"Toegangslog gepartitioneerd ({len(statements)} opdrachten)."))
