"""Routes for signals, intake and triage, referrals, new clients and the involvement lookup."""

from django.urls import path

from .views import intake, lookup, referrals, signals

urlpatterns: list = [
    path("meldingen/", signals.signal_list, name="signal-list"),
    path("meldingen/nieuw/", signals.signal_create, name="signal-create"),
    path("meldingen/<uuid:uuid>/", signals.signal_detail, name="signal-detail"),
    path("meldingen/<uuid:uuid>/triage/", signals.signal_triage, name="signal-triage"),
    path("meldingen/<uuid:uuid>/geinformeerd/", signals.signal_informed, name="signal-informed"),
    path("clienten/nieuw/", intake.client_create, name="client-create"),
    path("casussen/<uuid:uuid>/intake/", intake.intake, name="intake"),
    path("casussen/<uuid:uuid>/triage/", intake.triage, name="triage"),
    path("casussen/<uuid:uuid>/verwijzingen/nieuw/", referrals.referral_create, name="referral-create"),
    path("verwijzingen/<uuid:uuid>/status/", referrals.referral_transition, name="referral-transition"),
    path("betrokkenheid/", lookup.lookup, name="lookup"),
]
