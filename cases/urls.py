from django.urls import path

from . import views

urlpatterns = [
    path("", views.werkvoorraad, name="werkvoorraad"),
]
