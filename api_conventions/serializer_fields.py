"""String fields of the API's input serializers, following ``api_conventions.text``.

Every writable string of the API is one of these, also in model serializers (through
``serializer_field_mapping``): a refused character gives one Dutch error, before any other
validation, so it never reaches PostgreSQL (NUL, lone surrogates) or an e-mail header (line breaks).
"""

from __future__ import annotations

from django.core.validators import ProhibitNullCharactersValidator
from rest_framework import serializers
from rest_framework.fields import empty
from rest_framework.validators import ProhibitSurrogateCharactersValidator

from .text import text_error


class RefuseControlCharactersMixin:
    """Refuse control characters with a Dutch message before any other validation runs.

    DRF's own NUL and surrogate validators are dropped, so a refused character gives one error, not two.
    """

    multiline = False

    def __init__(self, **kwargs):
        super().__init__(**kwargs)
        self.validators = [
            v
            for v in self.validators
            if not isinstance(v, ProhibitNullCharactersValidator | ProhibitSurrogateCharactersValidator)
        ]

    def run_validation(self, data=empty):
        error = text_error(data, multiline=self.multiline)
        if error is not None:
            # The code ends up in invalidParams: null_characters_not_allowed or control_characters.
            raise serializers.ValidationError(error.messages[0], code=error.code)
        return super().run_validation(data)


class SingleLineCharField(RefuseControlCharactersMixin, serializers.CharField):
    """A name, a title, a place: no line breaks, tabs or other control characters."""


class MultiLineCharField(RefuseControlCharactersMixin, serializers.CharField):
    """Free text (a model ``TextField``): line breaks and tabs allowed, other control characters not."""

    multiline = True


class SingleLineEmailField(RefuseControlCharactersMixin, serializers.EmailField):
    pass


class SingleLineURLField(RefuseControlCharactersMixin, serializers.URLField):
    pass
