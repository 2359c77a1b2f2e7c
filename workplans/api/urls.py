"""Routes of the workplan API under /api/v1/: plural nouns, kebab-case, no trailing slashes, UUIDs."""

from django.urls import path

import api_conventions.numbers  # noqa: F401  (registers <number:…>: bounded, so a 25-digit version is a 404)

from . import meeting_views
from .views import duties, goals, plans

urlpatterns = [
    path("workplans", plans.WorkplanCollectionView.as_view(), name="api-workplan-list"),
    path("workplans/<uuid:uuid>", plans.WorkplanDetailView.as_view(), name="api-workplan-detail"),
    path("workplans/<uuid:uuid>/adoptions", plans.AdoptionsView.as_view(), name="api-workplan-adoptions"),
    path("workplans/<uuid:uuid>/versions", plans.VersionCollectionView.as_view(), name="api-workplan-versions"),
    path(
        "workplans/<uuid:uuid>/versions/<number:number>",
        plans.VersionDetailView.as_view(),
        name="api-workplan-version-detail",
    ),
    path(
        "workplans/<uuid:uuid>/versions/<number:number>/diff",
        plans.VersionDiffView.as_view(),
        name="api-workplan-version-diff",
    ),
    path("workplans/<uuid:uuid>/goals", goals.GoalCollectionView.as_view(), name="api-workplan-goals"),
    path("workplans/<uuid:uuid>/goals/<uuid:goal>", goals.GoalDetailView.as_view(), name="api-workplan-goal-detail"),
    path(
        "workplans/<uuid:uuid>/goals/<uuid:goal>/reviews",
        goals.GoalReviewsView.as_view(),
        name="api-workplan-goal-reviews",
    ),
    path(
        "workplans/<uuid:uuid>/goals/<uuid:goal>/actions",
        goals.GoalActionsView.as_view(),
        name="api-workplan-goal-actions",
    ),
    path("workplans/<uuid:uuid>/duties", duties.DutyCollectionView.as_view(), name="api-workplan-duties"),
    path(
        "workplans/<uuid:uuid>/duties/<str:duty>/records",
        duties.DutyRecordsView.as_view(),
        name="api-workplan-duty-records",
    ),
    path("workplans/<uuid:uuid>/obstacles", duties.ObstacleCollectionView.as_view(), name="api-workplan-obstacles"),
    path(
        "workplans/<uuid:uuid>/obstacles/<uuid:obstacle>/resolution",
        duties.ObstacleResolutionView.as_view(),
        name="api-workplan-obstacle-resolution",
    ),
    path(
        "workplans/<uuid:uuid>/involvements",
        duties.InvolvementCollectionView.as_view(),
        name="api-workplan-involvements",
    ),
]

# Casusoverleg: meetings (participants, agenda items) and agreements.
urlpatterns += [
    path("meetings", meeting_views.MeetingCollectionView.as_view(), name="api-meeting-list"),
    path("meetings/<uuid:uuid>", meeting_views.MeetingDetailView.as_view(), name="api-meeting-detail"),
    path(
        "meetings/<uuid:uuid>/agenda-items",
        meeting_views.MeetingAgendaItemsView.as_view(),
        name="api-meeting-agenda-items",
    ),
    path(
        "meetings/<uuid:uuid>/participants",
        meeting_views.MeetingParticipantsView.as_view(),
        name="api-meeting-participants",
    ),
    path(
        "meetings/<uuid:uuid>/cancellation",
        meeting_views.MeetingCancellationView.as_view(),
        name="api-meeting-cancellation",
    ),
    path("agreements", meeting_views.AgreementCollectionView.as_view(), name="api-agreement-list"),
    path(
        "agreements/<uuid:uuid>/closure",
        meeting_views.AgreementClosureView.as_view(),
        name="api-agreement-closure",
    ),
]
