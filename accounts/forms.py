from django import forms
from django.contrib.auth.forms import AuthenticationForm
from django.utils.translation import gettext_lazy as _

from api_conventions.text import SingleLineField

from .models import Notification


class LoginForm(AuthenticationForm):
    username = SingleLineField(
        label=_("Gebruikersnaam"),
        max_length=150,
        widget=forms.TextInput(attrs={"autocomplete": "username"}),
    )
    password = forms.CharField(
        label=_("Wachtwoord"), strip=False, widget=forms.PasswordInput(attrs={"autocomplete": "current-password"})
    )

    error_messages = {
        "invalid_login": _("Gebruikersnaam of wachtwoord onjuist. Let op hoofdletters en kleine letters."),
        "inactive": _("Dit account is niet actief."),
    }


class InboxFilterForm(forms.Form):
    """The inbox filters (GET). An invalid value falls back to its default (and the field shows the error)."""

    STATUS_CHOICES = [
        ("open", _("Open")),
        ("snoozed", _("Uitgesteld")),
        ("done", _("Afgehandeld")),
        ("all", _("Alle")),
    ]
    DUE_CHOICES = [
        ("", _("Alle datums")),
        ("overdue", _("Te laat")),
        ("today", _("Vandaag")),
        ("week", _("Deze week")),
    ]

    status = forms.ChoiceField(label=_("Status"), choices=STATUS_CHOICES, required=False)
    kind = forms.ChoiceField(label=_("Soort"), required=False)
    due = forms.ChoiceField(label=_("Uiterlijk op"), choices=DUE_CHOICES, required=False)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["kind"].choices = [("", _("Alle soorten")), *Notification.Kind.choices]

    def filters(self) -> dict[str, str | None]:
        """Keyword arguments for ``selectors.inbox_items``: defaults for anything missing or invalid."""
        self.is_valid()
        data = getattr(self, "cleaned_data", {})  # only the fields that validated; none when unbound
        return {
            "status": data.get("status") or "open",
            "kind": data.get("kind") or None,
            "due": data.get("due") or None,
        }


class SnoozeForm(forms.Form):
    until = forms.DateField(
        label=_("Uitstellen tot"), widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")
    )
