from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

DATE_WIDGET = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")


class GenerateReportForm(forms.Form):
    period_start = forms.DateField(label=_("Periode vanaf"), widget=DATE_WIDGET)
    period_end = forms.DateField(label=_("Periode tot en met"), widget=DATE_WIDGET)


class ObstaclePublicationForm(forms.Form):
    approved = forms.TypedChoiceField(
        choices=[("1", _("goedkeuren")), ("0", _("intrekken"))], coerce=lambda v: v == "1"
    )
