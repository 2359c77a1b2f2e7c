"""The data-category registry: every field and every kind of record of the product belongs to one category.

The entries live in ``access.field_categories`` (``FIELD_CATEGORIES``: model label ->
field name -> category). A field of a record whose category follows a ZRM life
domain (a score, an intake domain, a goal) is registered as ``BY_LIFE_DOMAIN``:
the record's ``domain`` value decides (``LIFE_DOMAIN_CATEGORY``).

The policy decides which categories a user sees (``Decision.categories``); pages,
the API and exports ask this module which fields those are, so fields outside the
categories are left out on the server (never blanked in the browser). Unknown
fields count as not visible: deny by default.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping

from consent.constants import BY_LIFE_DOMAIN, BY_RECORD_CATEGORY, LIFE_DOMAIN_CATEGORY, DataCategory

__all__ = ["BY_LIFE_DOMAIN", "BY_RECORD_CATEGORY", "categories_of", "field_category", "restrict", "visible"]

_CAMEL = re.compile(r"(?<!^)(?=[A-Z])")


def _entries() -> Mapping[str, Mapping[str, str]]:
    from .field_categories import FIELD_CATEGORIES

    return FIELD_CATEGORIES


def field_category(
    model_label: str, field: str, *, domain: str | None = None, category: str | None = None
) -> str | None:
    """The category of ``model_label.field`` (``None`` when unregistered). ``domain`` is the record's life
    domain, ``category`` its own data category, for fields that follow them."""
    entry = _entries().get(model_label, {}).get(field)
    if entry == BY_LIFE_DOMAIN:
        return LIFE_DOMAIN_CATEGORY.get(domain or "") if domain else None
    if entry == BY_RECORD_CATEGORY:
        return category if category in DataCategory.values else None
    return entry


def domain_category(domain: str) -> str | None:
    return LIFE_DOMAIN_CATEGORY.get(domain)


def visible(decision, model_label: str, field: str, *, domain: str | None = None, category: str | None = None) -> bool:
    """May the holder of ``decision`` see this field? Unregistered fields: only with access to everything."""
    if decision.categories is None:
        return True
    found = field_category(model_label, field, domain=domain, category=category)
    return found is not None and found in decision.categories


def restrict(
    data: dict, decision, model_label: str, *, extra: Mapping[str, str] | None = None, domain=None, category=None
) -> dict:
    """Drop the keys of an API representation (camelCase or snake_case) the decision does not cover.

    ``extra`` maps keys that are not model fields (``clientName``) to their category. Keys not
    found in the registry nor in ``extra`` are dropped for a restricted decision.
    """
    if decision.categories is None:
        return data
    extra = extra or {}
    kept = {}
    for key, value in data.items():
        if key in extra:
            found = extra[key]
            if found == BY_LIFE_DOMAIN:
                found = LIFE_DOMAIN_CATEGORY.get(domain or "")
            elif found == BY_RECORD_CATEGORY:
                found = category
        else:
            found = field_category(model_label, _CAMEL.sub("_", key).lower(), domain=domain, category=category)
        if found is not None and found in decision.categories:
            kept[key] = value
    return kept


def categories_of(model_label: str) -> set[str]:
    return {c for c in _entries().get(model_label, {}).values() if c not in (BY_LIFE_DOMAIN, BY_RECORD_CATEGORY)}


def all_categories() -> Iterable[str]:
    return DataCategory.values
