"""Serializers of the casusoverleg API: meetings (participants, agenda items) and agreements.

Same conventions as ``workplans.api.serializers``: lowerCamelCase JSON names,
UUIDs as identifiers, string inputs without control characters, people and organisations as
``{uuid, name}``, one named enum component per choice set. No business rule
lives here: ``workplans.meeting_services`` decide, the policy grants access.
"""

from __future__ import annotations

from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from api_conventions.serializer_fields import (
    MultiLineCharField,
    SingleLineCharField,
    SingleLineEmailField,
    SingleLineURLField,
)
from cases.api.serializers import (
    CamelModelSerializer,
    OrganisationRefSerializer,
    TeamRefSerializer,
    UserRefSerializer,
    record_category,
)

from ..fields import SHORT_TEXT_MAX
from ..meeting_models import (
    AgendaItem,
    Agreement,
    AgreementStatus,
    Attendance,
    Meeting,
    MeetingKind,
    MeetingParticipant,
    MeetingStatus,
)
from .serializers import ETAG_HELP, EnumField


def meeting_kind(**kwargs) -> EnumField:
    return EnumField(MeetingKind.choices, enum_name="MeetingKindEnum", **kwargs)


def meeting_status(**kwargs) -> EnumField:
    return EnumField(MeetingStatus.choices, enum_name="MeetingStatusEnum", **kwargs)


def agreement_status(**kwargs) -> EnumField:
    return EnumField(AgreementStatus.choices, enum_name="AgreementStatusEnum", **kwargs)


CLOSING_STATUSES = [(value, label) for value, label in AgreementStatus.choices if value != AgreementStatus.OPEN]


class CaseNumberRefSerializer(serializers.Serializer):
    """A case the user may see, by uuid and case number (no client data)."""

    uuid = serializers.UUIDField(read_only=True)
    number = serializers.CharField(read_only=True)


# --- Agreements ----------------------------------------------------------------------


class AgreementSerializer(CamelModelSerializer):
    category = record_category(read_only=True)
    """An afspraak: what, who, by when; carried over to every next meeting until it is closed."""

    case = CaseNumberRefSerializer(read_only=True)
    meeting = serializers.UUIDField(
        source="meeting.uuid", read_only=True, allow_null=True, help_text="The meeting it was made in, if any."
    )
    owner = UserRefSerializer(read_only=True, allow_null=True)
    ownerOrganisation = OrganisationRefSerializer(source="owner_organisation", read_only=True)
    status = agreement_status(read_only=True)
    goal = serializers.UUIDField(source="goal.uuid", read_only=True, allow_null=True)
    overdue = serializers.SerializerMethodField()

    class Meta:
        model = Agreement
        fields = [
            "uuid",
            "case",
            "meeting",
            "what",
            "category",
            "owner",
            "ownerOrganisation",
            "dueOn",
            "status",
            "statusNote",
            "goal",
            "overdue",
            "createdAt",
            "closedAt",
        ]
        read_only_fields = fields

    @extend_schema_field(serializers.BooleanField(help_text="Still open after its due date."))
    def get_overdue(self, agreement: Agreement) -> bool:
        return agreement.is_overdue()


class AgreementCreateSerializer(serializers.Serializer):
    case = serializers.UUIDField(help_text="A case you may change.")
    what = MultiLineCharField(max_length=SHORT_TEXT_MAX)
    dueOn = serializers.DateField()
    owner = serializers.UUIDField(
        required=False, allow_null=True, help_text="A current member of the case team (user uuid)."
    )
    ownerOrganisation = serializers.UUIDField(
        required=False, allow_null=True, help_text="The responsible party (default: the owner's organisation)."
    )
    meeting = serializers.UUIDField(
        required=False, allow_null=True, help_text="The meeting it is made in; the case must be on its agenda."
    )
    goal = serializers.UUIDField(required=False, allow_null=True, help_text="A goal of the case's workplan.")
    category = record_category(
        required=False,
        help_text="What it is about; by default the goal's life domain, else the agenda item's, else `notities`.",
    )


class AgreementClosureSerializer(serializers.Serializer):
    status = EnumField(CLOSING_STATUSES, enum_name="AgreementClosingStatusEnum")
    note = MultiLineCharField(
        required=False,
        allow_blank=True,
        max_length=SHORT_TEXT_MAX,
        default="",
        help_text="Required for `niet_gedaan` and `vervallen`.",
    )


# --- Meetings --------------------------------------------------------------------------


class ParticipantSerializer(CamelModelSerializer):
    user = UserRefSerializer(read_only=True, allow_null=True)
    organisation = OrganisationRefSerializer(read_only=True)
    name = serializers.CharField(source="display_name", read_only=True)
    attendance = EnumField(Attendance.choices, enum_name="AttendanceEnum", read_only=True)

    class Meta:
        model = MeetingParticipant
        fields = ["uuid", "user", "organisation", "name", "contactEmail", "attendance", "absenceReason"]
        read_only_fields = fields


class ParticipantCreateSerializer(serializers.Serializer):
    user = serializers.UUIDField(required=False, allow_null=True, help_text="A professional (user uuid).")
    organisation = serializers.UUIDField(
        required=False, allow_null=True, help_text="Required for a contact without an account."
    )
    contactName = SingleLineCharField(required=False, allow_blank=True, max_length=200, default="")
    contactEmail = SingleLineEmailField(
        required=False, allow_blank=True, default="", help_text="Required for a contact without an account."
    )


class AgendaItemSerializer(CamelModelSerializer):
    case = CaseNumberRefSerializer(read_only=True)
    category = record_category(read_only=True)
    lockVersion = serializers.IntegerField(source="lock_version", read_only=True, help_text=ETAG_HELP)

    class Meta:
        model = AgendaItem
        fields = [
            "uuid",
            "case",
            "position",
            "minutesPlanned",
            "category",
            "question",
            "decisions",
            "reasoning",
            "lockVersion",
        ]
        read_only_fields = fields


class AgendaItemDetailSerializer(AgendaItemSerializer):
    """An agenda item on the meeting page, with the case's agreements."""

    agreements = AgreementSerializer(many=True, read_only=True, help_text="Made in this meeting.")
    carriedOver = AgreementSerializer(
        source="carried_over",
        many=True,
        read_only=True,
        help_text="Still open, made before this meeting: they come back until they are closed.",
    )

    class Meta(AgendaItemSerializer.Meta):
        fields = [*AgendaItemSerializer.Meta.fields, "agreements", "carriedOver"]
        read_only_fields = fields


class AgendaItemCreateSerializer(serializers.Serializer):
    case = serializers.UUIDField(help_text="A case you may see.")
    minutesPlanned = serializers.IntegerField(required=False, min_value=1, max_value=240, default=15)
    question = MultiLineCharField(required=False, allow_blank=True, max_length=SHORT_TEXT_MAX, default="")
    category = record_category(
        required=False,
        help_text="What the item is about (default `notities`); a partner gets it only within their purpose.",
    )


class MeetingSerializer(CamelModelSerializer):
    """A meeting in a list: no agenda (its cases are behind the policy, see the meeting itself)."""

    kind = meeting_kind(read_only=True)
    status = meeting_status(read_only=True)
    team = TeamRefSerializer(read_only=True)
    chair = UserRefSerializer(read_only=True)
    endsAt = serializers.DateTimeField(source="ends_at", read_only=True)

    class Meta:
        model = Meeting
        fields = [
            "uuid",
            "kind",
            "title",
            "team",
            "startsAt",
            "durationMinutes",
            "endsAt",
            "location",
            "videoLink",
            "chair",
            "status",
            "createdAt",
        ]
        read_only_fields = fields


class MeetingDetailSerializer(MeetingSerializer):
    """The meeting with its participants and only the agenda items of cases you may see."""

    participants = ParticipantSerializer(source="participant_list", many=True, read_only=True)
    agendaItems = AgendaItemDetailSerializer(source="items", many=True, read_only=True)

    class Meta(MeetingSerializer.Meta):
        fields = [*MeetingSerializer.Meta.fields, "generalNotes", "participants", "agendaItems"]
        read_only_fields = fields


class MeetingCreateSerializer(serializers.Serializer):
    team = serializers.UUIDField(
        required=False, allow_null=True, help_text="One of your casework teams (default: your only one)."
    )
    kind = meeting_kind(required=False, default=MeetingKind.CASUSOVERLEG)
    title = SingleLineCharField(max_length=200)
    startsAt = serializers.DateTimeField(help_text="In the future.")
    durationMinutes = serializers.IntegerField(required=False, min_value=10, max_value=480, default=60)
    location = SingleLineCharField(required=False, allow_blank=True, max_length=200, default="")
    videoLink = SingleLineURLField(required=False, allow_blank=True, max_length=200, default="")
