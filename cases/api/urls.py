"""Routes of the case-file API under /api/v1/: plural nouns, kebab-case, no trailing slashes, UUIDs."""

from django.urls import path

from .views import cases, clients, households, signals

urlpatterns = [
    path("clients", clients.ClientCollectionView.as_view(), name="api-client-list"),
    path("clients/search", clients.ClientSearchView.as_view(), name="api-client-search"),
    path("clients/<uuid:uuid>", clients.ClientDetailView.as_view(), name="api-client-detail"),
    path("households", households.HouseholdCollectionView.as_view(), name="api-household-list"),
    path("households/<uuid:uuid>", households.HouseholdDetailView.as_view(), name="api-household-detail"),
    path("households/<uuid:uuid>/members", households.HouseholdMembersView.as_view(), name="api-household-members"),
    path("cases", cases.CaseCollectionView.as_view(), name="api-case-list"),
    path("cases/<uuid:uuid>", cases.CaseDetailView.as_view(), name="api-case-detail"),
    path("cases/<uuid:uuid>/status", cases.CaseStatusView.as_view(), name="api-case-status"),
    path("cases/<uuid:uuid>/members", cases.CaseMembersView.as_view(), name="api-case-members"),
    path("cases/<uuid:uuid>/assessments", cases.CaseAssessmentsView.as_view(), name="api-case-assessments"),
    path("cases/<uuid:uuid>/contacts", cases.CaseContactsView.as_view(), name="api-case-contacts"),
    path("signals", signals.SignalCollectionView.as_view(), name="api-signal-list"),
    path("signals/<uuid:uuid>", signals.SignalDetailView.as_view(), name="api-signal-detail"),
    path("signals/<uuid:uuid>/triage", signals.SignalTriageView.as_view(), name="api-signal-triage"),
]
