"""Routes for signals, intake and triage, referrals, new clients and the involvement lookup."""

urlpatterns: list = []
