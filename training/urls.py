"""training's addresses: programme and facilitation pages (namespace `training`) and the API (`api_urlpatterns`)."""

from django.urls import URLPattern, URLResolver, path

from training import api
from training.facilitation import api as facilitation_api
from training.facilitation import views as facilitation_views
from training.views import owner
from training.views import staff as views

app_name = "training"

urlpatterns = [
    path("trainings/", views.program_list, name="program-list"),
    path("trainings/new/", views.program_edit, name="program-create"),
    path("trainings/overdue/", views.overdue, name="overdue"),
    path("trainings/open/", owner.open_list, name="open-list"),
    path("trainings/overdue/participants/", views.participants_lacking, name="participants-lacking"),
    path("trainings/overdue/participants.csv", views.participants_lacking_csv, name="participants-lacking-csv"),
    path("trainings/<int:pk>/join/", owner.program_join, name="program-join"),
    path("trainings/<int:pk>/leave/", owner.program_leave, name="program-leave"),
    path(
        "trainings/requests/<int:pk>/approve/",
        views.join_request_decide,
        {"decision": "approve"},
        name="join-request-approve",
    ),
    path(
        "trainings/requests/<int:pk>/decline/",
        views.join_request_decide,
        {"decision": "decline"},
        name="join-request-decline",
    ),
    path("trainings/<int:pk>/", views.program_detail, name="program-detail"),
    path("trainings/<int:pk>/edit/", views.program_edit, name="program-edit"),
    path("trainings/<int:pk>/enroll/", views.program_enroll, name="program-enroll"),
    path("trainings/<int:pk>/attendance/", views.attendance_sheet, name="attendance"),
    path("trainings/<int:pk>/messages/", views.program_message, name="program-message"),
    path("trainings/<int:pk>/messages/<int:message_pk>/file/", views.program_message_file, name="program-message-file"),
    path(
        "trainings/<int:pk>/participants/<int:enrollment_pk>/follow-ups/new/",
        views.follow_up_plan,
        name="follow-up-plan",
    ),
    path("trainings/follow-ups/<int:pk>/record/", views.follow_up_record, name="follow-up-record"),
    path("trainings/follow-ups/<int:pk>/evidence/", views.follow_up_evidence, name="follow-up-evidence"),
    path("my/trainings/", owner.my_trainings, name="my-trainings"),
    path("facilitation/", facilitation_views.facilitation_list, name="facilitation-list"),
    path("facilitation/new/", facilitation_views.facilitation_new, name="facilitation-new"),
    path("facilitation/<int:pk>/", facilitation_views.facilitation_detail, name="facilitation-detail"),
    path("facilitation/<int:pk>/act/", facilitation_views.facilitation_act, name="facilitation-act"),
]


# Under /api/v1/ (halalmsi/urls.py), without the namespace.
api_urlpatterns: list[URLPattern | URLResolver] = [
    path("trainings/", api.ProgramListCreate.as_view(), name="api-training-list"),
    path("trainings/<int:pk>/", api.ProgramDetail.as_view(), name="api-training-detail"),
    path("trainings/<int:pk>/enrollments/", api.EnrollmentList.as_view(), name="api-training-enrollments"),
    path("trainings/<int:pk>/follow-ups/", api.FollowUpList.as_view(), name="api-training-follow-ups"),
    path("facilitations/", facilitation_api.FacilitationListCreate.as_view(), name="api-facilitations"),
    path("facilitations/<int:pk>/", facilitation_api.FacilitationDetail.as_view(), name="api-facilitation"),
]
