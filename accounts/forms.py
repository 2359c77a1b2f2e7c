from django import forms
from django.contrib.auth.forms import AuthenticationForm
from django.utils.translation import gettext_lazy as _

from api_conventions.text import MultiLineField, SingleLineField

from .models import Notification, Team, User


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


# --- Role requests ----------------------------------------------------------------------------------


class _UserChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj: User) -> str:
        return f"{obj} ({obj.username})"


class _TeamChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj: Team) -> str:
        return f"{obj.name} ({obj.organisation.name})"


class RoleRequestForm(forms.Form):
    """Shape only: who may ask for what is ``accounts.privileges``, enforced by ``services.role_request_create``."""

    user = _UserChoiceField(
        label=_("Medewerker"),
        queryset=User.objects.none(),
        to_field_name="uuid",
        empty_label=_("Kies een medewerker"),
        error_messages={"required": _("Kies de medewerker die de rol moet krijgen.")},
    )
    team = _TeamChoiceField(
        label=_("Team"),
        queryset=Team.objects.none(),
        to_field_name="uuid",
        empty_label=_("Kies een team"),
        error_messages={"required": _("Kies het team.")},
    )
    role = forms.ChoiceField(label=_("Rol"), choices=[], error_messages={"required": _("Kies de rol.")})
    reason = MultiLineField(
        label=_("Reden"),
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("Waarom heeft de medewerker deze rol nodig? Wie besluit, leest dit."),
        error_messages={"required": _("Geef aan waarom deze rol nodig is.")},
    )

    def __init__(self, *args, users, teams, roles, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["user"].queryset = users
        self.fields["team"].queryset = teams
        self.fields["role"].choices = [("", _("Kies een rol")), *roles]


class RoleRequestDecisionForm(forms.Form):
    decision = forms.ChoiceField(
        label=_("Besluit"),
        choices=[("goedkeuren", _("Goedkeuren")), ("afwijzen", _("Afwijzen"))],
        widget=forms.RadioSelect,
        error_messages={"required": _("Kies goedkeuren of afwijzen.")},
    )
    note = MultiLineField(
        label=_("Toelichting"),
        max_length=2000,
        required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text=_("Verplicht bij afwijzen."),
    )

    @property
    def approve(self) -> bool:
        return self.cleaned_data["decision"] == "goedkeuren"


class TeamFilterForm(forms.Form):
    team = _TeamChoiceField(
        label=_("Team"), queryset=Team.objects.none(), to_field_name="uuid", required=False, empty_label=_("Alle teams")
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["team"].queryset = Team.objects.select_related("organisation").order_by(
            "organisation__name", "name"
        )


# --- API keys -------------------------------------------------------------------------------------


class ApiTokenForm(forms.Form):
    name = SingleLineField(
        label=_("Naam"),
        max_length=100,
        help_text=_("Waarvoor gebruikt u de sleutel? Bijvoorbeeld de naam van de koppeling."),
        error_messages={"required": _("Geef de sleutel een naam, zodat u hem later herkent.")},
        widget=forms.TextInput(attrs={"autocomplete": "off"}),
    )
