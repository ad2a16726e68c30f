"""Staff dashboard, chart SVGs, policy simulation, monthly reports, and the market-access gaps (products without a
permit)."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.core.paginator import Paginator
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from applicants.selectors import jurisdiction_of, jurisdiction_regions
from certification.catalogue import selectors as market_selectors
from core.access.decorators import staff_required
from core.errors import DomainError
from core.files.exports import XLSX_TYPE
from core.notifications.selectors import failed_deliveries_count
from reports import selectors as s
from reports.exports.services import export_job_start, export_jobs_for
from reports.figures import (
    BUILDERS,
    CHART_NAMES,
    Figure,
    cached_compositions,
    cached_figures,
    cached_svg,
    histogram_chart,
)
from reports.forms import DashboardFilterForm, ReportRequestForm, SimulationForm
from reports.models import ExportJob, MonthlyReport
from reports.services import PENDING, monthly_report_request
from training.facilitation.selectors import facilitation_outcomes

SVG_CSP = "default-src 'none'; style-src 'unsafe-inline'; img-src data:"


def _period(form: DashboardFilterForm) -> s.Period:
    data = form.cleaned_data
    return s.Period(start=data["start"], end=data["end"], region=data.get("region"))


def _reports(request: HttpRequest) -> Any:
    """Monthly reports of the user's jurisdiction (all when national); anything else answers 404."""
    queryset = MonthlyReport.objects.select_related("region")
    if jurisdiction_of(request.user) is not None:
        queryset = queryset.filter(region__in=jurisdiction_regions(request.user))
    return queryset


@staff_required
@require_GET
def dashboard(request: HttpRequest) -> HttpResponse:
    form = DashboardFilterForm(request.GET, user=request.user)
    context: dict[str, Any] = {"form": form, "report_form": ReportRequestForm(user=request.user), "figures": []}
    status = 200
    if form.is_valid():
        period = _period(form)
        context["figures"] = cached_figures(CHART_NAMES, period, form.cleaned_data["schedule"])
        context["facilitation"] = facilitation_outcomes(start=period.start, end=period.end, region=period.region)
        context["compositions"] = cached_compositions(period)
        context["query"] = request.GET.urlencode()
    else:
        status = 400
    context["reports"] = _reports(request)[:5]
    context["failed_deliveries"] = failed_deliveries_count()
    return render(request, "reports/index.html", context, status=status)


@staff_required
@require_GET
def chart_svg(request: HttpRequest, name: str) -> HttpResponse:
    """One chart as an SVG image (used in <img>: its inline style is governed by this response, not the page)."""
    if name not in BUILDERS:
        raise Http404
    form = DashboardFilterForm(request.GET, user=request.user)
    if not form.is_valid():
        return HttpResponse(status=400)
    svg = cached_svg(name, _period(form), form.cleaned_data["schedule"])
    response = HttpResponse(svg, content_type="image/svg+xml; charset=utf-8")
    response["Cache-Control"] = "private, max-age=60"
    # The SVG document's own policy: its inline <style> only, nothing else (no script, no external resource).
    # django-csp leaves a header that is already set alone; redirects and errors keep the strict site policy.
    response["Content-Security-Policy"] = SVG_CSP
    return response


@staff_required
@require_GET
def simulation(request: HttpRequest) -> HttpResponse:
    form = SimulationForm(request.GET or None, user=request.user)
    results: list[dict[str, Any]] = []
    status = 200
    if request.GET and form.is_valid():
        chosen = list(form.cleaned_data["schedules"])
        try:
            outcome = s.fee_ratio_distribution(
                chosen, region=form.cleaned_data.get("region"), threshold=form.cleaned_data["threshold"]
            )
        except DomainError as error:
            form.add_error(None, str(error.message))
            status = 400
        else:
            for schedule, result in zip(chosen, outcome, strict=True):
                chart = histogram_chart(result, _("R under %(schedule)s") % {"schedule": schedule.name})
                figure = Figure(f"simulation-{schedule.pk}", chart, {})
                results.append({"schedule": schedule, "result": result, "figure": figure, "src": chart.data_uri()})
    elif request.GET:
        status = 400
    return render(request, "reports/simulation.html", {"form": form, "results": results}, status=status)


@staff_required
@require_POST
def report_request(request: HttpRequest) -> HttpResponse:
    form = ReportRequestForm(request.POST, user=request.user)
    if not form.is_valid():
        reports = _reports(request)[:20]
        return render(request, "reports/reports.html", {"form": form, "reports": reports}, status=400)
    report = monthly_report_request(
        month=form.cleaned_data["month"], region=form.cleaned_data.get("region"), actor=request.user
    )
    messages.success(request, _("The report is being prepared."))
    return redirect("dashboard:report", report.pk)


@staff_required
@require_GET
def report_list(request: HttpRequest) -> HttpResponse:
    reports = _reports(request)[:20]
    return render(request, "reports/reports.html", {"form": ReportRequestForm(user=request.user), "reports": reports})


@staff_required
@require_GET
def report_detail(request: HttpRequest, pk: int) -> HttpResponse:
    report = get_object_or_404(_reports(request), pk=pk)
    return render(request, "reports/report_detail.html", {"report": report, "pending": report.status in PENDING})


@staff_required
@require_GET
def report_download(request: HttpRequest, pk: int) -> FileResponse:
    report = get_object_or_404(_reports(request), pk=pk, status=MonthlyReport.Status.DONE)
    if not report.file:
        raise Http404
    return FileResponse(report.file.open("rb"), as_attachment=True, filename=report.file.name.rsplit("/", 1)[-1])


@staff_required
@require_http_methods(["GET", "POST"])
def export_job_new(request: HttpRequest) -> HttpResponse:
    """GET: what will be exported and a button (no side effect); POST: queue the job and show its page."""
    source = request.POST if request.method == "POST" else request.GET
    path, query = source.get("path", "")[:200], source.get("query", "")[:2000]
    if request.method == "POST":
        try:
            job = export_job_start(user=request.user, path=path, query=query)
        except DomainError as error:
            messages.error(request, str(error.message))
        else:
            return redirect("dashboard:export-job", job.pk)
    jobs = export_jobs_for(request.user)[:5]
    return render(request, "reports/export_job_new.html", {"path": path, "query": query, "jobs": jobs})


@staff_required
@require_GET
def export_job_detail(request: HttpRequest, pk: int) -> HttpResponse:
    job = get_object_or_404(export_jobs_for(request.user), pk=pk)
    pending = job.status in (ExportJob.Status.QUEUED, ExportJob.Status.RUNNING)
    return render(request, "reports/export_job.html", {"job": job, "pending": pending})


@staff_required
@require_GET
def export_job_download(request: HttpRequest, pk: int) -> FileResponse:
    job = get_object_or_404(export_jobs_for(request.user), pk=pk, status=ExportJob.Status.DONE)
    if not job.file:
        raise Http404
    response = FileResponse(
        job.file.open("rb"), as_attachment=True, filename=job.path.rsplit("/", 1)[-1], content_type=XLSX_TYPE
    )
    response["Cache-Control"] = "private, no-store"
    return response


# --- Market access: certified products without a distribution permit, by regency ---
PERMIT_GAPS_PAGE_SIZE = 50


@staff_required
@require_GET
def permit_gaps(request: HttpRequest) -> HttpResponse:
    region = (request.GET.get("region") or "").strip()[:4]
    region = region if region.isdigit() else ""
    queryset = market_selectors.certified_products_without_permit(region_code=region, user=request.user)
    page = Paginator(queryset, PERMIT_GAPS_PAGE_SIZE).get_page(request.GET.get("page"))
    context = {"regencies": market_selectors.permit_gaps_by_regency(request.user), "page": page, "region": region}
    return render(request, "reports/permit_gaps.html", context)
