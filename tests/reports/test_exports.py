"""Staff exports: CSV streams, XLSX reads back to the same rows, filters apply, fixed queries, staff only."""

from __future__ import annotations

import csv
import datetime as dt
import io
from typing import Any

import pytest
from django.db import connection
from django.http import StreamingHttpResponse
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.utils import translation
from openpyxl import load_workbook

from certification.models import Application, Pathway
from certification.workflow import table as wf
from tests.reports import factories as f

pytestmark = pytest.mark.django_db


def signed_in(user: Any) -> Client:
    client = Client()
    client.force_login(user)
    return client


def body(response: Any) -> bytes:
    return b"".join(response.streaming_content)


def csv_rows(response: Any) -> list[list[str]]:
    assert isinstance(response, StreamingHttpResponse)
    return list(csv.reader(io.StringIO(body(response).decode("utf-8-sig"))))


def _text(value: Any) -> str:
    """A cell as the CSV writes it: dates (stored by Excel as midnight datetimes) as ISO dates."""
    if value is None:
        return ""
    if isinstance(value, dt.datetime) and value.time() == dt.time.min:
        return value.date().isoformat()
    return str(value)


def xlsx_rows(response: Any) -> list[list[str]]:
    assert response["Content-Type"].startswith("application/vnd.openxmlformats")
    sheet = load_workbook(io.BytesIO(body(response)), read_only=True).active
    return [[_text(v) for v in row] for row in sheet.iter_rows(values_only=True)]


@pytest.mark.parametrize(
    "path", ["/staff/exports/applications", "/staff/exports/programs", "/staff/exports/follow-ups"]
)
def test_xlsx_reads_back_to_the_same_rows_as_the_csv(rina: Any, oscar: Any, path: str) -> None:
    f.build(oscar)
    client = signed_in(rina)
    as_csv = csv_rows(client.get(f"{path}.csv"))
    as_xlsx = xlsx_rows(client.get(f"{path}.xlsx"))
    assert len(as_csv) > 1
    assert as_csv == as_xlsx


def test_the_applications_export_keeps_the_queue_filters(rina: Any, oscar: Any) -> None:
    f.build(oscar)
    rows = csv_rows(signed_in(rina).get("/staff/exports/applications.csv", {"state": "issued", "region": "1801"}))
    header, data = rows[0], rows[1:]
    expected = Application.objects.filter(state="issued", business__region__code="1801")
    assert [int(r[0]) for r in data] == list(expected.values_list("pk", flat=True))
    issued = wf.public_label("issued", "id")  # the workflow table's name, as pages and notices say it
    assert all(r[header.index("Status")] == issued for r in data)
    open_rows = csv_rows(signed_in(rina).get("/staff/exports/applications.csv"))[1:]
    assert (
        len(open_rows) == Application.objects.filter(state__in=["submitted", "verification", "lph_examination"]).count()
    )


def test_exports_never_contain_passwords_or_tokens(rina: Any, oscar: Any) -> None:
    f.build(oscar)
    client = signed_in(rina)
    for path in ("applications", "programs", "follow-ups"):
        content = body(client.get(f"/staff/exports/{path}.csv")).decode()
        assert "pbkdf2" not in content and "password" not in content.lower() and "token" not in content.lower()


def test_an_unknown_format_is_404(rina: Any) -> None:
    assert signed_in(rina).get("/staff/exports/programs.pdf").status_code == 404


@pytest.mark.parametrize(
    "path", ["/staff/exports/applications.csv", "/staff/exports/programs.xlsx", "/staff/exports/follow-ups.csv"]
)
def test_exports_answer_in_a_fixed_number_of_queries(
    rina: Any, oscar: Any, path: str, django_assert_num_queries: Any
) -> None:
    client = signed_in(rina)
    f.build(oscar)
    with CaptureQueriesContext(connection) as small:
        body(client.get(path))
    f.build(oscar, copies=5)
    with django_assert_num_queries(len(small.captured_queries)):
        body(client.get(path))


def test_anonymous_exports_go_to_login() -> None:
    response = Client().get("/staff/exports/applications.csv")
    assert response.status_code == 302
    assert "/accounts/login/" in response["Location"]


def _certify(status: str = "valid") -> list[Any]:
    from certification.models import Certificate

    made = []
    Certificate.objects.all().delete()  # the dataset's own (tests/reports/factories.issue): these replace them
    for app in Application.objects.filter(state="issued").select_related("business__region").order_by("pk"):
        made.append(
            Certificate.objects.create(
                application=app,
                number=f"ID1811{app.pk:09d}1126",
                token=f"secret-token-{app.pk}",
                issued_at=dt.datetime(2026, 11, 2, 9, tzinfo=dt.UTC),
                business_name=app.business.name,
                business_address=app.business.address,
                nib=app.business.nib,
                region_name=app.business.region.name,
                region_code=app.business.region.code,
                products=[{"name": "Keripik", "category": "simple_products"}],
                products_text="Keripik",
                fatwa_number=f"KF-{app.pk}",
                fatwa_date=dt.date(2026, 11, 1),
                pathway=app.pathway,
                status=status,
            )
        )
    return made


def test_the_certificates_export_lists_every_certificate_without_tokens(rina: Any, oscar: Any) -> None:
    f.build(oscar)
    certificates = _certify()
    client = signed_in(rina)
    as_csv = csv_rows(client.get("/staff/exports/certificates.csv"))
    assert as_csv == xlsx_rows(client.get("/staff/exports/certificates.xlsx"))
    assert sorted(r[0] for r in as_csv[1:]) == sorted(c.number for c in certificates)
    assert "secret-token" not in body(client.get("/staff/exports/certificates.csv")).decode()
    assert csv_rows(client.get("/staff/exports/certificates.csv", {"status": "revoked"}))[1:] == []


def test_the_certificates_export_answers_in_a_fixed_number_of_queries(
    rina: Any, oscar: Any, django_assert_num_queries: Any
) -> None:
    client = signed_in(rina)
    f.build(oscar)
    _certify()
    with CaptureQueriesContext(connection) as small:
        body(client.get("/staff/exports/certificates.csv"))
    f.build(oscar, copies=3)
    from certification.models import Certificate

    Certificate.objects.all().delete()
    _certify()
    with django_assert_num_queries(len(small.captured_queries)):
        body(client.get("/staff/exports/certificates.csv"))


def test_owners_cannot_export_certificates(alice: Any) -> None:
    assert signed_in(alice).get("/staff/exports/certificates.csv").status_code == 403


def test_exports_speak_indonesian_by_default_with_wib_times_and_english_on_request(rina: Any, oscar: Any) -> None:
    """Issue 19, item 13: no raw codes (`regular`, `lph_examination`) or UTC times in a file an officer opens."""
    f.build(oscar)
    application = Application.objects.exclude(state="draft").order_by("pk").first()
    assert application is not None
    Application.objects.filter(pk=application.pk).update(submitted_at=dt.datetime(2026, 3, 2, 23, 30, tzinfo=dt.UTC))
    application.refresh_from_db()
    client = signed_in(rina)
    rows = csv_rows(client.get("/staff/exports/applications.csv", {"state": application.state}))
    header, data = rows[0], rows[1:]
    assert header[:7] == ["ID", "Usaha", "NIB", "Kode wilayah", "Kabupaten / kota", "Jalur", "Status"]
    assert "Diajukan pada (WIB)" in header
    row = next(r for r in data if r[0] == str(application.pk))
    with translation.override("id"):
        assert row[header.index("Jalur")] == str(application.get_pathway_display())
        assert row[header.index("Status")] == wf.public_label(application.state, "id", application.pathway)
    assert row[header.index("Jalur")] not in ("regular", "self_declare")
    assert row[header.index("Diajukan pada (WIB)")] == "2026-03-03 06:30"  # 23:30 UTC is 06:30 the next day in WIB
    english = csv_rows(client.get("/staff/exports/applications.csv", {"state": application.state, "lang": "en"}))
    assert english[0][:7] == ["ID", "Business", "NIB", "Region code", "Regency / city", "Pathway", "Status"]
    with translation.override("en"):
        assert english[1][english[0].index("Pathway")] in {str(label) for _v, label in Pathway.choices}


def test_every_state_exports_the_closed_cases_too(rina: Any, ayu: Any, oscar: Any) -> None:
    """The national export (state=all): every application the person may see, closed and draft ones included."""
    f.build(oscar)
    states = set(Application.objects.values_list("state", flat=True))
    assert "issued" in states and len(states) > 2
    rows = csv_rows(signed_in(ayu).get("/staff/exports/applications.csv", {"state": "all"}))[1:]
    assert sorted(int(r[0]) for r in rows) == sorted(Application.objects.values_list("pk", flat=True))
    open_only = csv_rows(signed_in(ayu).get("/staff/exports/applications.csv"))[1:]
    assert len(open_only) < len(rows)
    page = signed_in(rina).get("/cases/", {"state": "all"}).content.decode()
    assert 'value="all" selected' in page
