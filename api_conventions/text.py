"""Which characters free text may hold: one rule for models, forms, serializers and e-mail headers.

A single-line field (a name, a title, a place, a party: a model ``CharField``, a form field without a
``Textarea``) refuses every control character, so a title can never break an e-mail header, a CSV row
or a calendar line. Multi-line text (a model ``TextField``, a ``Textarea``) keeps line feeds, carriage
returns and tabs, and refuses the other control characters.

Refused everywhere:

- the C0 and C1 control characters (Unicode category Cc: U+0000–U+001F, U+007F–U+009F, so also NEL
  U+0085), except TAB, LF and CR in multi-line text; NUL keeps its own message (PostgreSQL cannot
  store it at all);
- the line and paragraph separators U+2028 and U+2029 (Zl, Zp): a line break that e-mail, CSV and
  PDF treat each in their own way; multi-line text uses LF;
- the bidirectional embeddings, overrides and isolates U+202A–U+202E and U+2066–U+2069: they reorder
  the text shown after them, so a name or a file name can be made to read as something else
  ("Trojan Source");
- lone surrogates (Cs, U+D800–U+DFFF): valid in JSON escapes, but not text, and PostgreSQL refuses them.

Other format characters (Cf) stay allowed: the zero-width (non-)joiners that Persian, Indic scripts
and emoji need, the left-to-right and right-to-left marks of mixed-direction names, and the soft hyphen.
"""

from __future__ import annotations

import re
import unicodedata

from django import forms
from django.core.exceptions import ValidationError
from django.core.validators import ProhibitNullCharactersValidator
from django.db import models
from django.utils.deconstruct import deconstructible
from django.utils.translation import gettext_lazy as _

NUL = "\x00"
MULTI_LINE_ALLOWED = frozenset("\t\n\r")
BIDI_CONTROLS = frozenset("\u202a\u202b\u202c\u202d\u202e\u2066\u2067\u2068\u2069")
LINE_SEPARATORS = frozenset("\u2028\u2029")

NUL_CODE = "null_characters_not_allowed"
NUL_MESSAGE = _("De tekst bevat een ongeldig teken (NUL).")
CONTROL_CODE = "control_characters"
SINGLE_LINE_MESSAGE = _("Gebruik hier één regel tekst, zonder regeleinden, tabs of andere stuurtekens (%(character)s).")
MULTI_LINE_MESSAGE = _("De tekst bevat een stuurteken dat niet is toegestaan (%(character)s).")


def _is_refused(character: str, *, multiline: bool) -> bool:
    if multiline and character in MULTI_LINE_ALLOWED:
        return False
    if character in BIDI_CONTROLS or character in LINE_SEPARATORS:
        return True
    return unicodedata.category(character) in {"Cc", "Cs"}


# Every character that any rule refuses; a quick scan before the per-character decision.
_SUSPECT = re.compile("[\x00-\x1f\x7f-\x9f\u2028\u2029\u202a-\u202e\u2066-\u2069\ud800-\udfff]")


def refused_character(value: str, *, multiline: bool) -> str | None:
    """The first character of ``value`` the rule refuses, or ``None``. Costs one regex scan."""
    for match in _SUSPECT.finditer(value):
        if _is_refused(match.group(), multiline=multiline):
            return match.group()
    return None


def text_error(value, *, multiline: bool) -> ValidationError | None:
    """The Dutch refusal of ``value`` (a string, or anything else: then ``None``)."""
    if not isinstance(value, str):
        return None
    character = refused_character(value, multiline=multiline)
    if character is None:
        return None
    if character == NUL:
        return ValidationError(NUL_MESSAGE, code=NUL_CODE)
    message = MULTI_LINE_MESSAGE if multiline else SINGLE_LINE_MESSAGE
    return ValidationError(message, code=CONTROL_CODE, params={"character": f"U+{ord(character):04X}"})


@deconstructible
class TextValidator:
    """Validator for forms and serializers; ``multiline`` keeps TAB, LF and CR."""

    def __init__(self, *, multiline: bool = False) -> None:
        self.multiline = multiline

    def __call__(self, value) -> None:
        error = text_error(value, multiline=self.multiline)
        if error is not None:
            raise error

    def __eq__(self, other) -> bool:
        return isinstance(other, TextValidator) and other.multiline == self.multiline

    def __hash__(self) -> int:
        return hash((TextValidator, self.multiline))


def _without_django_nul_check(validators: list) -> list:
    """Django's own NUL validator would add a second message, in other words, for the same character."""
    return [v for v in validators if not isinstance(v, ProhibitNullCharactersValidator)]


# --- Models ---------------------------------------------------------------------------------------


def is_multi_line(field: models.Field) -> bool:
    return isinstance(field, models.TextField)


class CleanTextModel:
    """Mixin for every model of the product: ``full_clean()`` refuses control characters.

    ``CharField`` values follow the single-line rule, ``TextField`` values the multi-line rule. Services
    call ``full_clean()`` before they save, so input that slipped past a form or serializer is still
    refused there (and can never reach an e-mail header). A plain mixin rather than field validators:
    it covers every text field of a model without a migration, and a new field cannot forget it.
    ``tests/test_text_input.py`` fails for a model of the product that does not use it.
    """

    def clean_fields(self, exclude=None):
        errors: dict[str, list] = {}
        try:
            super().clean_fields(exclude=exclude)
        except ValidationError as exc:
            errors = exc.update_error_dict(errors)
        for field in self._meta.concrete_fields:
            if not isinstance(field, models.CharField | models.TextField):
                continue
            if exclude and field.name in exclude:
                continue
            error = text_error(getattr(self, field.attname), multiline=is_multi_line(field))
            if error is None:
                continue
            already = errors.setdefault(field.name, [])
            if not any(getattr(e, "code", None) == error.code for e in already):
                already.append(error)
        if errors:
            raise ValidationError(errors)


# --- Forms ----------------------------------------------------------------------------------------


class SingleLineField(forms.CharField):
    """A one-line form field: refuses line breaks, tabs and other control characters (Dutch message)."""

    multiline = False

    def __init__(self, **kwargs) -> None:
        super().__init__(**kwargs)
        if isinstance(self.widget, forms.Textarea) != self.multiline:
            # The widget decides what a person can type; the rule must match it.
            raise TypeError(f"{type(self).__name__} does not go with a {type(self.widget).__name__}.")
        self.validators = [*_without_django_nul_check(self.validators), TextValidator(multiline=self.multiline)]


class MultiLineField(SingleLineField):
    """A text area: keeps line breaks and tabs, refuses the other control characters."""

    multiline = True
    widget = forms.Textarea


# --- E-mail ---------------------------------------------------------------------------------------

_HEADER_BREAKS = re.compile(r"[\s\x00-\x1f\x7f-\x9f\u2028\u2029\u202a-\u202e\u2066-\u2069\ud800-\udfff]+")


def header_text(value: str, *, max_length: int = 200) -> str:
    """``value`` made safe for a one-line header such as an e-mail subject.

    Control characters, line separators and bidirectional controls become one space, so text that was
    stored before the rule above existed (or came in some other way) can never make Django refuse the
    message with ``BadHeaderError``, nor inject a header.
    """
    return _HEADER_BREAKS.sub(" ", str(value)).strip()[:max_length]
