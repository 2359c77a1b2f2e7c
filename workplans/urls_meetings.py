from django.urls import path

from . import meeting_views as views

urlpatterns = [
    path("overleggen/", views.meeting_list, name="meetings"),
    path("overleggen/nieuw/", views.meeting_create, name="meeting-create"),
    path("overleggen/<uuid:uuid>/", views.meeting_detail, name="meeting"),
    path("overleggen/<uuid:uuid>/wijzigen/", views.meeting_edit, name="meeting-edit"),
    path("overleggen/<uuid:uuid>/agenda/", views.agenda_add, name="agenda-add"),
    path("overleggen/<uuid:uuid>/agenda/<uuid:item_uuid>/verwijderen/", views.agenda_remove, name="agenda-remove"),
    path("overleggen/<uuid:uuid>/deelnemers/", views.participant_add, name="participant-add"),
    path("overleggen/<uuid:uuid>/actie/<str:action>/", views.meeting_action, name="meeting-action"),
    path("overleggen/<uuid:uuid>/notulen/", views.minutes_mode, name="minutes"),
    path("overleggen/<uuid:uuid>/notulen/<uuid:item_uuid>/", views.minutes_save, name="minutes-save"),
    path("overleggen/<uuid:uuid>/notulen/<uuid:item_uuid>/afspraken/", views.agreement_add, name="agreement-add"),
    path("overleggen/<uuid:uuid>/aanwezigheid/<uuid:participant_uuid>/", views.attendance_save, name="attendance-save"),
    path(
        "overleggen/<uuid:uuid>/notulen.pdf/<uuid:participant_uuid>/",
        views.minutes_for_participant,
        name="minutes-pdf",
    ),
    path("overleggen/<uuid:uuid>/notulen-versturen/", views.minutes_distribute, name="minutes-distribute"),
    path("afspraken/<uuid:agreement_uuid>/afsluiten/", views.agreement_close, name="agreement-close"),
]
