"""The quick start runs the sweep at start-up: a second run creates nothing new."""

import pytest
from django.core.management import call_command


@pytest.mark.django_db
def test_reminder_sweep_command_reports_and_is_idempotent(capsys):
    call_command("reminder_sweep")
    call_command("reminder_sweep")
    out = capsys.readouterr().out.splitlines()
    assert out[0].startswith("Herinneringen aangemaakt:")
    assert out[1].startswith("Herinneringen aangemaakt: 0 ")
