"""`{% invoice application as invoice %}`: the invoice of an application, line by line (certification/_invoice.html)."""

from __future__ import annotations

from django import template

from certification.fee_snapshot import Invoice, invoice_of
from certification.models import Application

register = template.Library()


@register.simple_tag
def invoice(application: Application) -> Invoice | None:
    return invoice_of(application)
