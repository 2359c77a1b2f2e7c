from django.urls import path

from . import views

app_name = "consent"

urlpatterns = [
    path("", views.index, name="index"),
    path("toegangslog/", views.access_log_search, name="access-log"),
    path("doorbraken/", views.break_glass_list, name="break-glass-list"),
    path("doorbraken/<uuid:uuid>/", views.break_glass_review, name="break-glass-review"),
    path("doorbraken/<uuid:uuid>/beeindigen/", views.break_glass_end, name="break-glass-end"),
    path("toestemmingen/", views.consent_register, name="consent-register"),
    path("verstrekkingen/", views.disclosure_register, name="disclosure-register"),
    path("geweigerde-toegang/", views.denied_report, name="denied-report"),
    path("inzage/", views.subject_access_search, name="subject-access"),
    path("inzage/<uuid:uuid>/", views.subject_access_client, name="subject-access-client"),
    path("inzage/<uuid:uuid>/export.json", views.subject_access_json, name="subject-access-json"),
    path("inzage/<uuid:uuid>/export.pdf", views.subject_access_pdf, name="subject-access-pdf"),
    path("inzage/<uuid:uuid>/correctieverzoek/", views.correction_record, name="correction-record"),
    path("correctieverzoeken/<uuid:uuid>/afhandelen/", views.correction_handle, name="correction-handle"),
    path("bewaarplicht/", views.legal_holds, name="legal-holds"),
    path("bewaarplicht/<uuid:uuid>/opheffen/", views.legal_hold_lift, name="legal-hold-lift"),
    path("rolwijzigingen/", views.role_changes, name="role-changes"),
]
