from django.contrib import admin

from .models import TeamCaseSettings


@admin.register(TeamCaseSettings)
class TeamCaseSettingsAdmin(admin.ModelAdmin):
    """Per-team settings of the case file: triage deadline and four eyes."""

    list_display = ["team", "triage_working_days", "four_eyes"]
