from __future__ import annotations

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.views.decorators.http import require_GET

from core.calendar.days import today as jakarta_today
from core.errors import DomainError
from fees.forms import CalculatorForm
from fees.quotes import REGULAR
from fees.self_declare import revenue_cap
from fees.services import fee_quotes_all


@require_GET
def calculator(request: HttpRequest) -> HttpResponse:
    """Public fee calculator: the fee under every schedule in effect, side by side, each explained step by step.

    A plain GET form (works without JavaScript): pathway, renewal and product categories are query parameters."""
    data = None
    if request.GET:
        data = request.GET.copy()
        data.setdefault("pathway", REGULAR)  # the regular pathway stays checked for links made before it existed
    form = CalculatorForm(data)
    results = []
    sehati_hint = False
    sehati_cap, sehati_rule = revenue_cap(jakarta_today())
    if form.is_bound and form.is_valid():
        sales = form.cleaned_data["annual_sales"]
        expenses = form.cleaned_data["operating_expenses"]
        try:
            results = fee_quotes_all(
                annual_sales=sales,
                operating_expenses=expenses,
                pathway=form.cleaned_data["pathway"],
                renewal=form.cleaned_data["renewal"],
                categories=form.cleaned_data["categories"],
            )
        except DomainError as error:  # e.g. self-declare for a medium business: shown at the field it concerns
            form.add_error(next((name for name in error.errors if name in form.fields), None), str(error))
        sehati_hint = sales <= sehati_cap
    return render(
        request,
        "fees/calculator.html",
        {
            "form": form,
            "results": results,
            "sehati_hint": sehati_hint,
            "sehati_cap": sehati_cap,
            "sehati_rule": sehati_rule,
        },
        status=400 if form.is_bound and form.errors else 200,
    )
