from django.urls import path

from . import views

app_name = "reports"

urlpatterns = [
    path("rapportages/", views.report_list, name="list"),
    path("rapportages/belemmeringen/", views.obstacle_review, name="obstacles"),
    path("rapportages/belemmeringen/<uuid:uuid>/publicatie/", views.obstacle_publication, name="obstacle-publication"),
    path("rapportages/<uuid:uuid>/", views.report_detail, name="detail"),
    path("rapportages/<uuid:uuid>/pdf/", views.report_pdf, name="pdf"),
    path("rapportages/<uuid:uuid>/csv/", views.report_csv_download, name="csv"),
    path("teamdashboard/", views.dashboard, name="dashboard"),
]
