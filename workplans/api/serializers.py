"""Serializers of the workplan API: input shape and output representation only.

Conventions of the case-file API (``cases.api.serializers``): lowerCamelCase
JSON names, UUIDs as identifiers, every string input refuses control characters
(``api_conventions.text``), references to people and organisations as
``{uuid, name}``. No business rule lives here: ``workplans.services`` decide,
the case access helper grants access.
"""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _
from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from api_conventions.serializer_fields import MultiLineCharField, SingleLineCharField
from api_conventions.serializers import EnumField
from cases.api.serializers import (
    CamelModelSerializer,
    ClientRefSerializer,
    OrganisationRefSerializer,
    UserRefSerializer,
)
from cases.constants import LifeDomain
from cases.models import ApprovalRequest

from ..constants import ActionStatus, Duty, GoalStatus, GoalTerm, InvolvementHow, ObstacleCategory, WorkplanStatus
from ..fields import SHORT_TEXT_MAX, TEXT_MAX
from ..models import (
    Action,
    ClientInvolvement,
    CoordinationDuty,
    DutyRecord,
    Goal,
    Obstacle,
    ProgressReview,
    Workplan,
    WorkplanVersion,
)

ETAG_HELP = "Also sent as the `ETag` header; send it back in `If-Match` to change this resource."


# --- Named enums -----------------------------------------------------------------------


def workplan_status(**kwargs) -> EnumField:
    return EnumField(WorkplanStatus.choices, enum_name="WorkplanStatusEnum", **kwargs)


def goal_status(**kwargs) -> EnumField:
    return EnumField(GoalStatus.choices, enum_name="GoalStatusEnum", **kwargs)


def goal_term(**kwargs) -> EnumField:
    return EnumField(GoalTerm.choices, enum_name="GoalTermEnum", **kwargs)


def life_domain(**kwargs) -> EnumField:
    return EnumField(LifeDomain.choices, enum_name="LifeDomainEnum", **kwargs)


# --- Derived facts: gaps and review events -------------------------------------------


class GapSerializer(serializers.Serializer):
    """Something the plan misses (derived, never stored)."""

    rule = serializers.CharField(
        read_only=True,
        help_text=(
            "Machine-readable rule: `zrm_without_goal`, `goal_without_owner`, `owner_left_case`, "
            "`action_overdue`, `long_term_goal_not_reviewed`, `no_participation_goal`, `two_parties_same_domain`."
        ),
    )
    message = serializers.CharField(read_only=True)


class ReviewEventSerializer(serializers.Serializer):
    """An event since the last review that asks for the plan to be reviewed (duty e)."""

    at = serializers.DateField(read_only=True)
    reason = serializers.CharField(read_only=True)


# --- The plan ------------------------------------------------------------------------


class WorkplanSerializer(CamelModelSerializer):
    """A workplan in a list."""

    case = serializers.UUIDField(source="case.uuid", read_only=True)
    status = workplan_status(read_only=True)
    coordinator = UserRefSerializer(source="case.coordinator", read_only=True, allow_null=True)
    lockVersion = serializers.IntegerField(source="lock_version", read_only=True, help_text=ETAG_HELP)

    class Meta:
        model = Workplan
        fields = [
            "uuid",
            "case",
            "status",
            "coordinator",
            "reviewIntervalWeeks",
            "reviewDueOn",
            "adoptedAt",
            "lockVersion",
            "createdAt",
            "updatedAt",
        ]
        read_only_fields = fields


class WorkplanDetailSerializer(WorkplanSerializer):
    """The plan itself, with what it misses (``gaps``) and what asks for a review (``reviewEvents``)."""

    gaps = GapSerializer(many=True, read_only=True)
    reviewEvents = ReviewEventSerializer(source="review_events", many=True, read_only=True)

    class Meta(WorkplanSerializer.Meta):
        fields = [
            *WorkplanSerializer.Meta.fields,
            "problemAnalysis",
            "coordinationAgreements",
            "clientSupportAgreements",
            "gaps",
            "reviewEvents",
        ]
        read_only_fields = fields


class WorkplanCreateSerializer(serializers.Serializer):
    case = serializers.UUIDField(help_text="The case (status `actief`) that gets the plan.")


class WorkplanUpdateSerializer(serializers.Serializer):
    """PATCH of the plan's texts and review interval: only what is sent changes."""

    problemAnalysis = MultiLineCharField(required=False, allow_blank=True, max_length=TEXT_MAX)
    coordinationAgreements = MultiLineCharField(required=False, allow_blank=True, max_length=TEXT_MAX)
    clientSupportAgreements = MultiLineCharField(required=False, allow_blank=True, max_length=TEXT_MAX)
    reviewIntervalWeeks = serializers.IntegerField(required=False, min_value=1, max_value=104)


# --- Versions and adoption -------------------------------------------------------------


class WorkplanVersionSerializer(CamelModelSerializer):
    """An adopted version, without its content (see the version itself for the snapshot)."""

    adoptedBy = UserRefSerializer(source="adopted_by", read_only=True)
    approvedBy = UserRefSerializer(source="approved_by", read_only=True, allow_null=True)

    class Meta:
        model = WorkplanVersion
        fields = ["number", "reason", "adoptedBy", "adoptedAt", "approvedBy"]
        read_only_fields = fields


class WorkplanVersionDetailSerializer(WorkplanVersionSerializer):
    """An adopted version: the plan as it was adopted. Versions are never changed."""

    snapshot = serializers.JSONField(
        read_only=True,
        help_text="The whole plan as adopted (texts, analysis, goals with their actions), names as they were then.",
    )

    class Meta(WorkplanVersionSerializer.Meta):
        fields = [*WorkplanVersionSerializer.Meta.fields, "snapshot"]
        read_only_fields = fields


class AdoptionCreateSerializer(serializers.Serializer):
    reason = MultiLineCharField(
        required=False,
        allow_blank=True,
        max_length=SHORT_TEXT_MAX,
        default="",
        help_text="Why the plan changed; required for every version after the first.",
    )


class AdoptedVersionSerializer(WorkplanVersionDetailSerializer):
    """The version just adopted, with the gaps the plan still has (gaps do not block adoption)."""

    gaps = GapSerializer(many=True, read_only=True)

    class Meta(WorkplanVersionDetailSerializer.Meta):
        fields = [*WorkplanVersionDetailSerializer.Meta.fields, "gaps"]
        read_only_fields = fields


class ApprovalPendingSerializer(CamelModelSerializer):
    """Four eyes: the adoption waits for the teamleider's decision."""

    status = EnumField(ApprovalRequest.Status.choices, enum_name="ApprovalStatusEnum", read_only=True)
    kind = EnumField(ApprovalRequest.Kind.choices, enum_name="ApprovalKindEnum", read_only=True)
    gaps = GapSerializer(many=True, read_only=True)

    class Meta:
        model = ApprovalRequest
        fields = ["uuid", "status", "kind", "reason", "createdAt", "gaps"]
        read_only_fields = fields


# --- Difference between two versions ---------------------------------------------------


class FieldChangeSerializer(serializers.Serializer):
    label = serializers.CharField(read_only=True)
    old = serializers.JSONField(read_only=True, allow_null=True)
    new = serializers.JSONField(read_only=True, allow_null=True)


class ItemDiffSerializer(serializers.Serializer):
    kind = EnumField(["added", "removed", "changed", "same"], enum_name="DiffKindEnum", read_only=True)
    title = serializers.CharField(read_only=True)
    changes = FieldChangeSerializer(many=True, read_only=True)


class GoalDiffSerializer(ItemDiffSerializer):
    children = ItemDiffSerializer(many=True, read_only=True, help_text="The goal's actions.")


class DiffCountsSerializer(serializers.Serializer):
    added = serializers.IntegerField(read_only=True)
    removed = serializers.IntegerField(read_only=True)
    changed = serializers.IntegerField(read_only=True)


class VersionDiffSerializer(serializers.Serializer):
    """What was added, changed and removed from version ``from`` to version ``to``."""

    fromVersion = serializers.IntegerField(source="from_number", read_only=True)
    toVersion = serializers.IntegerField(source="to_number", read_only=True)
    counts = DiffCountsSerializer(read_only=True)
    texts = FieldChangeSerializer(many=True, read_only=True)
    analysis = ItemDiffSerializer(many=True, read_only=True)
    goals = GoalDiffSerializer(many=True, read_only=True)


# --- Goals, reviews, actions -------------------------------------------------------------


class ProgressReviewSerializer(CamelModelSerializer):
    reviewer = UserRefSerializer(read_only=True)
    status = goal_status(read_only=True)

    class Meta:
        model = ProgressReview
        fields = ["reviewedOn", "reviewer", "status", "note"]
        read_only_fields = fields


class ActionSerializer(CamelModelSerializer):
    party = OrganisationRefSerializer(read_only=True)
    professional = UserRefSerializer(read_only=True, allow_null=True)
    status = EnumField(ActionStatus.choices, enum_name="ActionStatusEnum", read_only=True)

    class Meta:
        model = Action
        fields = ["uuid", "description", "party", "professional", "startOn", "endOn", "status"]
        read_only_fields = fields


class GoalSerializer(CamelModelSerializer):
    term = goal_term(read_only=True)
    lifeDomain = life_domain(source="life_domain", read_only=True)
    status = goal_status(read_only=True)
    owner = UserRefSerializer(read_only=True, allow_null=True)
    ownerOrganisation = OrganisationRefSerializer(source="owner_organisation", read_only=True, allow_null=True)
    lockVersion = serializers.IntegerField(source="lock_version", read_only=True, help_text=ETAG_HELP)
    actions = ActionSerializer(many=True, read_only=True)
    reviews = ProgressReviewSerializer(many=True, read_only=True)

    class Meta:
        model = Goal
        fields = [
            "uuid",
            "term",
            "horizonYears",
            "lifeDomain",
            "description",
            "clientWords",
            "owner",
            "ownerOrganisation",
            "status",
            "targetDate",
            "position",
            "lockVersion",
            "createdAt",
            "statusChangedAt",
            "actions",
            "reviews",
        ]
        read_only_fields = fields


class GoalCreateSerializer(serializers.Serializer):
    term = goal_term()
    horizonYears = serializers.IntegerField(
        required=False, allow_null=True, min_value=1, max_value=20, help_text="Required for a long-term goal."
    )
    lifeDomain = life_domain()
    description = MultiLineCharField(max_length=SHORT_TEXT_MAX, help_text="The goal in plain language.")
    clientWords = MultiLineCharField(required=False, allow_blank=True, max_length=SHORT_TEXT_MAX, default="")
    owner = serializers.UUIDField(
        required=False, allow_null=True, help_text="The professional (user uuid); a current member of the case team."
    )
    ownerOrganisation = serializers.UUIDField(
        required=False, allow_null=True, help_text="The responsible party (default: the owner's organisation)."
    )
    targetDate = serializers.DateField(required=False, allow_null=True)


class GoalUpdateSerializer(serializers.Serializer):
    """PATCH of a goal: only what is sent changes."""

    term = goal_term(required=False)
    horizonYears = serializers.IntegerField(required=False, allow_null=True, min_value=1, max_value=20)
    lifeDomain = life_domain(required=False)
    description = MultiLineCharField(required=False, max_length=SHORT_TEXT_MAX)
    clientWords = MultiLineCharField(required=False, allow_blank=True, max_length=SHORT_TEXT_MAX)
    owner = serializers.UUIDField(required=False, allow_null=True)
    ownerOrganisation = serializers.UUIDField(required=False, allow_null=True)
    status = goal_status(required=False)
    targetDate = serializers.DateField(required=False, allow_null=True)


class ProgressReviewCreateSerializer(serializers.Serializer):
    status = goal_status(help_text="The goal takes this status.")
    note = MultiLineCharField(required=False, allow_blank=True, max_length=SHORT_TEXT_MAX, default="")
    reviewedOn = serializers.DateField(required=False, allow_null=True, help_text="Default: today.")


class ActionCreateSerializer(serializers.Serializer):
    description = MultiLineCharField(max_length=SHORT_TEXT_MAX)
    party = serializers.UUIDField(help_text="The responsible organisation (uuid).")
    professional = serializers.UUIDField(
        required=False, allow_null=True, help_text="A current member of the case team (user uuid)."
    )
    startOn = serializers.DateField(required=False, allow_null=True)
    endOn = serializers.DateField(required=False, allow_null=True)


# --- Duties a–g --------------------------------------------------------------------------


class DutySerializer(CamelModelSerializer):
    duty = EnumField(Duty.choices, enum_name="CoordinationDutyEnum", read_only=True, help_text="The letter a–g.")
    label = serializers.CharField(source="get_duty_display", read_only=True)
    overdue = serializers.SerializerMethodField()

    class Meta:
        model = CoordinationDuty
        fields = ["duty", "label", "intervalDays", "nextDueOn", "lastDoneOn", "overdue"]
        read_only_fields = fields

    @extend_schema_field(serializers.BooleanField(help_text="The next due date has passed."))
    def get_overdue(self, duty: CoordinationDuty) -> bool:
        return duty.is_overdue()


class DutyRecordSerializer(CamelModelSerializer):
    """A record of a duty done, with the duty's new schedule."""

    duty = DutySerializer(read_only=True)
    doneBy = UserRefSerializer(source="done_by", read_only=True)

    class Meta:
        model = DutyRecord
        fields = ["uuid", "duty", "doneOn", "doneBy", "what", "outcome", "createdAt"]
        read_only_fields = fields


class DutyRecordCreateSerializer(serializers.Serializer):
    what = MultiLineCharField(max_length=SHORT_TEXT_MAX)
    outcome = MultiLineCharField(required=False, allow_blank=True, max_length=SHORT_TEXT_MAX, default="")
    doneOn = serializers.DateField(required=False, allow_null=True, help_text="Default: today.")


# --- Obstacles -----------------------------------------------------------------------------


class ObstacleSerializer(CamelModelSerializer):
    category = EnumField(ObstacleCategory.choices, enum_name="ObstacleCategoryEnum", read_only=True)
    raisedBy = UserRefSerializer(source="raised_by", read_only=True)

    class Meta:
        model = Obstacle
        fields = [
            "uuid",
            "category",
            "description",
            "party",
            "raisedOn",
            "resolvedOn",
            "raisedBy",
            "approvedForPublication",
        ]
        read_only_fields = fields


class ObstacleCreateSerializer(serializers.Serializer):
    category = EnumField(ObstacleCategory.choices, enum_name="ObstacleCategoryEnum")
    description = MultiLineCharField(max_length=SHORT_TEXT_MAX)
    party = SingleLineCharField(required=False, allow_blank=True, max_length=200, default="")
    raisedOn = serializers.DateField(required=False, allow_null=True, help_text="Default: today.")


class ObstacleResolutionSerializer(serializers.Serializer):
    resolvedOn = serializers.DateField(required=False, allow_null=True, help_text="Default: today.")


# --- Client involvement (duty f) -------------------------------------------------------------


class GoalViewSerializer(serializers.Serializer):
    goal = serializers.UUIDField(source="goal.uuid", read_only=True)
    view = serializers.CharField(read_only=True)


class InvolvementSerializer(CamelModelSerializer):
    how = EnumField(InvolvementHow.choices, enum_name="InvolvementHowEnum", read_only=True)
    participants = ClientRefSerializer(many=True, read_only=True)
    recordedBy = UserRefSerializer(source="recorded_by", read_only=True)
    goalViews = GoalViewSerializer(source="goal_views", many=True, read_only=True)

    class Meta:
        model = ClientInvolvement
        fields = ["uuid", "occurredOn", "how", "participants", "recordedBy", "generalView", "goalViews"]
        read_only_fields = fields


class GoalViewInputSerializer(serializers.Serializer):
    goal = serializers.UUIDField(help_text="A goal of this plan.")
    view = MultiLineCharField(max_length=SHORT_TEXT_MAX, help_text="The client's own view of this goal.")


class InvolvementCreateSerializer(serializers.Serializer):
    how = EnumField(InvolvementHow.choices, enum_name="InvolvementHowEnum")
    occurredOn = serializers.DateField(required=False, allow_null=True, help_text="Default: today.")
    participants = serializers.ListField(
        child=serializers.UUIDField(),
        help_text="Clients of the case (its client or current household members) who took part.",
    )
    generalView = MultiLineCharField(required=False, allow_blank=True, max_length=SHORT_TEXT_MAX, default="")
    goalViews = GoalViewInputSerializer(many=True, required=False, default=list)

    def validate_participants(self, value):
        if not value:
            raise serializers.ValidationError(_("Kies wie van het huishouden meedeed."), code="empty")
        return list(dict.fromkeys(value))

    def validate_goalViews(self, value):
        goals = [item["goal"] for item in value]
        if len(goals) != len(set(goals)):
            raise serializers.ValidationError(_("Geef per doel één mening."), code="duplicate")
        return value
