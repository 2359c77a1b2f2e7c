from django.urls import path

from . import views

app_name = "accounts"

urlpatterns = [
    path("inloggen/", views.LoginView.as_view(), name="login"),
    path("uitloggen/", views.LogoutView.as_view(), name="logout"),
    path("berichten/", views.inbox, name="inbox"),
    path("berichten/<uuid:uuid>/gelezen/", views.notification_read, name="notification-read"),
    path("berichten/<uuid:uuid>/afgehandeld/", views.notification_done, name="notification-done"),
    path("berichten/<uuid:uuid>/heropenen/", views.notification_reopen, name="notification-reopen"),
    path("berichten/<uuid:uuid>/uitstellen/", views.notification_snooze, name="notification-snooze"),
    path("rollen/", views.role_requests, name="role-requests"),
    path("rollen/<uuid:uuid>/besluiten/", views.role_request_decide, name="role-request-decide"),
    path("rollen/<uuid:uuid>/intrekken/", views.role_request_withdraw, name="role-request-withdraw"),
    path("rollen/teamrollen/", views.team_roles, name="team-roles"),
    path("rollen/teamrollen/<uuid:uuid>/beeindigen/", views.membership_end, name="membership-end"),
    path("api-sleutels/", views.api_tokens, name="api-tokens"),
    path("api-sleutels/alle/", views.api_tokens_all, name="api-tokens-all"),
    path("api-sleutels/<uuid:uuid>/intrekken/", views.api_token_revoke, name="api-token-revoke"),
]
