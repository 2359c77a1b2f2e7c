"""Serializers of the case-file API: input shape and output representation only.

JSON names are lowerCamelCase; the Python side keeps the model's snake_case
through ``source``, so ``validated_data`` can go straight into a service.
No business rule lives here: services decide, the policy grants access.

Every string input refuses control characters at this edge (``api_conventions.text``: NUL, which
PostgreSQL cannot store, and line breaks in one-line fields, which could reach an e-mail header): string
fields are ``SingleLineCharField`` / ``MultiLineCharField`` / ``SingleLineEmailField``, also in the model
serializers through ``serializer_field_mapping``.
"""

from __future__ import annotations

import datetime
import re

from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers
from rest_framework.validators import UniqueValidator

from api_conventions.serializer_fields import (
    MultiLineCharField,
    SingleLineCharField,
    SingleLineEmailField,
    SingleLineURLField,
)
from api_conventions.serializers import EnumField
from consent.constants import RECORD_CATEGORY_CHOICES

from .. import workflow
from ..constants import (
    CaseRole,
    CaseStatus,
    Channel,
    ClosingReason,
    Law,
    LifeDomain,
    Relation,
    SafetyConcern,
    SignalOutcome,
    SignalSource,
    Task,
)
from ..models import (
    SUMMARY_MAX,
    Case,
    CaseMember,
    Client,
    ContactMoment,
    Household,
    HouseholdMember,
    LifeDomainAssessment,
    Signal,
)
from ..validators import validate_bsn, validate_not_in_future, validate_postcode


def record_category(**kwargs) -> EnumField:
    """What a contact moment, referral, agenda item or agreement is about (``consent.constants``): a partner
    sees the record only when their purpose covers it."""
    return EnumField(RECORD_CATEGORY_CHOICES, enum_name="RecordCategoryEnum", **kwargs)


ZRM_HELP = "ZRM score from 1 (acute problems) to 5 (fully self-sufficient)."


def to_snake(name: str) -> str:
    """``closingReason`` -> ``closing_reason``."""
    return re.sub(r"(?<!^)(?=[A-Z])", "_", name).lower()


class CamelModelSerializer(serializers.ModelSerializer):
    """A ModelSerializer whose ``Meta.fields`` are lowerCamelCase names of snake_case model fields.

    Undeclared fields are built from the model field named ``to_snake(name)``,
    with its validators (max length, BSN 11-test, postcode) and the control-character rule.
    """

    serializer_field_mapping = {
        **serializers.ModelSerializer.serializer_field_mapping,
        models.CharField: SingleLineCharField,
        models.TextField: MultiLineCharField,
        models.EmailField: SingleLineEmailField,
        models.URLField: SingleLineURLField,
    }

    def get_extra_kwargs(self):
        extra_kwargs = super().get_extra_kwargs()
        for name in self.Meta.fields:
            source = to_snake(name)
            if source != name and name not in self._declared_fields:
                extra_kwargs.setdefault(name, {}).setdefault("source", source)
        return extra_kwargs

    def include_extra_kwargs(self, kwargs, extra_kwargs):
        blank_choice = bool(kwargs.get("allow_blank") and "choices" in kwargs)
        kwargs = super().include_extra_kwargs(kwargs, extra_kwargs)
        if blank_choice:
            # DRF drops allow_blank from read-only fields; keep it so the schema admits "" (no choice made).
            kwargs["allow_blank"] = True
        return kwargs


# --- Small references -------------------------------------------------------------


class TeamRefSerializer(serializers.Serializer):
    uuid = serializers.UUIDField(read_only=True)
    name = serializers.CharField(read_only=True)


class OrganisationRefSerializer(serializers.Serializer):
    uuid = serializers.UUIDField(read_only=True)
    name = serializers.CharField(read_only=True)


class UserRefSerializer(serializers.Serializer):
    uuid = serializers.UUIDField(read_only=True)
    name = serializers.CharField(source="get_full_name", read_only=True)


class ClientRefSerializer(serializers.Serializer):
    uuid = serializers.UUIDField(read_only=True)
    fullName = serializers.CharField(source="full_name", read_only=True)


class HouseholdRefSerializer(serializers.Serializer):
    uuid = serializers.UUIDField(read_only=True)
    name = serializers.CharField(read_only=True)


# --- Clients ------------------------------------------------------------------


CLIENT_FIELDS = [
    "uuid",
    "bsn",
    "givenNames",
    "prefix",
    "familyName",
    "fullName",
    "dateOfBirth",
    "gender",
    "phone",
    "email",
    "street",
    "houseNumber",
    "houseNumberAddition",
    "postcode",
    "city",
    "createdAt",
    "updatedAt",
]


class ClientSerializer(CamelModelSerializer):
    """A client (cliënt); input of create and update, output of retrieve.

    ``bsn`` is checked with the 11-test here; a duplicate BSN is refused by the service.
    """

    fullName = serializers.CharField(source="full_name", read_only=True)

    class Meta:
        model = Client
        fields = CLIENT_FIELDS
        read_only_fields = ["uuid", "createdAt", "updatedAt"]
        # The duplicate check is also made here, so it is reported together with the other field errors;
        # the service checks again (8-digit form, concurrent inserts).
        extra_kwargs = {
            "bsn": {
                "validators": [
                    validate_bsn,
                    UniqueValidator(queryset=Client.objects.all(), message=_("Er is al een cliënt met dit BSN.")),
                ]
            }
        }


class ClientSummarySerializer(ClientSerializer):
    """A client in a list or search result: no BSN (data minimisation)."""

    class Meta(ClientSerializer.Meta):
        fields = [f for f in CLIENT_FIELDS if f != "bsn"]
        read_only_fields = fields


class ClientSearchSerializer(serializers.Serializer):
    """Search by exactly one of: ``bsn``; ``familyName`` + ``dateOfBirth``; ``postcode`` (+ ``houseNumber``)."""

    bsn = SingleLineCharField(required=False, max_length=9, validators=[validate_bsn])
    familyName = SingleLineCharField(required=False, max_length=200)
    dateOfBirth = serializers.DateField(required=False)
    postcode = SingleLineCharField(required=False, max_length=7, validators=[validate_postcode])
    houseNumber = SingleLineCharField(required=False, max_length=10)

    def validate(self, attrs):
        modes = [
            bool(attrs.get("bsn")),
            bool(attrs.get("familyName") or attrs.get("dateOfBirth")),
            bool(attrs.get("postcode")),
        ]
        if sum(modes) != 1:
            raise serializers.ValidationError(
                {
                    "nonFieldErrors": _(
                        "Zoek op BSN, óf op achternaam en geboortedatum, óf op postcode (met huisnummer)."
                    )
                },
                code="search_mode",
            )
        if modes[1]:
            errors = {}
            if not attrs.get("familyName"):
                errors["familyName"] = _("Vul ook de achternaam in.")
            if not attrs.get("dateOfBirth"):
                errors["dateOfBirth"] = _("Vul ook de geboortedatum in.")
            if errors:
                raise serializers.ValidationError(errors, code="required")
        if attrs.get("houseNumber") and not attrs.get("postcode"):
            raise serializers.ValidationError({"postcode": _("Vul ook de postcode in.")}, code="required")
        return attrs


# --- Households ---------------------------------------------------------------


class HouseholdMemberSerializer(CamelModelSerializer):
    client = ClientRefSerializer(read_only=True)

    class Meta:
        model = HouseholdMember
        fields = ["client", "relation", "validFrom", "validTo"]
        read_only_fields = fields


class HouseholdSerializer(CamelModelSerializer):
    """A household with its current composition (derived from the membership history)."""

    members = HouseholdMemberSerializer(source="current_members", many=True, read_only=True)

    class Meta:
        model = Household
        fields = ["uuid", "name", "members", "createdAt", "updatedAt"]
        read_only_fields = ["uuid", "createdAt", "updatedAt"]


class HouseholdMemberInputSerializer(serializers.Serializer):
    client = serializers.UUIDField()
    relation = serializers.ChoiceField(choices=Relation.choices)


class HouseholdCreateSerializer(serializers.Serializer):
    name = SingleLineCharField(max_length=200)
    members = HouseholdMemberInputSerializer(many=True, required=False, default=list)


class HouseholdMemberAddSerializer(HouseholdMemberInputSerializer):
    validFrom = serializers.DateField(required=False, allow_null=True)


# --- Cases --------------------------------------------------------------------


class LawsField(serializers.ListField):
    child = serializers.ChoiceField(choices=Law.choices)

    def __init__(self, **kwargs):
        kwargs.setdefault("allow_empty", True)
        super().__init__(**kwargs)


class CaseSerializer(CamelModelSerializer):
    """A case in a list: who it is for, where it stands, which team works on it."""

    team = TeamRefSerializer(read_only=True)
    client = ClientRefSerializer(read_only=True, allow_null=True)
    household = HouseholdRefSerializer(read_only=True, allow_null=True)
    coordinator = UserRefSerializer(read_only=True, allow_null=True)
    laws = LawsField(read_only=True)
    safetyFlag = serializers.BooleanField(source="has_safety_flag", read_only=True)
    lastContactAt = serializers.DateTimeField(source="last_contact_at", read_only=True, allow_null=True)

    class Meta:
        model = Case
        fields = [
            "uuid",
            "number",
            "status",
            "team",
            "client",
            "household",
            "coordinator",
            "laws",
            "safetyConcern",
            "safetyFlag",
            "openedOn",
            "closedOn",
            "lastContactAt",
            "lockVersion",
        ]
        read_only_fields = fields


class CaseDetailSerializer(CaseSerializer):
    """The case itself; ``lockVersion`` is also the ``ETag`` for ``If-Match``."""

    allowedTransitions = serializers.SerializerMethodField()

    class Meta(CaseSerializer.Meta):
        fields = [*CaseSerializer.Meta.fields, "closingReason", "summary", "allowedTransitions"]
        read_only_fields = fields

    @extend_schema_field(
        serializers.ListField(
            child=serializers.CharField(),
            help_text="The statuses this case may move to next (values of `status`).",
        )
    )
    def get_allowedTransitions(self, case: Case) -> list[str]:
        return sorted(workflow.allowed_transitions(case.status))


class CaseCreateSerializer(serializers.Serializer):
    team = serializers.UUIDField()
    client = serializers.UUIDField(required=False, allow_null=True)
    household = serializers.UUIDField(required=False, allow_null=True)
    laws = LawsField(required=False, default=list)
    safetyConcern = serializers.ChoiceField(choices=SafetyConcern.choices, required=False, allow_blank=True, default="")
    summary = MultiLineCharField(required=False, allow_blank=True, max_length=SUMMARY_MAX, default="")

    def validate(self, attrs):
        if bool(attrs.get("client")) == bool(attrs.get("household")):
            raise serializers.ValidationError(
                {"client": _("Een casus hoort bij een huishouden óf bij één cliënt: kies er één.")},
                code="client_xor_household",
            )
        return attrs


class CaseUpdateSerializer(serializers.Serializer):
    """PATCH of a case: only what is sent changes."""

    laws = LawsField(required=False)
    safetyConcern = serializers.ChoiceField(choices=SafetyConcern.choices, required=False, allow_blank=True)
    summary = MultiLineCharField(required=False, allow_blank=True, max_length=SUMMARY_MAX)


class CaseTransitionSerializer(serializers.Serializer):
    status = serializers.ChoiceField(choices=CaseStatus.choices)
    reason = MultiLineCharField(required=False, allow_blank=True, max_length=SUMMARY_MAX, default="")
    closingReason = serializers.ChoiceField(choices=ClosingReason.choices, required=False, allow_blank=True, default="")


# --- Case team, assessments, contacts ---------------------------------------------


class CaseMemberSerializer(CamelModelSerializer):
    user = UserRefSerializer(read_only=True, allow_null=True)
    organisation = OrganisationRefSerializer(read_only=True)
    name = serializers.CharField(source="display_name", read_only=True)
    purpose = serializers.SlugRelatedField(
        slug_field="code", read_only=True, allow_null=True, help_text="The purpose a partner takes part for."
    )

    class Meta:
        model = CaseMember
        fields = [
            "uuid",
            "user",
            "organisation",
            "name",
            "contactName",
            "contactEmail",
            "contactPhone",
            "role",
            "task",
            "purpose",
            "validFrom",
            "validTo",
        ]
        read_only_fields = fields


class CaseMemberCreateSerializer(serializers.Serializer):
    """A professional (``user``) or a partner contact (``organisation`` + ``contactName``)."""

    user = serializers.UUIDField(required=False, allow_null=True)
    organisation = serializers.UUIDField(required=False, allow_null=True)
    contactName = SingleLineCharField(required=False, allow_blank=True, max_length=200, default="")
    contactEmail = SingleLineEmailField(required=False, allow_blank=True, default="")
    contactPhone = SingleLineCharField(required=False, allow_blank=True, max_length=40, default="")
    role = serializers.ChoiceField(choices=CaseRole.choices)
    task = serializers.ChoiceField(choices=Task.choices, required=False, default=Task.HULPVERLENING)
    purpose = SingleLineCharField(
        required=False,
        max_length=50,
        allow_null=True,
        help_text="Code of the purpose (doel): required for someone from outside the municipality.",
    )

    def validate(self, attrs):
        if not attrs.get("user") and not (attrs.get("organisation") and attrs.get("contactName")):
            raise serializers.ValidationError(
                {"user": _("Kies een professional, of een organisatie met de naam van de contactpersoon.")},
                code="required",
            )
        return attrs


class AssessmentSerializer(CamelModelSerializer):
    score = serializers.IntegerField(read_only=True, min_value=1, max_value=5, help_text=ZRM_HELP)
    targetScore = serializers.IntegerField(
        source="target_score", read_only=True, allow_null=True, min_value=1, max_value=5, help_text=ZRM_HELP
    )
    assessor = UserRefSerializer(read_only=True)
    client = ClientRefSerializer(read_only=True, allow_null=True)

    class Meta:
        model = LifeDomainAssessment
        fields = ["uuid", "domain", "score", "targetScore", "rationale", "assessedOn", "assessor", "client"]
        read_only_fields = fields


class AssessmentRecordedSerializer(serializers.Serializer):
    """The scores recorded in one assessment moment."""

    scores = AssessmentSerializer(many=True, read_only=True)


class ScoreInputSerializer(serializers.Serializer):
    domain = serializers.ChoiceField(choices=LifeDomain.choices)
    score = serializers.IntegerField(min_value=1, max_value=5, help_text=ZRM_HELP)
    targetScore = serializers.IntegerField(
        min_value=1, max_value=5, required=False, allow_null=True, default=None, help_text=ZRM_HELP
    )
    rationale = MultiLineCharField(required=False, allow_blank=True, max_length=1000, default="")


class AssessmentsCreateSerializer(serializers.Serializer):
    """One assessment moment: scores for the life domains that matter (not all 13 by force)."""

    assessedOn = serializers.DateField(required=False, allow_null=True, validators=[validate_not_in_future])
    client = serializers.UUIDField(required=False, allow_null=True)
    scores = ScoreInputSerializer(many=True)

    def validate_scores(self, value):
        if not value:
            raise serializers.ValidationError(_("Scoor ten minste één leefgebied."), code="empty")
        return value


class ContactSerializer(CamelModelSerializer):
    category = record_category(read_only=True)
    professional = UserRefSerializer(read_only=True)
    participants = ClientRefSerializer(many=True, read_only=True)

    class Meta:
        model = ContactMoment
        fields = [
            "uuid",
            "occurredAt",
            "channel",
            "category",
            "summary",
            "restricted",
            "professional",
            "participants",
            "createdAt",
        ]
        read_only_fields = fields


class ContactCreateSerializer(serializers.Serializer):
    occurredAt = serializers.DateTimeField()
    channel = serializers.ChoiceField(choices=Channel.choices)
    summary = MultiLineCharField(max_length=SUMMARY_MAX)
    category = record_category(required=False, help_text="What the contact was about (default `notities`: general).")
    restricted = serializers.BooleanField(
        required=False, default=False, help_text="Professional secrecy: only the author's organisation reads it."
    )
    participants = serializers.ListField(child=serializers.UUIDField(), required=False, default=list)


# --- Signals ------------------------------------------------------------------


class SignalSerializer(CamelModelSerializer):
    """A melding in a team's inbox, with its triage deadline and outcome."""

    team = TeamRefSerializer(read_only=True)
    client = ClientRefSerializer(read_only=True, allow_null=True)
    # Only the identifier: whether the user may open the case is the case endpoint's decision.
    case = serializers.UUIDField(source="case.uuid", read_only=True, allow_null=True)
    open = serializers.BooleanField(source="is_open", read_only=True)
    overdue = serializers.SerializerMethodField()

    class Meta:
        model = Signal
        fields = [
            "uuid",
            "team",
            "source",
            "reporterName",
            "reporterContact",
            "client",
            "subjectDescription",
            "whatWasSeen",
            "receivedAt",
            "triageDeadline",
            "open",
            "overdue",
            "outcome",
            "outcomeNote",
            "triagedAt",
            "case",
        ]
        read_only_fields = fields

    def get_overdue(self, signal: Signal) -> bool:
        return signal.is_overdue()


class SignalCreateSerializer(serializers.Serializer):
    team = serializers.UUIDField()
    source = serializers.ChoiceField(choices=SignalSource.choices)
    whatWasSeen = MultiLineCharField(max_length=SUMMARY_MAX)
    client = serializers.UUIDField(required=False, allow_null=True)
    subjectDescription = SingleLineCharField(required=False, allow_blank=True, max_length=300, default="")
    reporterName = SingleLineCharField(required=False, allow_blank=True, max_length=200, default="")
    reporterContact = SingleLineCharField(required=False, allow_blank=True, max_length=200, default="")
    receivedAt = serializers.DateTimeField(required=False, allow_null=True)

    def validate_receivedAt(self, value):
        if value is not None and value > timezone.now() + datetime.timedelta(minutes=5):
            raise serializers.ValidationError(_("Deze datum ligt in de toekomst."), code="future_date")
        return value


class SignalTriageSerializer(serializers.Serializer):
    """The triage decision.

    ``nieuwe_casus`` opens a case in the signal's team for ``client`` or ``household`` (default: the
    signal's client); ``bestaande_casus`` links the signal to ``case``.
    """

    outcome = serializers.ChoiceField(choices=SignalOutcome.choices)
    note = MultiLineCharField(required=False, allow_blank=True, max_length=SUMMARY_MAX, default="")
    case = serializers.UUIDField(required=False, allow_null=True)
    client = serializers.UUIDField(required=False, allow_null=True)
    household = serializers.UUIDField(required=False, allow_null=True)
    laws = LawsField(required=False, default=list)
