from django.urls import path

from . import views

app_name = "accounts"

urlpatterns = [
    path("inloggen/", views.LoginView.as_view(), name="login"),
    path("uitloggen/", views.LogoutView.as_view(), name="logout"),
    path("berichten/", views.inbox, name="inbox"),
    path("berichten/<uuid:uuid>/gelezen/", views.notification_read, name="notification-read"),
]
