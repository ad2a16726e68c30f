"""Pages after the certificate: the owner's yearly composition confirmation and the task force's list of them."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST

from certification import selectors
from certification.aftercare import selectors as aftercare_selectors
from certification.aftercare import services as confirmation_services
from certification.forms import CompositionFilterForm
from certification.models import CompositionCheck
from core.access import roles
from core.access.decorators import role_required
from core.errors import DomainError
from core.files.exports import csv_response
from core.web.pagination import CachedCountPaginator


@require_POST
@role_required(roles.OWNER)
def composition_confirm(request: HttpRequest, pk: int) -> HttpResponse:
    """One tap: nothing changed (or something did, and the owner goes on to file the change)."""
    get_object_or_404(CompositionCheck, pk=pk, certificate__application__business__owner=request.user)
    answer = request.POST.get("answer", "")
    try:
        check = confirmation_services.composition_confirm(actor=request.user, check_id=pk, answer=answer)
    except DomainError as error:
        messages.error(request, str(error))
        return redirect("certification:my-applications")
    if check.answer == CompositionCheck.Answer.CHANGED:
        messages.info(
            request,
            _(
                "Thank you. File the change as a product development of certificate %(number)s: choose the new or "
                "changed products below, so that the office can check the change."
            )
            % {"number": check.certificate.number},
        )
        business_id, certificate_id = check.certificate.application.business_id, check.certificate_id
        return redirect(f"{reverse('certification:apply')}?business={business_id}&develop={certificate_id}")
    messages.success(
        request,
        _("Thank you: you confirmed that nothing changed for certificate %(number)s.")
        % {"number": check.certificate.number},
    )
    return redirect("certification:my-applications")


COMPOSITION_STATUS_LABELS = {
    "confirmed": gettext_lazy("Confirmed: nothing changed"),
    "changed": gettext_lazy("Changed: product development to file"),
    "waiting": gettext_lazy("Waiting for the owner"),
    "overdue": gettext_lazy("Overdue: monitoring visit"),
}


@role_required(*roles.STAFF_ROLES)
def composition_checks(request: HttpRequest) -> HttpResponse:
    """The task force's list: who confirmed, who has not, who is overdue (with a CSV export)."""
    filters = CompositionFilterForm(request.GET or None, user=request.user, statuses=COMPOSITION_STATUS_LABELS)
    valid = filters.is_valid()
    status = filters.cleaned_data.get("status", "") if valid else ""
    region = filters.cleaned_data.get("region", "") if valid else ""
    today = selectors.cal.today()
    queryset = aftercare_selectors.composition_checks_for(request.user, status=status, region_code=region, today=today)
    if request.GET.get("format") == "csv":
        return _composition_csv(queryset, today)
    page = CachedCountPaginator(queryset, 50).get_page(request.GET.get("page"))
    rows = []
    for check in page.object_list:
        state = aftercare_selectors.composition_check_status(check, today)
        rows.append({"check": check, "status": state, "label": COMPOSITION_STATUS_LABELS[state]})
    return render(
        request,
        "certification/composition_checks.html",
        {
            "page": page,
            "rows": rows,
            "filters": filters,
            "query": request.GET.urlencode(),
            "paging": _without_page(request),
        },
    )


def _without_page(request: HttpRequest) -> str:
    query = request.GET.copy()
    query.pop("page", None)
    return query.urlencode()


def _composition_csv(queryset: Any, today: Any) -> Any:
    def rows() -> Any:
        for c in queryset.iterator(chunk_size=2000):
            status = aftercare_selectors.composition_check_status(c, today)
            answered = timezone.localtime(c.answered_at).strftime("%d-%m-%Y %H:%M") if c.answered_at else ""
            yield [
                c.certificate.number,
                c.certificate.business_name,
                c.certificate.region_name,
                c.anniversary.strftime("%d-%m-%Y"),
                str(COMPOSITION_STATUS_LABELS[status]),
                answered,
            ]

    header = [_("Certificate"), _("Business"), _("Regency / city"), _("Anniversary"), _("Status"), _("Answered at")]
    return csv_response("konfirmasi-komposisi.csv", header, rows())
