from django.urls import include, path

from .views import casefile, clients, consents, handovers

app_name = "cases"

urlpatterns = [
    path("casussen/<uuid:uuid>/", casefile.case_detail, name="case-detail"),
    path("casussen/<uuid:uuid>/gegevens/", casefile.case_update_details, name="case-update"),
    path("casussen/<uuid:uuid>/status/", casefile.case_transition, name="case-transition"),
    path("casussen/<uuid:uuid>/zrm/", casefile.case_zrm, name="case-zrm"),
    path("casussen/<uuid:uuid>/contactmomenten/", casefile.case_contacts_view, name="case-contacts"),
    path("casussen/<uuid:uuid>/team/", casefile.case_team, name="case-team"),
    path("casussen/<uuid:uuid>/team/toevoegen/", casefile.case_member_add, name="case-member-add"),
    path("casussen/<uuid:uuid>/team/<uuid:member_uuid>/beeindigen/", casefile.case_member_end, name="case-member-end"),
    path("casussen/<uuid:uuid>/regievoerder/", casefile.case_set_coordinator, name="case-coordinator"),
    path("casussen/<uuid:uuid>/logboek/", casefile.case_log, name="case-log"),
    path("casussen/<uuid:uuid>/toestemming/", consents.case_consents, name="case-consents"),
    path("casussen/<uuid:uuid>/toestemming/vastleggen/", consents.case_consent_record, name="case-consent-record"),
    path(
        "casussen/<uuid:uuid>/toestemming/<uuid:consent_uuid>/intrekken/",
        consents.case_consent_withdraw,
        name="case-consent-withdraw",
    ),
    path("casussen/<uuid:uuid>/doorbreken/", consents.case_break_glass, name="case-break-glass"),
    path("casussen/<uuid:uuid>/overdracht/", handovers.case_handover, name="case-handover"),
    path("overdrachten/", handovers.handover_list, name="handovers"),
    path("overdrachten/werkvoorraad/", handovers.caseload_handover, name="caseload-handover"),
    path("overdrachten/uit-dienst/", handovers.staff_deactivate, name="staff-deactivate"),
    path("overdrachten/<uuid:uuid>/", handovers.handover_detail, name="handover-detail"),
    path("overdrachten/<uuid:uuid>/accepteren/", handovers.handover_accept, name="handover-accept"),
    path("overdrachten/<uuid:uuid>/teruggeven/", handovers.handover_return, name="handover-return"),
    path("overdrachten/<uuid:uuid>/intrekken/", handovers.handover_cancel, name="handover-cancel"),
    path("clienten/<uuid:uuid>/", clients.client_detail, name="client-detail"),
    path("", include("cases.urls_intake")),
]
