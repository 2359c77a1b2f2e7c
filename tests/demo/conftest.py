"""The demo data, seeded once for every test in this package.

Seeding takes seconds, so the demo tests share one seed inside a transaction
that is rolled back when the package is done: no other test sees the data.
"""

import pytest
from django.core.management import call_command
from django.db import transaction


@pytest.fixture(scope="package")
def demo(django_db_setup, django_db_blocker):
    with django_db_blocker.unblock(), transaction.atomic():
        call_command("seed_demo", verbosity=0)
        yield
        transaction.set_rollback(True)
