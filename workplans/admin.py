from django.contrib import admin

from .models import TeamWorkplanSettings


@admin.register(TeamWorkplanSettings)
class TeamWorkplanSettingsAdmin(admin.ModelAdmin):
    """Team defaults for new workplans: review interval and the interval of each duty a–g."""

    list_display = ["team", "review_interval_weeks", "interval_a", "interval_f"]
