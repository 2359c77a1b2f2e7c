"""Field validators for Dutch identifiers."""

from __future__ import annotations

import re

from django.core.exceptions import ValidationError
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

POSTCODE_RE = re.compile(r"^([1-9][0-9]{3}) ?([A-Za-z]{2})$")


def bsn_is_valid(value: str) -> bool:
    """The BSN 11-test: 9·d1 + 8·d2 + … + 2·d8 − 1·d9 must be a non-zero multiple of 11."""
    # ASCII digits only: str.isdigit() also accepts e.g. Arabic-Indic and superscript digits.
    if not re.fullmatch(r"[0-9]{8,9}", value):
        return False
    digits = [int(d) for d in value.zfill(9)]
    total = sum(weight * digit for weight, digit in zip(range(9, 1, -1), digits[:8], strict=True)) - digits[8]
    return total != 0 and total % 11 == 0


def validate_bsn(value: str) -> None:
    if not bsn_is_valid(value):
        raise ValidationError(
            _("Dit is geen geldig burgerservicenummer: het moet uit 8 of 9 cijfers bestaan en de elfproef doorstaan."),
            code="invalid_bsn",
        )


def normalise_postcode(value: str) -> str:
    match = POSTCODE_RE.match(value.strip())
    if not match:
        return value
    return f"{match.group(1)} {match.group(2).upper()}"


def validate_postcode(value: str) -> None:
    if not POSTCODE_RE.match(value.strip()):
        raise ValidationError(_("Vul een postcode in als 1234 AB."), code="invalid_postcode")


def validate_not_in_future(value) -> None:
    if value and value > timezone.localdate():
        raise ValidationError(_("Deze datum ligt in de toekomst."), code="future_date")


def validate_no_nul(value: str) -> None:
    """PostgreSQL cannot store NUL characters in text: refuse them with a clear message."""
    if value and "\x00" in value:
        raise ValidationError(_("De tekst bevat een ongeldig teken (NUL)."), code="null_characters_not_allowed")
