"""Field helpers shared by the workplan and meeting models."""

from __future__ import annotations

from django.core.validators import MaxLengthValidator
from django.db import models

from cases.validators import validate_no_nul

TEXT_MAX = 4000
SHORT_TEXT_MAX = 1000


def text_field(verbose_name, *, max_length: int = TEXT_MAX, blank: bool = True) -> models.TextField:
    """A text field with a length limit and a refusal of NUL characters (PostgreSQL cannot store them)."""
    return models.TextField(
        verbose_name, blank=blank, max_length=max_length, validators=[MaxLengthValidator(max_length), validate_no_nul]
    )
