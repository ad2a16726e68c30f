from __future__ import annotations

import pytest
from django.test import Client

from applicants.models import Business


@pytest.mark.parametrize("path", ["/api/v1/applications/?region=18%0071", "/api/v1/businesses/?q=kopi%00"])
def test_a_nul_in_an_api_filter_is_a_clear_400(client: Client, rina, path: str) -> None:
    client.force_login(rina)
    response = client.get(path)
    assert response.status_code == 400
    assert response.json() == {"detail": "Alamat berisi karakter yang tidak diizinkan (NUL).", "errors": {}}
    assert Business.objects.count() == 0


def test_a_nul_in_a_page_filter_is_a_clear_400(client: Client, rina) -> None:
    client.force_login(rina)
    response = client.get("/cases/?region=18%00")
    assert response.status_code == 400
    assert "NUL" in response.content.decode()


def test_ordinary_filters_pass(client: Client, rina) -> None:
    client.force_login(rina)
    assert client.get("/api/v1/applications/?region=1871").status_code == 200
