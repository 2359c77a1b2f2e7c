"""The product's public interface does not change by accident: every URL with its name, and every API operation
with its path, method and operation id, is compared with ``tests/snapshots/public_interface.json``.

A deliberate change regenerates the snapshot (``UPDATE_PUBLIC_INTERFACE=1 make test PYTEST_ARGS=tests/test_public_interface.py``)
and the diff shows in review.
"""

from __future__ import annotations

import json
import os
from pathlib import Path

import pytest
from django.urls import URLPattern, URLResolver, get_resolver
from drf_spectacular.generators import SchemaGenerator

SNAPSHOT = Path(__file__).parent / "snapshots" / "public_interface.json"


def _routes(patterns=None, prefix="", namespace=""):
    for pattern in get_resolver().url_patterns if patterns is None else patterns:
        if isinstance(pattern, URLResolver):
            ns = pattern.namespace or namespace
            if str(pattern.pattern).startswith("beheer/"):
                continue  # the Django admin's own URLs follow Django's version
            yield from _routes(pattern.url_patterns, prefix + str(pattern.pattern), ns)
        else:
            assert isinstance(pattern, URLPattern)
            name = f"{namespace}:{pattern.name}" if namespace and pattern.name else (pattern.name or "")
            yield [prefix + str(pattern.pattern), name]


def _interface() -> dict:
    schema = SchemaGenerator().get_schema(request=None, public=True)
    operations = sorted(
        [path, method.upper(), operation["operationId"]]
        for path, methods in schema["paths"].items()
        for method, operation in methods.items()
    )
    return {"urls": sorted(_routes()), "api_operations": operations}


@pytest.mark.django_db
def test_urls_names_api_paths_and_operation_ids_stay_as_they_are():
    current = _interface()
    if os.environ.get("UPDATE_PUBLIC_INTERFACE"):
        SNAPSHOT.write_text(json.dumps(current, indent=1, ensure_ascii=False) + "\n")
    assert current == json.loads(SNAPSHOT.read_text())
