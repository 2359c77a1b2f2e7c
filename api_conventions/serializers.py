"""Serializer conventions every API of the product shares."""

from __future__ import annotations

from drf_spectacular.extensions import OpenApiSerializerFieldExtension
from drf_spectacular.plumbing import ResolvedComponent, build_choice_description_list
from rest_framework import serializers


class EnumField(serializers.ChoiceField):
    """A choice field documented as one named enum component in the OpenAPI schema.

    drf-spectacular names an inline enum after its field (``status``, ``kind``),
    so a plan's, a goal's and a case's ``status`` would collide (a schema
    warning, and generated names like ``Status8b3Enum``). Each choice set gets
    its own stable name here instead.
    """

    def __init__(self, choices, *, enum_name: str, **kwargs):
        self.enum_name = enum_name
        super().__init__(choices, **kwargs)


class EnumFieldExtension(OpenApiSerializerFieldExtension):
    target_class = EnumField

    def map_serializer_field(self, auto_schema, direction):
        field = self.target
        schema = {
            "type": "string",
            "enum": list(field.choices),
            "description": build_choice_description_list(field.choices.items()),
        }
        component = ResolvedComponent(
            name=field.enum_name, type=ResolvedComponent.SCHEMA, schema=schema, object=field.enum_name
        )
        auto_schema.registry.register_on_missing(component)
        return component.ref
