from django.urls import path

from training import api

urlpatterns = [
    path("trainings/", api.ProgramListCreate.as_view(), name="api-training-list"),
    path("trainings/<int:pk>/", api.ProgramDetail.as_view(), name="api-training-detail"),
    path("trainings/<int:pk>/enrollments/", api.EnrollmentList.as_view(), name="api-training-enrollments"),
    path("trainings/<int:pk>/follow-ups/", api.FollowUpList.as_view(), name="api-training-follow-ups"),
]
