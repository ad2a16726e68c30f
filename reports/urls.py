from django.urls import path

from reports import views
from reports.exports import views as export_views

app_name = "dashboard"

urlpatterns = [
    path("staff/dashboard/", views.dashboard, name="index"),
    path("staff/dashboard/charts/<slug:name>.svg", views.chart_svg, name="chart"),
    path("staff/permit-gaps/", views.permit_gaps, name="permit-gaps"),
    path("staff/simulation/", views.simulation, name="simulation"),
    path("staff/reports/", views.report_list, name="reports"),
    path("staff/reports/request/", views.report_request, name="report-request"),
    path("staff/reports/<int:pk>/", views.report_detail, name="report"),
    path("staff/reports/<int:pk>/download/", views.report_download, name="report-download"),
    path("staff/exports/jobs/new/", views.export_job_new, name="export-job-new"),
    path("staff/exports/jobs/<int:pk>/", views.export_job_detail, name="export-job"),
    path("staff/exports/jobs/<int:pk>/download/", views.export_job_download, name="export-job-download"),
    path("staff/exports/applications.<str:fmt>", export_views.applications, name="export-applications"),
    path("staff/exports/programs.<str:fmt>", export_views.programs, name="export-programs"),
    path("staff/exports/certificates.<str:fmt>", export_views.certificates, name="export-certificates"),
    path("staff/exports/follow-ups.<str:fmt>", export_views.follow_ups, name="export-follow-ups"),
]
