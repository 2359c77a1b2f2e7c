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
]
