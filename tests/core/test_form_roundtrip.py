"""Every date input on every form round-trips (issue 19, item 1) and money is typed as Indonesians write it (item 12).

A form rendered in Indonesian with data, read back as a browser would send it and submitted unchanged, is valid and
gives the same values. Before the fix the business form rendered `01-01-2020` into `<input type="date">`, which a
browser shows as empty and refuses to submit.
"""

from __future__ import annotations

import datetime as dt
import importlib
from html.parser import HTMLParser
from typing import Any

import pytest
from django import forms
from django.test import Client
from django.utils import translation

from applicants.forms import BusinessForm, FiguresForm
from applicants.models import Business
from certification.forms import ActionForm
from core.web.fields import RupiahField
from core.web.widgets import DateInput, MoneyInput
from reports.forms import DashboardFilterForm, ReportRequestForm
from tests.applicants.factories import BusinessFactory, FiguresFactory

APP_FORM_MODULES = ["applicants.forms", "certification.forms", "fees.forms", "reports.forms", "training.forms"]


class _FormReader(HTMLParser):
    """What a browser submits from a rendered form: inputs' values, the selected options, textareas' text."""

    def __init__(self) -> None:
        super().__init__()
        self.data: dict[str, list[str]] = {}
        self.date_values: dict[str, str] = {}
        self._select: str | None = None
        self._textarea: str | None = None

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        a = {k: v or "" for k, v in attrs}
        name = a.get("name")
        if tag == "input" and name:
            kind = a.get("type", "text")
            if kind in ("date", "month"):
                self.date_values[name] = a.get("value", "")
            if kind in ("checkbox", "radio") and "checked" not in a:
                return
            if kind not in ("submit", "button", "file"):
                self.data.setdefault(name, []).append(a.get("value", "on" if kind == "checkbox" else ""))
        elif tag == "select" and name:
            self._select = name
        elif tag == "option" and self._select and "selected" in a:
            self.data.setdefault(self._select, []).append(a.get("value", ""))
        elif tag == "textarea" and name:
            self._textarea = name
            self.data.setdefault(name, []).append("")

    def handle_endtag(self, tag: str) -> None:
        if tag == "select":
            self._select = None
        elif tag == "textarea":
            self._textarea = None

    def handle_data(self, data: str) -> None:
        if self._textarea:
            self.data[self._textarea][-1] += data.lstrip("\n") if not self.data[self._textarea][-1] else data


def read_form(html: str) -> _FormReader:
    reader = _FormReader()
    reader.feed(html)
    return reader


def submitted(html: str) -> dict[str, Any]:
    return {k: v if len(v) > 1 else v[0] for k, v in read_form(html).data.items()}


def _every_form_class() -> list[type[forms.BaseForm]]:
    found = []
    for module_name in APP_FORM_MODULES:
        module = importlib.import_module(module_name)
        for value in vars(module).values():
            if isinstance(value, type) and issubclass(value, forms.BaseForm) and value.__module__ == module_name:
                found.append(value)
    return found


def test_every_date_field_of_every_form_renders_iso_in_indonesian() -> None:
    day = dt.date(2021, 3, 1)
    checked = 0
    with translation.override("id"):
        for form_class in _every_form_class():
            for name, field in form_class.base_fields.items():
                if isinstance(field, forms.DateField):
                    shown = field.widget.format_value(day)
                    assert shown in ("2021-03-01", "2021-03"), f"{form_class.__name__}.{name} renders {shown!r}"
                    assert field.clean(shown) in (day, day.replace(day=1))
                    checked += 1
        form = ActionForm(action="record_visit", requires=("visit_date", "fatwa_date"))
        for name in ("visit_date", "fatwa_date"):
            assert isinstance(form.fields[name].widget, DateInput)
            assert form.fields[name].widget.format_value(day) == "2021-03-01"
            checked += 1
    assert checked >= 8


@pytest.mark.django_db
def test_the_business_form_round_trips_in_indonesian(alice: Any) -> None:
    business = BusinessFactory(owner=alice, production_started=dt.date(2021, 3, 1))
    with translation.override("id"):
        html = BusinessForm(instance=business).as_div()
        reader = read_form(html)
        assert reader.date_values == {"production_started": "2021-03-01"}
        form = BusinessForm(data=submitted(html), instance=Business.objects.get(pk=business.pk))
        assert form.is_valid(), form.errors
        assert form.cleaned_data["production_started"] == dt.date(2021, 3, 1)


@pytest.mark.django_db
def test_the_dashboard_and_report_forms_round_trip() -> None:
    with translation.override("id"):
        dashboard = DashboardFilterForm(data={"start": "2025-01-01", "end": "2025-06-30"})
        assert dashboard.is_valid(), dashboard.errors
        again = DashboardFilterForm(data=submitted(dashboard.as_div()))
        assert again.is_valid(), again.errors
        assert (again.cleaned_data["start"], again.cleaned_data["end"]) == (dt.date(2025, 1, 1), dt.date(2025, 6, 30))
        report = ReportRequestForm(initial={"month": dt.date(2025, 5, 1)})
        assert read_form(report.as_div()).date_values["month"] == "2025-05"
        again_report = ReportRequestForm(data=submitted(report.as_div()))
        assert again_report.is_valid(), again_report.errors
        assert again_report.cleaned_data["month"] == dt.date(2025, 5, 1)


@pytest.mark.django_db
def test_the_owner_saves_the_business_edit_page_unchanged(alice: Any, client: Client) -> None:
    business = BusinessFactory(owner=alice, production_started=dt.date(2021, 3, 1))
    client.force_login(alice)
    page = client.get(f"/business/{business.pk}/edit/", HTTP_ACCEPT_LANGUAGE="id")
    html = page.content.decode()
    main = html[html.index("<main") :]
    data = submitted(main)
    data.pop("csrfmiddlewaretoken", None)
    assert data["production_started"] == "2021-03-01"
    answer = client.post(f"/business/{business.pk}/edit/", data, HTTP_ACCEPT_LANGUAGE="id")
    assert answer.status_code == 302, answer.content.decode()[:2000]
    business.refresh_from_db()
    assert business.production_started == dt.date(2021, 3, 1)


# --- Money typed with Indonesian digit grouping (item 12) ----------------------------------------------------------
def test_every_money_field_of_the_owner_and_the_calculator_is_a_rupiah_field() -> None:
    from fees.forms import CalculatorForm

    for form_class, names in (
        (FiguresForm, ["annual_sales", "operating_expenses", "capital", "export_value"]),
        (CalculatorForm, ["annual_sales", "operating_expenses"]),
    ):
        for name in names:
            field = form_class.base_fields[name]
            assert isinstance(field, RupiahField), f"{form_class.__name__}.{name}"
            assert isinstance(field.widget, MoneyInput)


@pytest.mark.django_db
def test_annual_figures_accept_grouped_rupiah_and_show_them_back_grouped(alice: Any, client: Client) -> None:
    business = BusinessFactory(owner=alice)
    client.force_login(alice)
    answer = client.post(
        f"/business/{business.pk}/figures/new/",
        {
            "year": "2024",
            "annual_sales": "15.000.000",
            "operating_expenses": "Rp 9.500.000",
            "capital": "0",
            "workforce": "3",
            "export_value": "1.250.000",
        },
    )
    assert answer.status_code == 302, answer.content.decode()[:3000]
    figures = business.figures.get()
    assert (figures.annual_sales, figures.operating_expenses, figures.export_value) == (
        15_000_000,
        9_500_000,
        1_250_000,
    )
    edit = client.get(f"/business/{business.pk}/figures/2024/").content.decode()
    assert 'value="15.000.000"' in edit
    assert 'value="9.500.000"' in edit
    again = submitted(edit[edit.index("<main") :])
    again.pop("csrfmiddlewaretoken", None)
    assert client.post(f"/business/{business.pk}/figures/2024/", again).status_code == 302
    figures.refresh_from_db()
    assert figures.annual_sales == 15_000_000


@pytest.mark.django_db
@pytest.mark.parametrize("typed", ["1.5", "-1", "15.00.000", "abc", "2000000000000000"])
def test_money_that_is_not_whole_rupiah_or_out_of_bounds_is_refused_and_nothing_written(
    alice: Any, client: Client, typed: str
) -> None:
    business = BusinessFactory(owner=alice)
    client.force_login(alice)
    answer = client.post(
        f"/business/{business.pk}/figures/new/",
        {
            "year": "2024",
            "annual_sales": typed,
            "operating_expenses": "1.000",
            "capital": "0",
            "workforce": "3",
            "export_value": "0",
        },
        HTTP_ACCEPT_LANGUAGE="id",
    )
    assert answer.status_code == 200
    assert "rupiah" in answer.content.decode().lower() or "Rp 1.000.000.000.000.000" in answer.content.decode()
    assert not business.figures.exists()


@pytest.mark.django_db
def test_an_existing_figures_page_is_valid_with_its_own_values(alice: Any) -> None:
    figures = FiguresFactory(business=BusinessFactory(owner=alice), annual_sales=1_352_995)
    with translation.override("id"):
        html = FiguresForm(instance=figures).as_div()
        assert 'value="1.352.995"' in html
        form = FiguresForm(data=submitted(html), instance=figures)
        assert form.is_valid(), form.errors
        assert form.cleaned_data["annual_sales"] == 1_352_995


def test_every_field_label_of_every_form_starts_with_a_capital_in_indonesian() -> None:
    """Issue 19, item 15: no lowercase labels ("tenaga kerja", "jenis", "berkas")."""
    lowercase = []
    with translation.override("id"):
        for form_class in _every_form_class():
            for name, field in form_class.base_fields.items():
                label = str(field.label or "")
                if label and label[0].islower():
                    lowercase.append(f"{form_class.__name__}.{name}: {label}")
    assert lowercase == []


def test_a_new_figures_form_shows_zero_capital_and_export_value() -> None:
    html = FiguresForm().as_div()
    reader = read_form(html)
    assert reader.data["capital"] == ["0"] and reader.data["export_value"] == ["0"]
