from __future__ import annotations

import datetime as dt
import io
from typing import Any

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.urls import reverse
from openpyxl import Workbook

from applicants.importing import services as importing
from applicants.importing.services import COLUMNS, businesses_import
from applicants.models import AnnualFigures, Business
from applicants.models.imports import ImportJob
from core.access import roles
from core.errors import DomainError
from core.models import User

pytestmark = pytest.mark.django_db

HEADER = "owner_email,owner_name,name,nib,address,region_code,kbli,sector,production_started,workforce,year,annual_sales,operating_expenses"  # noqa: E501
GOOD_1 = "alice@example.test,,Tempe Alice,1000000000001,Jl. A,1871,10792,food,2019-01-01,3,2025,150000000,90000000"
GOOD_2 = "baru@contoh.id,Wati,Sambal Wati,1000000000002,Jl. B,1872,10771,spices,2020-06-01,2,,,"
BAD = "baru2@contoh.id,,Nib Salah,10000000000,Jl. C,1871,10771,spices,2020-06-01,2,,,"


def _csv(*lines: str) -> SimpleUploadedFile:
    return SimpleUploadedFile("daftar.csv", ("\n".join([HEADER, *lines]) + "\n").encode(), content_type="text/csv")


def _client(user: Any) -> Client:
    client = Client()
    client.force_login(user)
    return client


def _post_and_run(client: Client, url: str, data: dict[str, Any] | None = None) -> Any:
    """POST; the job is queued when the request's transaction commits and the worker (eager in tests) runs it."""
    from django.test import TestCase

    with TestCase.captureOnCommitCallbacks(execute=True):
        return client.post(url, data or {})


def test_upload_previews_then_confirm_imports_every_row(rina: Any, alice: Any) -> None:
    client = _client(rina)
    preview = client.post(reverse("applicants:import"), {"file": _csv(GOOD_1, GOOD_2)})
    assert preview.status_code == 200
    assert "2 baris valid." in preview.content.decode()
    assert not Business.objects.exists()
    assert not User.objects.filter(email="baru@contoh.id").exists()
    response = _post_and_run(client, reverse("applicants:import_confirm"))
    job = ImportJob.objects.get()
    assert response["Location"] == reverse("applicants:import_job", args=[job.pk])
    assert (job.status, job.total, job.done, job.written, job.rows, job.user) == ("done", 2, 2, 2, [], rina)
    page = client.get(response["Location"]).content.decode()
    assert "2 usaha diimpor." in page and 'http-equiv="refresh"' not in page
    tempe = Business.objects.get(nib="1000000000001")
    assert tempe.owner == alice
    assert AnnualFigures.objects.get(business=tempe).annual_sales == 150_000_000
    wati = User.objects.get(email="baru@contoh.id")
    assert Business.objects.get(nib="1000000000002").owner == wati
    assert roles.has_role(wati, roles.OWNER)
    assert not wati.has_usable_password()
    assert tempe.history.get().history_user == rina


def test_one_bad_row_among_good_ones_imports_nothing_and_reports_the_row(oscar: Any, alice: Any) -> None:
    client = _client(oscar)
    page = client.post(reverse("applicants:import"), {"file": _csv(GOOD_1, BAD, GOOD_2)}).content.decode()
    assert "1 baris bermasalah; tidak ada yang akan diimpor." in page
    assert "NIB harus tepat 13 digit." in page
    assert reverse("applicants:import_confirm") not in page
    response = client.post(reverse("applicants:import_confirm"))
    assert response.status_code == 302
    assert not Business.objects.exists()
    assert not User.objects.filter(email__endswith="@contoh.id").exists()


def test_the_service_reports_each_bad_row_and_rolls_everything_back(ayu: Any, alice: Any, pat: Any) -> None:
    def row(name: str, nib: str, **overrides: str) -> dict[str, str]:
        values = {
            "owner_email": "alice@example.test",
            "name": name,
            "nib": nib,
            "address": "x",
            "region_code": "1871",
            "kbli": "10792",
            "production_started": "2019-01-01",
            "workforce": "1",
        }
        values.update(overrides)
        return values

    rows = [
        row("A", "1000000000001"),
        row("B", "1000000000002", owner_email="pat@example.test"),
        row("C", "1000000000003", region_code="9999"),
        row("D", "1000000000004", workforce="0"),
        row("E", "1000000000005", year="2024", annual_sales="-5"),
        row("F", "1000000000001"),
    ]
    result = businesses_import(actor=ayu, rows=rows, commit=True)
    assert not result.written
    assert [row.errors for row in result.rows] == [
        [],
        ["owner_email: pat@example.test bukan akun pemilik usaha."],
        ["region_code: wilayah 9999 tidak dikenal."],
        ["Jumlah tenaga kerja minimal 1 orang (pemilik ikut dihitung)."],
        ["omzet tahunan (Rp) tidak boleh negatif."],
        ["Usaha dengan NIB 1000000000001 sudah terdaftar."],
    ]
    assert [row.line for row in result.rows] == [2, 3, 4, 5, 6, 7]
    assert not Business.objects.exists()
    assert not AnnualFigures.objects.exists()


def test_an_xlsx_list_imports_the_same_way(rina: Any, alice: Any) -> None:
    book = Workbook()
    sheet = book.active
    sheet.append(HEADER.split(","))
    sheet.append(GOOD_1.split(","))
    buffer = io.BytesIO()
    book.save(buffer)
    client = _client(rina)
    upload = SimpleUploadedFile("daftar.xlsx", buffer.getvalue())
    assert "1 baris valid." in client.post(reverse("applicants:import"), {"file": upload}).content.decode()
    _post_and_run(client, reverse("applicants:import_confirm"))
    assert Business.objects.get().name == "Tempe Alice"


def test_a_file_without_the_required_columns_is_refused(rina: Any) -> None:
    upload = SimpleUploadedFile("x.csv", b"name,nib\nA,1000000000001\n")
    page = _client(rina).post(reverse("applicants:import"), {"file": upload}).content.decode()
    assert "Kolom yang belum ada: owner_email" in page
    assert not Business.objects.exists()


def test_an_owner_cannot_call_the_import_service(alice: Any) -> None:
    with pytest.raises(DomainError, match="Hanya petugas"):
        businesses_import(actor=alice, rows=[], commit=True)


def test_the_template_has_every_column_and_imports_cleanly(rina: Any) -> None:
    response = _client(rina).get(reverse("applicants:import_template"))
    text = response.content.decode("utf-8-sig")
    assert text.splitlines()[0].split(",") == COLUMNS
    client = _client(rina)
    preview = client.post(reverse("applicants:import"), {"file": SimpleUploadedFile("t.csv", text.encode())})
    assert "1 baris valid." in preview.content.decode()


# --- Background job: larger files, progress, all or nothing, the row limit, who may see a job ----------------------
def _rows_csv(count: int, *, bad_line: int | None = None, start: int = 0) -> SimpleUploadedFile:
    """`count` valid rows, each a new owner; the row on `bad_line` (file line, header = 1) has a 12-digit NIB."""
    lines = []
    for i in range(count):
        nib = f"{2000000000000 + start + i}"
        if bad_line is not None and i + 2 == bad_line:
            nib = nib[:12]
        lines.append(f"baru{start + i}@contoh.id,Pemilik {i},Usaha {i},{nib},Jl. {i},1871,10792,food,2020-01-01,2,,,")
    return _csv(*lines)


def test_a_file_past_the_preview_size_goes_straight_to_a_job_with_progress(rina: Any) -> None:
    count = importing.PREVIEW_ROWS + 5
    client = _client(rina)

    response = _post_and_run(client, reverse("applicants:import"), {"file": _rows_csv(count)})
    job = ImportJob.objects.get()
    assert response.status_code == 302 and response["Location"] == reverse("applicants:import_job", args=[job.pk])
    assert (job.status, job.total, job.done, job.written, job.file_name) == ("done", count, count, count, "daftar.csv")
    assert Business.objects.count() == count
    assert User.objects.filter(email__endswith="@contoh.id").count() == count
    assert all(roles.has_role(u, roles.OWNER) for u in User.objects.filter(email__endswith="@contoh.id")[:3])
    assert importing.import_job_progress(job) == count
    page = client.get(response["Location"]).content.decode()
    assert f"{count} dari {count} baris diperiksa" in page


def test_progress_is_published_while_the_job_runs(rina: Any) -> None:
    """The job's transaction stays open until the end, so other requests read its progress from the cache."""
    from django.core.cache import cache

    published: list[int] = []
    rows = importing.read_rows(_rows_csv(250).read())
    job = ImportJob.objects.create(user=rina, total=len(rows), rows=rows)
    original = cache.set

    def spy(key: str, value: Any, *args: Any, **kwargs: Any) -> Any:
        answer = original(key, value, *args, **kwargs)
        if key == importing._progress_key(job.pk):
            published.append(value)
            assert importing.import_job_progress(ImportJob.objects.get(pk=job.pk)) == value
        return answer

    cache.set = spy  # type: ignore[method-assign]
    try:
        importing.import_job_run(job_id=job.pk)
    finally:
        cache.set = original  # type: ignore[method-assign]
    assert published == [0, 100, 200, 250]
    job.refresh_from_db()
    assert (job.status, job.done) == ("done", 250)


def test_the_running_page_refreshes_and_shows_rows_done(rina: Any) -> None:
    from django.core.cache import cache

    job = ImportJob.objects.create(user=rina, total=400, status="running", file_name="besar.csv")
    cache.set(importing._progress_key(job.pk), 300)
    page = _client(rina).get(reverse("applicants:import_job", args=[job.pk])).content.decode()
    assert '<meta http-equiv="refresh" content="2">' in page
    assert "300 dari 400 baris diperiksa" in page and 'value="300"' in page


def test_a_failing_job_writes_nothing_and_lists_the_bad_rows(rina: Any) -> None:
    client = _client(rina)
    count = importing.PREVIEW_ROWS + 10
    response = _post_and_run(client, reverse("applicants:import"), {"file": _rows_csv(count, bad_line=50)})
    job = ImportJob.objects.get()
    assert job.status == "failed" and job.done == count and job.written == 0 and job.rows == []
    assert job.errors == [
        {
            "line": 50,
            "name": "Usaha 48",
            "nib": "200000000004",
            "owner_email": "baru48@contoh.id",
            "errors": ["NIB harus tepat 13 digit."],
        }
    ]
    assert not Business.objects.exists()
    assert not User.objects.filter(email__endswith="@contoh.id").exists()
    page = client.get(response["Location"]).content.decode()
    assert "1 baris bermasalah; tidak ada yang diimpor." in page
    assert "NIB harus tepat 13 digit." in page and "Usaha 48" in page


def test_a_file_over_the_row_limit_is_refused_with_a_message_and_no_job(rina: Any, monkeypatch: Any) -> None:
    monkeypatch.setattr(importing, "MAX_ROWS", 300)
    page = _client(rina).post(reverse("applicants:import"), {"file": _rows_csv(301)}).content.decode()
    assert "Berkas ini berisi 301 baris; paling banyak 300 baris" in page
    assert not ImportJob.objects.exists() and not Business.objects.exists()
    with pytest.raises(DomainError, match="paling banyak 300 baris"):
        importing.import_job_start(actor=rina, rows=[{"name": "x"}] * 301)


def test_the_real_limit_is_ten_thousand_rows() -> None:
    assert importing.MAX_ROWS == 10_000
    header = HEADER + "\n"
    body = "".join(f"a{i}@contoh.id,,U,{2000000000000 + i},A,1871,10792,food,2020-01-01,2,,,\n" for i in range(10_001))
    with pytest.raises(DomainError, match="10.001 baris; paling banyak 10.000 baris"):
        importing.read_rows((header + body).encode())
    assert len(importing.read_rows((header + body.split("\n", 1)[1]).encode())) == 10_000


def test_only_staff_start_a_job_and_each_sees_only_their_own(rina: Any, oscar: Any, alice: Any, pat: Any) -> None:
    with pytest.raises(DomainError, match="Hanya petugas"):
        importing.import_job_start(actor=alice, rows=[{"name": "x"}])
    job = ImportJob.objects.create(user=rina, total=1, status="failed", errors=[{"line": 2, "errors": ["x"]}])
    url = reverse("applicants:import_job", args=[job.pk])
    assert _client(rina).get(url).status_code == 200
    assert _client(oscar).get(url).status_code == 404  # staff, but not theirs
    assert _client(alice).get(url).status_code == 403
    assert _client(pat).get(url).status_code == 403
    assert Client().get(url).status_code == 302


def test_a_job_run_twice_writes_once(rina: Any) -> None:
    rows = importing.read_rows(_rows_csv(3).read())
    job = ImportJob.objects.create(user=rina, total=3, rows=rows)
    assert importing.import_job_run(job_id=job.pk).status == "done"
    assert importing.import_job_run(job_id=job.pk).status == "done"
    assert Business.objects.count() == 3


def test_queries_per_file_are_fixed_whatever_its_rows(rina: Any, alice: Any) -> None:
    """Owners are read in one query and created in one insert; the KBLI list, the regions and the NIBs taken are
    read once; businesses and figures are written in bulk with their history: no query per row (up to BATCH_SIZE
    rows per insert). Pinned."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    def queries(count: int, start: int) -> int:
        rows = importing.read_rows(_rows_csv(count, start=start).read())
        rows[0]["owner_email"] = "alice@example.test"  # one existing owner among the new ones
        for row in rows:
            row.update(year="2024", annual_sales="100000000", operating_expenses="50000000")
        with CaptureQueriesContext(connection) as captured:
            result = businesses_import(actor=rina, rows=rows, commit=True)
        assert result.written
        return len(captured.captured_queries)

    roles.roles_of(rina)  # the actor's roles, read once per request or job
    many = rows_per_insert(300)
    assert many >= 20  # still "many rows" on SQLite, whose inserts hold at most 999 parameters
    assert queries(5, 0) == queries(many, 100) == QUERIES_PER_FILE
    assert Business.objects.count() == 5 + many and AnnualFigures.objects.count() == 5 + many
    assert AnnualFigures.history.count() == 5 + many


def rows_per_insert(wanted: int) -> int:
    """The most rows (up to `wanted`) that this database writes in one INSERT for each table the import fills:
    PostgreSQL takes them all; SQLite's statements hold 999 parameters, so its bulk inserts come in batches of
    999 // columns rows and a larger file would pin the batching, not the import."""
    from django.db import connection

    models = [User, Business, Business.history.model, AnnualFigures, AnnualFigures.history.model]
    sizes = [connection.ops.bulk_batch_size(list(model._meta.concrete_fields), [None] * wanted) for model in models]
    return min(wanted, *sizes)


# regions; the import's savepoint; owners read and their roles; new owners inserted; the owner group; its
# memberships; KBLI list, region ids, NIBs taken; the bulk write's savepoint, businesses and their history, figures
# and their history, its release; the import's release.
QUERIES_PER_FILE = 17


@pytest.mark.parametrize(
    "change",
    [
        {"nib": "123456789012"},
        {"nib": "12345678901x3"},
        {"kbli": "10999"},
        {"workforce": 0},
        {"name": ""},
        {"phone": "x" * 200},
        {"production_started": dt.date(2999, 1, 1)},
    ],
)
def test_the_batch_checks_refuse_what_business_create_refuses(rina: Any, alice: Any, change: dict[str, Any]) -> None:
    """batch_add_business is business_create's checks against data read once: same refusals, same messages."""
    from applicants import services
    from applicants.models import Region

    fields: dict[str, Any] = {
        "name": "Tempe",
        "nib": "1000000000009",
        "address": "Jl. A",
        "region": Region.objects.get(code="1871"),
        "kbli": "10792",
        "production_started": dt.date(2020, 1, 1),
        "workforce": 2,
        "legal_form": "individual",
        "sector": "food",
        "outlets": 1,
        "production_facilities": 1,
    }
    fields.update(change)
    with pytest.raises(DomainError) as single:
        services.business_create(actor=rina, fields=fields, owner=alice)
    batch = services.batch_start(nibs=[fields["nib"]])
    with pytest.raises(DomainError) as batched:
        services.batch_add_business(batch, actor=rina, fields=fields, owner=alice)
    assert str(batched.value.message) == str(single.value.message)
    assert not batch.businesses and not Business.objects.exists()
