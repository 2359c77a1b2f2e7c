from __future__ import annotations

from django import forms
from django.utils.dates import MONTHS as DJANGO_MONTHS
from django.utils.translation import gettext_lazy as _

from api_conventions.text import SingleLineField

from .constants import PeriodKind
from .periods import calendar_period

# Django's own month names ("januari" in Dutch), so the form needs no strings of its own for them.
MONTHS = list(DJANGO_MONTHS.items())
QUARTERS = [
    (1, _("1e kwartaal (januari tot en met maart)")),
    (2, _("2e kwartaal (april tot en met juni)")),
    (3, _("3e kwartaal (juli tot en met september)")),
    (4, _("4e kwartaal (oktober tot en met december)")),
]


class GenerateReportForm(forms.Form):
    """A whole calendar month, quarter or year (ADR 0003): no free dates, so no two reports can be
    subtracted to isolate a day. The service checks the period again; this form only checks its shape."""

    kind = forms.TypedChoiceField(label=_("Soort periode"), choices=PeriodKind.choices, coerce=PeriodKind)
    year = forms.IntegerField(label=_("Jaar"), min_value=2000, max_value=2999)
    month = forms.TypedChoiceField(
        label=_("Maand"),
        choices=[("", "—"), *MONTHS],
        coerce=int,
        empty_value=None,
        required=False,
        help_text=_("Alleen voor een maand."),
    )
    quarter = forms.TypedChoiceField(
        label=_("Kwartaal"),
        choices=[("", "—"), *QUARTERS],
        coerce=int,
        empty_value=None,
        required=False,
        help_text=_("Alleen voor een kwartaal."),
    )

    def clean(self):
        data = super().clean()
        kind, year = data.get("kind"), data.get("year")
        if kind is None or year is None:
            return data
        number = None
        if kind == PeriodKind.MONTH:
            number = data.get("month")
            if number is None:
                self.add_error("month", _("Kies een maand."))
                return data
        elif kind == PeriodKind.QUARTER:
            number = data.get("quarter")
            if number is None:
                self.add_error("quarter", _("Kies een kwartaal."))
                return data
        data["period_start"], data["period_end"] = calendar_period(kind, year, number)
        return data


class ObstaclePublicationForm(forms.Form):
    approved = forms.TypedChoiceField(
        choices=[("1", _("goedkeuren")), ("0", _("intrekken"))], coerce=lambda v: v == "1"
    )
    # The fingerprint of the masked text the page showed (``reports.masking.fingerprint``): beleid approves
    # the text it read, not a text that changed in between.
    read = SingleLineField(max_length=64, required=False)
