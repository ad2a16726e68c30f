from __future__ import annotations

import io
from typing import Any

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.urls import reverse
from openpyxl import Workbook

from applicants.importing import COLUMNS, businesses_import
from applicants.models import AnnualFigures, Business
from core import roles
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


def test_upload_previews_then_confirm_imports_every_row(rina: Any, alice: Any) -> None:
    client = _client(rina)
    preview = client.post(reverse("applicants:import"), {"file": _csv(GOOD_1, GOOD_2)})
    assert preview.status_code == 200
    assert "2 baris valid." in preview.content.decode()
    assert not Business.objects.exists()
    assert not User.objects.filter(email="baru@contoh.id").exists()
    response = client.post(reverse("applicants:import_confirm"))
    assert response["Location"] == reverse("applicants:registry")
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
    client.post(reverse("applicants:import_confirm"))
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
