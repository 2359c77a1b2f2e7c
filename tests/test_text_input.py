"""Control characters in free text (security review, finding 10): refused in every one-line field, and never
able to break an e-mail header. One rule, ``api_conventions.text``, in the models (``full_clean``), the forms,
the API's serializers and at the e-mail edge."""

from __future__ import annotations

import datetime
import importlib
import inspect
from pathlib import Path

import pytest
from django import forms
from django.apps import apps
from django.conf import settings
from django.core import mail
from django.core.exceptions import ValidationError
from django.db import models
from django.urls import reverse
from django.utils import timezone
from rest_framework import serializers

from api_conventions.serializer_fields import RefuseControlCharactersMixin
from api_conventions.text import (
    CleanTextModel,
    MultiLineField,
    SingleLineField,
    header_text,
    refused_character,
    text_error,
)
from workplans import meeting_services
from workplans.meeting_models import Meeting

SINGLE_LINE_MESSAGE = "Gebruik hier één regel tekst, zonder regeleinden, tabs of andere stuurtekens"
MULTI_LINE_MESSAGE = "De tekst bevat een stuurteken dat niet is toegestaan"
PRODUCT_APPS = {"accounts", "cases", "consent", "workplans", "reminders", "reports"}

# Characters every field refuses, and those only one-line fields refuse.
REFUSED_EVERYWHERE = [
    "\x07",  # BEL, C0
    "\x0b",  # vertical tab
    "\x0c",  # form feed
    "\x1b",  # ESC (terminal escapes in logs)
    "\x7f",  # DEL
    "\x85",  # NEL, C1
    "\u2028",  # LINE SEPARATOR
    "\u2029",  # PARAGRAPH SEPARATOR
    "\u202e",  # RIGHT-TO-LEFT OVERRIDE
    "\u2066",  # LEFT-TO-RIGHT ISOLATE
    "\ud800",  # a lone surrogate (valid in a JSON escape, not in PostgreSQL)
]
LINE_BREAKS_AND_TABS = ["\n", "\r", "\r\n", "\t"]
ALWAYS_ALLOWED = [
    "Émile Ölçer-van 't Hoff",
    "مریم\u200c",  # Persian with a zero-width non-joiner
    "Ali \u200fعلي\u200f",  # right-to-left marks in a mixed-direction name
    "👩\u200d👩\u200d👧",  # an emoji family (zero-width joiners)
    "Zorg\u00adverzekeraar",  # soft hyphen
]


# --- The rule ---------------------------------------------------------------------------------------


@pytest.mark.parametrize("character", REFUSED_EVERYWHERE)
def test_these_characters_are_refused_in_every_field(character):
    assert refused_character(f"a{character}b", multiline=False) == character
    assert refused_character(f"a{character}b", multiline=True) == character


@pytest.mark.parametrize("character", LINE_BREAKS_AND_TABS)
def test_line_breaks_and_tabs_only_in_multi_line_text(character):
    assert refused_character(f"a{character}b", multiline=False) is not None
    assert refused_character(f"a{character}b", multiline=True) is None


@pytest.mark.parametrize("value", ALWAYS_ALLOWED)
def test_names_in_any_script_are_allowed(value):
    assert refused_character(value, multiline=False) is None
    assert refused_character(value, multiline=True) is None


def test_the_messages_are_dutch_and_name_the_character():
    assert text_error("a\nb", multiline=False).messages == [f"{SINGLE_LINE_MESSAGE} (U+000A)."]
    assert text_error("a\x07b", multiline=True).messages == [f"{MULTI_LINE_MESSAGE} (U+0007)."]
    assert text_error("a\x07b", multiline=True).code == "control_characters"
    # NUL keeps its own wording and code (PostgreSQL cannot store it at all).
    assert text_error("a\x00b", multiline=True).messages == ["De tekst bevat een ongeldig teken (NUL)."]
    assert text_error("a\x00b", multiline=True).code == "null_characters_not_allowed"
    assert text_error(None, multiline=False) is None


def test_an_e_mail_header_is_always_one_line():
    assert header_text("Overleg\r\nBcc: iedereen@example.org") == "Overleg Bcc: iedereen@example.org"
    assert header_text("a\u2028b\x85c\u202ed\te") == "a b c d e"
    assert header_text("  \n ") == ""


# --- Models: full_clean refuses it, for every text field of every model ----------------------------


def _product_models():
    return [model for model in apps.get_models() if model._meta.app_label in PRODUCT_APPS]


def _text_fields(model):
    return [f for f in model._meta.concrete_fields if isinstance(f, models.CharField | models.TextField)]


def _field_errors(model, field, value) -> list[ValidationError]:
    instance = model()
    setattr(instance, field.attname, value)
    others = [f.name for f in model._meta.fields if f.name != field.name]
    try:
        instance.clean_fields(exclude=others)
    except ValidationError as exc:
        return exc.error_dict.get(field.name, [])
    return []


def test_every_model_with_text_refuses_control_characters_in_full_clean():
    """Fails for a new model (or field) that does not follow the rule: ``CleanTextModel`` in its bases."""
    checked = []
    for model in _product_models():
        fields = _text_fields(model)
        if not fields:
            continue
        assert issubclass(model, CleanTextModel), f"{model.__name__} does not use CleanTextModel"
        for field in fields:
            multi = isinstance(field, models.TextField)
            for value in ("a\x07b", "a\u202eb", *([] if multi else ["a\r\nb", "a\tb"])):
                codes = {error.code for error in _field_errors(model, field, value)}
                assert "control_characters" in codes, f"{model.__name__}.{field.name} accepts {value!r}"
            if multi:
                codes = {error.code for error in _field_errors(model, field, "regel 1\r\nregel 2\t(ingesprongen)")}
                assert "control_characters" not in codes, f"{model.__name__}.{field.name} refuses line breaks"
            checked.append(f"{model.__name__}.{field.name}")
    assert len(checked) > 100
    assert "Meeting.title" in checked and "Client.family_name" in checked and "User.first_name" in checked


@pytest.mark.django_db
def test_the_meeting_service_refuses_a_title_with_a_line_break(wijkcoach, team):
    with pytest.raises(ValidationError) as excinfo:
        meeting_services.meeting_plan(
            actor=wijkcoach,
            team=team,
            title="Overleg\r\nBcc: iedereen@example.org",
            starts_at=timezone.now() + datetime.timedelta(days=7),
            chair=wijkcoach,
            location="Wijkcentrum",
        )
    assert excinfo.value.message_dict["title"] == [f"{SINGLE_LINE_MESSAGE} (U+000D)."]
    assert not Meeting.objects.exists()


# --- Forms and serializers: every text input follows the rule --------------------------------------


def _modules(pattern: str):
    root = Path(settings.BASE_DIR)
    for app in sorted(PRODUCT_APPS):
        for path in sorted((root / app).rglob(pattern)):
            if "migrations" in path.parts:
                continue
            yield importlib.import_module(".".join(path.relative_to(root).with_suffix("").parts))


def test_every_text_field_of_every_form_follows_the_rule():
    checked = 0
    for module in [*_modules("*forms.py"), *_modules("forms/*.py")]:
        for form_class in vars(module).values():
            if not (inspect.isclass(form_class) and issubclass(form_class, forms.BaseForm)):
                continue
            if form_class.__module__ != module.__name__:
                continue
            for name, field in form_class.base_fields.items():
                if type(field) is forms.CharField and isinstance(field.widget, forms.PasswordInput):
                    continue  # a password is checked against its hash, never stored or shown
                if isinstance(field, forms.CharField) and type(field).__module__.startswith("django."):
                    # Django's own format fields (e-mail, URL, slug…) validate their format; a plain CharField must not be here.
                    assert type(field) is not forms.CharField, f"{form_class.__name__}.{name} is a plain CharField"
                    continue
                if isinstance(field, forms.CharField):
                    assert isinstance(field, SingleLineField | MultiLineField), f"{form_class.__name__}.{name}"
                    assert isinstance(field, MultiLineField) == isinstance(field.widget, forms.Textarea)
                    checked += 1
    assert checked > 50


def _writable_string_fields(serializer, prefix=""):
    for name, field in serializer.fields.items():
        if field.read_only:
            continue
        child = getattr(field, "child", None)
        if hasattr(field, "fields"):
            yield from _writable_string_fields(field, f"{prefix}{name}.")
        elif child is not None and hasattr(child, "fields"):
            yield from _writable_string_fields(child, f"{prefix}{name}.")
        elif isinstance(child or field, serializers.CharField):
            yield f"{prefix}{name}", child or field


# Serializers that only ever render (GET /api/v1/me): nothing is parsed with them.
OUTPUT_ONLY = {"OrganisationSerializer", "MeTeamSerializer", "MeSerializer"}


def test_every_string_input_of_the_api_follows_the_rule():
    checked = 0
    for module in _modules("api/*serializers.py"):
        for serializer_class in vars(module).values():
            if not (inspect.isclass(serializer_class) and issubclass(serializer_class, serializers.Serializer)):
                continue
            if serializer_class.__module__ != module.__name__:
                continue
            if module.__name__ == "accounts.api.serializers" and serializer_class.__name__ in OUTPUT_ONLY:
                continue
            try:
                instance = serializer_class()
                fields = list(_writable_string_fields(instance))
            except (AssertionError, AttributeError):  # an abstract base without Meta.model
                continue
            for name, field in fields:
                assert isinstance(field, RefuseControlCharactersMixin), f"{serializer_class.__name__}.{name}"
                checked += 1
    assert checked > 40


# --- The meeting title of the review: API, page and the e-mail edge ---------------------------------


def _problem(response, status: int) -> dict:
    assert response.status_code == status, response.content
    assert response["Content-Type"] == "application/problem+json"
    return response.json()


@pytest.mark.django_db
def test_the_api_refuses_a_meeting_title_with_a_line_break(api_client, wijkcoach):
    api_client.force_login(wijkcoach)
    starts_at = (timezone.now() + datetime.timedelta(days=7)).isoformat()
    body = {"title": "Overleg\r\nBcc: iedereen@example.org", "startsAt": starts_at, "location": "Wijkcentrum"}
    problem = _problem(api_client.post("/api/v1/meetings", body, format="json"), 400)
    assert problem["invalidParams"] == [
        {"name": "title", "code": "control_characters", "reason": f"{SINGLE_LINE_MESSAGE} (U+000D)."}
    ]
    problem = _problem(api_client.post("/api/v1/meetings", {**body, "title": "Overleg", "location": "Zaal\t2"}), 400)
    assert [p["name"] for p in problem["invalidParams"]] == ["location"]
    assert not Meeting.objects.exists()


@pytest.mark.django_db
def test_the_api_keeps_line_breaks_in_free_text_and_refuses_other_control_characters(api_client, wijkcoach, team):
    api_client.force_login(wijkcoach)
    starts_at = (timezone.now() + datetime.timedelta(days=7)).isoformat()
    created = api_client.post(
        "/api/v1/meetings", {"title": "Overleg", "startsAt": starts_at, "location": "Wijkcentrum"}, format="json"
    )
    assert created.status_code == 201, created.content
    meeting = Meeting.objects.get()
    from tests.workplans.api.test_workplans_api import make_active_case

    case = make_active_case(wijkcoach, team)
    url = f"/api/v1/meetings/{meeting.uuid}/agenda-items"
    problem = _problem(api_client.post(url, {"case": str(case.uuid), "question": "Vraag\x1b[31m"}, format="json"), 400)
    assert problem["invalidParams"] == [
        {"name": "question", "code": "control_characters", "reason": f"{MULTI_LINE_MESSAGE} (U+001B)."}
    ]
    response = api_client.post(url, {"case": str(case.uuid), "question": "Regel 1\nRegel 2"}, format="json")
    assert response.status_code == 201, response.content
    assert meeting.agenda_items.get().question == "Regel 1\nRegel 2"


@pytest.mark.django_db
def test_the_page_refuses_a_meeting_title_with_a_line_break(client, wijkcoach, team):
    client.force_login(wijkcoach)
    response = client.post(
        reverse("workplans:meeting-create"),
        {
            "kind": "casusoverleg",
            "title": "Overleg\r\nBcc: iedereen@example.org",
            "team": str(team.uuid),
            "starts_at": (timezone.localtime() + datetime.timedelta(days=3)).strftime("%Y-%m-%dT%H:%M"),
            "duration_minutes": 45,
            "location": "Buurthuis",
        },
    )
    assert response.status_code == 400
    assert f"{SINGLE_LINE_MESSAGE} (U+000D)." in response.content.decode()
    assert not Meeting.objects.exists()


@pytest.mark.django_db
def test_a_title_stored_before_the_rule_still_mails_with_a_one_line_subject(
    wijkcoach, team, municipality, django_capture_on_commit_callbacks
):
    """Defense in depth: text that got in before (or around) the rule can never make the mail fail."""
    meeting = meeting_services.meeting_plan(
        actor=wijkcoach,
        team=team,
        title="Overleg",
        starts_at=timezone.now() + datetime.timedelta(days=7),
        chair=wijkcoach,
        location="Wijkcentrum",
    )
    Meeting.objects.filter(pk=meeting.pk).update(title="Overleg\r\nBcc: iedereen@example.org")
    meeting.refresh_from_db()
    with django_capture_on_commit_callbacks(execute=True):
        meeting_services.participant_add(
            actor=wijkcoach,
            meeting=meeting,
            contact_name="Karin Smit",
            contact_email="karin@example.org",
            organisation=municipality,
            notify=True,
        )
    with django_capture_on_commit_callbacks(execute=True):
        meeting_services.meeting_send_invitations(actor=wijkcoach, meeting=meeting)
    assert len(mail.outbox) == 2
    assert mail.outbox[0].recipients() == ["karin@example.org"]
    for message in mail.outbox:
        assert message.subject.startswith("Uitnodiging: Overleg Bcc: iedereen@example.org (")
        assert "karin@example.org" in message.recipients()
        assert "iedereen@example.org" not in message.recipients()
        assert message.message()["Bcc"] is None
