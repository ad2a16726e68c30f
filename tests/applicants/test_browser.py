from __future__ import annotations

from typing import Any

import pytest

from applicants.models import Business
from tests.conftest import PASSWORD

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_an_owner_registers_a_business_on_a_360px_phone(page: Any, live_server: Any, alice: Any) -> None:
    page.set_viewport_size({"width": 360, "height": 740})
    page.goto(f"{live_server.url}/accounts/login/")
    page.fill("input[name=login]", alice.email)
    page.fill("input[name=password]", PASSWORD)
    page.locator("form button[type=submit]").last.click()
    page.goto(f"{live_server.url}/business/new/")
    page.fill("#id_name", "Keripik Pisang Alice")
    page.fill("#id_nib", "1234567890123")
    page.fill("#id_address", "Jl. Kartini 1")
    page.select_option("#id_region", label="Kota Bandar Lampung")
    page.select_option("#id_kbli", "10794")
    page.fill("#id_production_started", "2020-01-01")
    page.fill("#id_workforce", "3")
    page.locator("main form button[type=submit]").click()
    page.wait_for_url("**/figures/new/")
    assert page.evaluate("document.documentElement.scrollWidth") <= 360
    page.fill("#id_year", "2025")
    page.fill("#id_annual_sales", "150000000")
    page.fill("#id_operating_expenses", "90000000")
    page.fill("#id_workforce", "3")
    page.locator("main form button[type=submit]").click()
    page.wait_for_url("**/products/new/")
    assert page.evaluate("document.documentElement.scrollWidth") <= 360
    business = Business.objects.get()
    assert business.owner == alice
    assert business.figures.get().annual_sales == 150_000_000


@pytest.mark.parametrize("width", [360, 1280])
def test_an_owner_generates_the_sjph_manual_draft_from_the_business_page(
    page: Any, live_server: Any, alice: Any, width: int
) -> None:
    from applicants.models import Document
    from tests.applicants.test_generated_documents import full_business

    business = full_business(alice)
    page.set_viewport_size({"width": width, "height": 800})
    page.goto(f"{live_server.url}/accounts/login/")
    page.fill("input[name=login]", alice.email)
    page.fill("input[name=password]", PASSWORD)
    page.locator("form button[type=submit]").last.click()
    page.goto(f"{live_server.url}/business/{business.pk}/")
    page.get_by_role("button", name="Buat draf manual SJPH").click()
    page.wait_for_url(f"**/business/{business.pk}/")
    page.reload()
    link = page.get_by_role("link", name="Manual sistem jaminan produk halal: draf-manual-sjph.pdf")
    link.wait_for()
    page.get_by_role("heading", name="Dokumen yang dibuat otomatis").scroll_into_view_if_needed()
    page.screenshot(path=f"test-artifacts/generated-documents-{width}.png", full_page=False)
    assert page.evaluate("document.documentElement.scrollWidth") <= width
    assert Document.objects.get(business=business).generated


@pytest.mark.parametrize("width", [360, 1280])
def test_staff_follow_a_large_import_and_read_its_bad_rows(page: Any, live_server: Any, rina: Any, width: int) -> None:
    """A file past the preview size goes to a job; the job page shows progress, then the rows to correct."""
    from django.core.cache import cache

    from applicants.importing import services as importing
    from applicants.models.imports import ImportJob
    from tests.applicants.test_import import _rows_csv

    upload = _rows_csv(importing.PREVIEW_ROWS + 20, bad_line=7)
    path = f"test-artifacts/import-{width}.csv"
    with open(path, "wb") as handle:
        handle.write(upload.read())
    page.set_viewport_size({"width": width, "height": 800})
    page.goto(f"{live_server.url}/accounts/login/")
    page.fill("input[name=login]", rina.email)
    page.fill("input[name=password]", PASSWORD)
    page.locator("form button[type=submit]").last.click()
    page.goto(f"{live_server.url}/registry/import/")
    page.set_input_files("#id_file", path)
    page.get_by_role("button", name="Periksa berkas").click()
    page.wait_for_url("**/registry/import/jobs/*/")
    page.get_by_role("heading", name="Baris yang bermasalah").wait_for()
    assert "NIB harus tepat 13 digit." in page.content()
    page.screenshot(path=f"test-artifacts/import-job-failed-{width}.png", full_page=True)
    assert page.evaluate("document.documentElement.scrollWidth") <= width
    assert not Business.objects.exists()

    running = ImportJob.objects.create(user=rina, total=10_000, status="running", file_name="daftar-besar.xlsx")
    cache.set(importing._progress_key(running.pk), 4_200)
    page.goto(f"{live_server.url}/registry/import/jobs/{running.pk}/")
    assert "4.200 dari 10.000 baris diperiksa" in page.content()
    page.screenshot(path=f"test-artifacts/import-job-running-{width}.png", full_page=True)
    assert page.evaluate("document.documentElement.scrollWidth") <= width
