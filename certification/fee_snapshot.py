"""The regular pathway's fee, quoted once at verification and kept on the application (the invoice)."""

from __future__ import annotations

from django.conf import settings
from django.utils.translation import gettext as _

from applicants.selectors import latest_figures
from certification.models import Application
from core.errors import DomainError
from fees.services import fee_quote


def fee_snapshot_take(*, application: Application, year: int) -> list[str]:
    """Quote the charged schedule for the business's latest figures; returns the fields it set."""
    figures = latest_figures(application.business_id)
    if figures is None:
        raise DomainError(_("The business has filed no annual figures, so no fee can be quoted."))
    quote = fee_quote(
        annual_sales=figures.annual_sales,
        operating_expenses=figures.operating_expenses,
        schedule_slug=settings.CHARGED_FEE_SCHEDULE,
        pathway="regular",
    )
    application.fee_schedule_slug = quote.schedule_slug
    application.fee_schedule_version = quote.schedule_version
    application.fee_tier_code = quote.tier_code
    application.fee_amount = int(quote.fee)
    application.fee_ratio_percent = quote.ratio_percent
    application.invoice_reference = f"INV-{year}-{application.pk:07d}"
    return [
        "fee_schedule_slug",
        "fee_schedule_version",
        "fee_tier_code",
        "fee_amount",
        "fee_ratio_percent",
        "invoice_reference",
    ]
