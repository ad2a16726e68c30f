"""The regular pathway's fee, quoted once and kept on the application (the invoice), line by line.

The quote is the charged schedule's (settings.CHARGED_FEE_SCHEDULE) for the business's latest figures, a renewal
when the application renews a certificate, and the categories of the application's products. The components and
the explanation (in every language of the site) are stored with it, so the invoice never changes afterwards.
"""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal

from django.conf import settings
from django.utils import translation
from django.utils.translation import gettext as _

from applicants.selectors import latest_figures
from certification.models import Application
from core.errors import DomainError
from fees.models import COMPONENT_LABELS
from fees.selectors import schedule_versions
from fees.services import Quote, fee_quote


def fee_snapshot_take(*, application: Application, year: int) -> list[str]:
    """Quote the charged schedule for the business's latest figures; returns the fields it set."""
    figures = latest_figures(application.business_id)
    if figures is None:
        raise DomainError(_("The business has filed no annual figures, so no fee can be quoted."))
    renewal = application.previous_certificate_id is not None
    categories = sorted(set(application.products.values_list("category", flat=True)))
    quotes: dict[str, Quote] = {}
    for language, _name in settings.LANGUAGES:  # the same quote, explained in each language
        with translation.override(language):
            quotes[language] = fee_quote(
                annual_sales=figures.annual_sales,
                operating_expenses=figures.operating_expenses,
                schedule_slug=settings.CHARGED_FEE_SCHEDULE,
                pathway="regular",
                renewal=renewal,
                categories=categories,
            )
    quote = quotes.get(settings.LANGUAGE_CODE) or next(iter(quotes.values()))  # the same figures in every language
    application.fee_schedule_slug = quote.schedule_slug
    application.fee_schedule_version = quote.schedule_version
    application.fee_tier_code = quote.tier_code
    application.fee_amount = int(quote.fee)
    application.fee_ratio_percent = quote.ratio_percent
    application.fee_components = dict(quote.components)
    application.fee_explanation = {language: list(q.explanation) for language, q in quotes.items()}
    application.invoice_reference = f"INV-{year}-{application.pk:07d}"
    return [
        "fee_schedule_slug",
        "fee_schedule_version",
        "fee_tier_code",
        "fee_amount",
        "fee_ratio_percent",
        "fee_components",
        "fee_explanation",
        "invoice_reference",
    ]


@dataclass(frozen=True)
class InvoiceLine:
    code: str
    label: str
    amount: int


@dataclass(frozen=True)
class Invoice:
    """What the invoice include shows (certification/_invoice.html)."""

    reference: str
    total: int
    lines: list[InvoiceLine]
    explanation: list[str]
    schedule_name: str
    schedule_slug: str
    schedule_version: int | None
    tier_code: str
    ratio_percent: Decimal | None
    source: str


def invoice_of(application: Application) -> Invoice | None:
    """The application's invoice in the active language, or None before one was taken (no query: the schedule's
    name and source come from the fee app's cached snapshot)."""
    if not application.invoice_reference:
        return None
    components = application.fee_components or {}
    # Known components in the order the quote explains them; others (an admin's own) after them.
    order = list(COMPONENT_LABELS)
    codes = sorted(components, key=lambda code: order.index(code) if code in order else len(order))
    lines = [InvoiceLine(code, _(COMPONENT_LABELS.get(code, code)), int(components[code])) for code in codes]
    explanations = application.fee_explanation or {}
    explanation = explanations.get(translation.get_language() or "") or explanations.get(settings.LANGUAGE_CODE, [])
    schedule = next(
        (s for s in schedule_versions(application.fee_schedule_slug) if s.version == application.fee_schedule_version),
        None,
    )
    return Invoice(
        reference=application.invoice_reference,
        total=int(application.fee_amount or 0),
        lines=lines,
        explanation=list(explanation),
        schedule_name=schedule.name if schedule else application.fee_schedule_slug,
        schedule_slug=application.fee_schedule_slug,
        schedule_version=application.fee_schedule_version,
        tier_code=application.fee_tier_code,
        ratio_percent=application.fee_ratio_percent,
        source=schedule.source if schedule else "",
    )
