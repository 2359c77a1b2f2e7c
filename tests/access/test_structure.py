"""Views never write the access log and never query a model that holds a person's data: they get their
objects from the access layer (``access.gate``) or from selectors that start from what it handed out.

The check reads the source (no import needed), so a new view module is covered the day it is added.
"""

from __future__ import annotations

import ast
from pathlib import Path

import pytest
from django.apps import apps

from access.field_categories import FIELD_CATEGORIES

ROOT = Path(__file__).resolve().parents[2]
SKIP_DIRS = {".venv", "tests", "node_modules", "var", "static", "migrations"}


def _view_modules() -> list[Path]:
    found = []
    for path in ROOT.rglob("*.py"):
        parts = set(path.relative_to(ROOT).parts)
        if parts & SKIP_DIRS:
            continue
        if path.name == "views.py" or path.name.endswith("_views.py") or "views" in path.relative_to(ROOT).parts[:-1]:
            found.append(path)
    return sorted(found)


def _personal_models() -> set[str]:
    return {apps.get_model(label).__name__ for label in FIELD_CATEGORIES}


def test_the_check_finds_the_view_modules():
    names = {str(p.relative_to(ROOT)) for p in _view_modules()}
    for expected in (
        "cases/views/casefile.py",
        "cases/api/views/cases.py",
        "workplans/views.py",
        "workplans/meeting_views.py",
        "consent/views.py",
        "reports/views.py",
    ):
        assert expected in names


@pytest.mark.parametrize("module", _view_modules(), ids=lambda p: str(p.relative_to(ROOT)))
def test_a_view_neither_queries_personal_data_nor_writes_the_access_log(module: Path):
    models = _personal_models()
    tree = ast.parse(module.read_text(), filename=str(module))
    # ``Model.objects.none()`` reads nothing (the empty queryset of an OpenAPI schema pass): allowed.
    empty = {
        id(node.value)
        for node in ast.walk(tree)
        if isinstance(node, ast.Attribute) and node.attr == "none" and isinstance(node.value, ast.Attribute)
    }
    problems = []
    for node in ast.walk(tree):
        queries = (
            isinstance(node, ast.Attribute)
            and node.attr in ("objects", "_default_manager")
            and isinstance(node.value, ast.Name)
            and node.value.id in models
            and id(node) not in empty
        )
        if queries:
            problems.append(f"line {node.lineno}: {node.value.id}.{node.attr}")
        imports_log = isinstance(node, ast.ImportFrom) and (
            node.module == "access.log" or (node.module == "access" and any(a.name == "log" for a in node.names))
        )
        if imports_log:
            problems.append(f"line {node.lineno}: imports the access log")
        if isinstance(node, ast.Attribute) and isinstance(node.value, ast.Name) and node.value.id == "access_log":
            problems.append(f"line {node.lineno}: access_log.{node.attr}")
    assert problems == []
