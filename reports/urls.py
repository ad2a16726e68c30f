from django.urls import path

from reports import export_views, market_views, views

app_name = "dashboard"

urlpatterns = [
    path("staff/dashboard/", views.dashboard, name="index"),
    path("staff/dashboard/charts/<slug:name>.svg", views.chart_svg, name="chart"),
    path("staff/permit-gaps/", market_views.permit_gaps, name="permit-gaps"),
    path("staff/simulation/", views.simulation, name="simulation"),
    path("staff/reports/", views.report_list, name="reports"),
    path("staff/reports/request/", views.report_request, name="report-request"),
    path("staff/reports/<int:pk>/", views.report_detail, name="report"),
    path("staff/reports/<int:pk>/download/", views.report_download, name="report-download"),
    path("staff/exports/applications.<str:fmt>", export_views.applications, name="export-applications"),
    path("staff/exports/programs.<str:fmt>", export_views.programs, name="export-programs"),
    path("staff/exports/certificates.<str:fmt>", export_views.certificates, name="export-certificates"),
    path("staff/exports/follow-ups.<str:fmt>", export_views.follow_ups, name="export-follow-ups"),
]
