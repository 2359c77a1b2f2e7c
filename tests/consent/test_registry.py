"""The data-category registry: every field of every model holding client data has exactly one category.

A new model or field without an entry in ``consent/field_categories.py`` fails here, and so does an
entry for a field or model that no longer exists. No database needed: only the app registry.
"""

from __future__ import annotations

from django.apps import apps

from access.field_categories import FIELD_CATEGORIES, NON_PERSONAL_MODELS
from access.policy import Decision
from access.registry import BY_LIFE_DOMAIN, BY_RECORD_CATEGORY, field_category, restrict, visible
from consent.constants import LIFE_DOMAIN_CATEGORY, DataCategory

# Every model of these apps must be classified.
APPS = ("cases", "workplans", "consent")


def _models() -> dict:
    return {model._meta.label: model for app in APPS for model in apps.get_app_config(app).get_models()}


def _field_names(model) -> list[str]:
    """Concrete fields (primary key and foreign keys by field name) and many-to-many fields."""
    return [f.name for f in model._meta.concrete_fields] + [f.name for f in model._meta.many_to_many]


def registry_problems(entries: dict, non_personal: frozenset, models: dict) -> list[str]:
    """Everything wrong with a registry, one readable line per problem."""
    problems = []
    for label, model in sorted(models.items()):
        if label in entries and label in non_personal:
            problems.append(f"{label}: both registered and listed as non-personal")
        elif label not in entries and label not in non_personal:
            problems.append(f"{label}: no categories and not listed in NON_PERSONAL_MODELS")
        elif label in entries:
            for name in _field_names(model):
                if name not in entries[label]:
                    problems.append(f"{label}.{name}: no category")
    for label, fields in sorted(entries.items()):
        model = apps.all_models.get(label.split(".")[0], {}).get(label.split(".")[1].lower())
        if model is None:
            problems.append(f"{label}: no such model (stale entry)")
            continue
        existing = set(_field_names(model))
        problems.extend(f"{label}.{name}: no such field (stale entry)" for name in sorted(set(fields) - existing))
    for label in sorted(non_personal):
        if label not in models:
            problems.append(f"{label}: listed as non-personal but no such model (stale entry)")
    return problems


# --- The registry itself ------------------------------------------------------------------------


def test_every_field_of_every_model_has_exactly_one_category():
    assert registry_problems(FIELD_CATEGORIES, NON_PERSONAL_MODELS, _models()) == []


def test_the_consent_models_holding_client_data_are_registered():
    for label in (
        "consent.Consent",
        "consent.Disclosure",
        "consent.CorrectionRequest",
        "consent.LegalHold",
        "consent.BreakGlassGrant",
        "consent.AccessLogEntry",
    ):
        assert label in FIELD_CATEGORIES


def test_every_category_is_a_data_category_or_follows_the_life_domain_or_the_record():
    allowed = set(DataCategory.values) | {BY_LIFE_DOMAIN, BY_RECORD_CATEGORY}
    wrong = {f"{label}.{name}": c for label, f in FIELD_CATEGORIES.items() for name, c in f.items() if c not in allowed}
    assert wrong == {}


def test_by_life_domain_only_where_the_model_has_a_domain_field():
    models = _models()
    wrong = [
        label
        for label, fields in FIELD_CATEGORIES.items()
        if BY_LIFE_DOMAIN in fields.values() and "domain" not in _field_names(models[label])
    ]
    assert wrong == []


def test_identity_and_special_data_where_expected():
    # Spot checks that catch a careless bulk edit.
    assert field_category("cases.Client", "bsn") == DataCategory.IDENTITEIT
    assert field_category("cases.Client", "postcode") == DataCategory.CONTACT
    assert field_category("cases.Case", "safety_concern") == DataCategory.VEILIGHEID
    assert field_category("cases.Case", "summary") == DataCategory.NOTITIES
    assert field_category("cases.LifeDomainAssessment", "score", domain="middelengebruik") == DataCategory.VERSLAVING
    assert field_category("cases.IntakeDomain", "situation", domain="financien") == DataCategory.INKOMEN_SCHULDEN
    assert field_category("cases.LifeDomainAssessment", "score") is None  # no domain: not visible to anyone restricted


# --- The check can fail ---------------------------------------------------------------------------


def test_a_field_without_a_category_is_reported():
    entries = {label: dict(fields) for label, fields in FIELD_CATEGORIES.items()}
    del entries["cases.Client"]["bsn"]
    assert registry_problems(entries, NON_PERSONAL_MODELS, _models()) == ["cases.Client.bsn: no category"]


def test_a_model_without_categories_is_reported():
    entries = {label: fields for label, fields in FIELD_CATEGORIES.items() if label != "workplans.Goal"}
    assert registry_problems(entries, NON_PERSONAL_MODELS, _models()) == [
        "workplans.Goal: no categories and not listed in NON_PERSONAL_MODELS"
    ]


def test_a_model_in_both_lists_is_reported():
    problems = registry_problems(FIELD_CATEGORIES, NON_PERSONAL_MODELS | {"cases.Client"}, _models())
    assert problems == ["cases.Client: both registered and listed as non-personal"]


def test_stale_entries_are_reported():
    entries = {
        **FIELD_CATEGORIES,
        "cases.Client": {**FIELD_CATEGORIES["cases.Client"], "shoe_size": DataCategory.GEZONDHEID},
        "cases.Pet": {"name": DataCategory.HUISHOUDEN},
    }
    assert registry_problems(entries, NON_PERSONAL_MODELS | {"cases.Gone"}, _models()) == [
        "cases.Client.shoe_size: no such field (stale entry)",
        "cases.Pet: no such model (stale entry)",
        "cases.Gone: listed as non-personal but no such model (stale entry)",
    ]


# --- restrict() and visible() -------------------------------------------------------------------


PARTNER = Decision(True, categories=frozenset({DataCategory.ADMINISTRATIEF, DataCategory.WONEN}))
EVERYTHING = Decision(True, categories=None)
CASE_DATA = {"number": "2025-000001", "safetyConcern": "huiselijk_geweld", "summary": "Schulden.", "clientName": "Jan"}


def test_restrict_drops_fields_outside_the_decisions_categories():
    assert restrict(CASE_DATA, PARTNER, "cases.Case") == {"number": "2025-000001"}


def test_restrict_keeps_everything_for_full_access():
    assert restrict(CASE_DATA, EVERYTHING, "cases.Case") == CASE_DATA


def test_restrict_drops_unknown_keys_unless_given_as_extra():
    assert "clientName" not in restrict(CASE_DATA, PARTNER, "cases.Case")
    kept = restrict(CASE_DATA, PARTNER, "cases.Case", extra={"clientName": DataCategory.ADMINISTRATIEF})
    assert kept == {"number": "2025-000001", "clientName": "Jan"}


def test_restrict_follows_the_life_domain_of_the_record():
    score = {"domain": "huisvesting", "score": 2, "assessedOn": "2025-01-01"}
    assert restrict(score, PARTNER, "cases.LifeDomainAssessment", domain="huisvesting") == score
    assert restrict(score, PARTNER, "cases.LifeDomainAssessment", domain="middelengebruik") == {
        "assessedOn": "2025-01-01"
    }
    assert LIFE_DOMAIN_CATEGORY["huisvesting"] == DataCategory.WONEN


def test_visible_denies_unregistered_fields_to_a_restricted_decision():
    assert visible(PARTNER, "cases.Case", "number")
    assert not visible(PARTNER, "cases.Case", "summary")
    assert not visible(PARTNER, "cases.Case", "no_such_field")
    assert visible(EVERYTHING, "cases.Case", "no_such_field")
