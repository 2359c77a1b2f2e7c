from django.urls import include, path

from . import views

app_name = "workplans"

urlpatterns = [
    path("casussen/<uuid:uuid>/werkplan/", views.plan_detail, name="plan"),
    path("casussen/<uuid:uuid>/werkplan/starten/", views.plan_create, name="plan-create"),
    path("casussen/<uuid:uuid>/werkplan/tekst/", views.plan_update, name="plan-update"),
    path("casussen/<uuid:uuid>/werkplan/analyse/", views.analysis_add, name="analysis-add"),
    path("casussen/<uuid:uuid>/werkplan/doelen/", views.goal_add, name="goal-add"),
    path("casussen/<uuid:uuid>/werkplan/doelen/<uuid:goal_uuid>/", views.goal_edit, name="goal-edit"),
    path("casussen/<uuid:uuid>/werkplan/doelen/<uuid:goal_uuid>/voortgang/", views.review_add, name="review-add"),
    path("casussen/<uuid:uuid>/werkplan/doelen/<uuid:goal_uuid>/acties/", views.action_add, name="action-add"),
    path("casussen/<uuid:uuid>/werkplan/acties/<uuid:action_uuid>/status/", views.action_status, name="action-status"),
    path("casussen/<uuid:uuid>/werkplan/taken/<str:duty>/", views.duty_record, name="duty-record"),
    path("casussen/<uuid:uuid>/werkplan/belemmeringen/", views.obstacle_add, name="obstacle-add"),
    path(
        "casussen/<uuid:uuid>/werkplan/belemmeringen/<uuid:obstacle_uuid>/opgelost/",
        views.obstacle_resolve,
        name="obstacle-resolve",
    ),
    path("casussen/<uuid:uuid>/werkplan/betrokkenheid/", views.involvement_add, name="involvement-add"),
    path("casussen/<uuid:uuid>/werkplan/vaststellen/", views.plan_adopt, name="plan-adopt"),
    path("casussen/<uuid:uuid>/werkplan/versies/", views.version_diff, name="version-diff"),
    path("casussen/<uuid:uuid>/werkplan/clientversie.pdf", views.client_version, name="client-version"),
    path("goedkeuringen/", views.approvals, name="approvals"),
    path("goedkeuringen/<uuid:request_uuid>/besluit/", views.approval_decide, name="approval-decide"),
    path("", include("workplans.urls_meetings")),
]
