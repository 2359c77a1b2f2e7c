"""Routes of the case-file API under /api/v1/: plural nouns, kebab-case, no trailing slashes, UUIDs."""

from django.urls import path

from . import views

urlpatterns = [
    path("clients", views.ClientCollectionView.as_view(), name="api-client-list"),
    path("clients/search", views.ClientSearchView.as_view(), name="api-client-search"),
    path("clients/<uuid:uuid>", views.ClientDetailView.as_view(), name="api-client-detail"),
    path("households", views.HouseholdCollectionView.as_view(), name="api-household-list"),
    path("households/<uuid:uuid>", views.HouseholdDetailView.as_view(), name="api-household-detail"),
    path("households/<uuid:uuid>/members", views.HouseholdMembersView.as_view(), name="api-household-members"),
    path("cases", views.CaseCollectionView.as_view(), name="api-case-list"),
    path("cases/<uuid:uuid>", views.CaseDetailView.as_view(), name="api-case-detail"),
    path("cases/<uuid:uuid>/status", views.CaseStatusView.as_view(), name="api-case-status"),
    path("cases/<uuid:uuid>/members", views.CaseMembersView.as_view(), name="api-case-members"),
    path("cases/<uuid:uuid>/assessments", views.CaseAssessmentsView.as_view(), name="api-case-assessments"),
    path("cases/<uuid:uuid>/contacts", views.CaseContactsView.as_view(), name="api-case-contacts"),
    path("signals", views.SignalCollectionView.as_view(), name="api-signal-list"),
    path("signals/<uuid:uuid>", views.SignalDetailView.as_view(), name="api-signal-detail"),
    path("signals/<uuid:uuid>/triage", views.SignalTriageView.as_view(), name="api-signal-triage"),
]
