"""Public verification (HTML and JSON), the number lookup and the registry of certified products: no login."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

import pytest
from django.core.cache import cache
from django.test import Client
from django.urls import reverse
from django.utils import timezone
from rest_framework.throttling import ScopedRateThrottle

from certification.certificates.services import cache_key, certificate_revoke
from certification.models import Certificate, CertificateEvent
from core.access.throttling import FixedWindowRateThrottle
from tests.certification import factories as f
from tests.conftest import national

pytestmark = pytest.mark.django_db


def _certificate(cast: f.Cast, **kwargs: Any) -> Certificate:
    return Certificate.objects.get(application=f.issued(cast, **kwargs))


def _json_url(number: str) -> str:
    return reverse("api-public-certificate", args=[number])


def test_a_valid_certificate_verifies_as_valid_in_json(cast: f.Cast, client: Client) -> None:
    certificate = _certificate(cast, products=2)
    response = client.get(_json_url(certificate.number))
    assert response.status_code == 200
    body = response.json()
    assert set(body) == {
        "number",
        "status",
        "issuer",
        "issuer_name",
        "recorded_from_bpjph",
        "business_name",
        "products",
        "issued_at",
        "revoked_at",
        "reason",
    }
    assert body["number"] == certificate.number
    # The default deployment facilitates: the certificate is BPJPH's, recorded here, and the answer says so.
    assert (body["issuer"], body["recorded_from_bpjph"]) == ("bpjph", True)
    assert body["issuer_name"] == "Badan Penyelenggara Jaminan Produk Halal (BPJPH)"
    assert body["status"] == "valid"
    assert body["business_name"] == certificate.business_name
    assert body["products"] == ["Keripik rasa 01", "Keripik rasa 02"]
    assert body["revoked_at"] is None and body["reason"] is None
    assert "nib" not in body and cast.owner.email not in response.content.decode()


def test_the_verification_page_shows_a_valid_badge_and_nothing_private(cast: f.Cast, client: Client) -> None:
    certificate = _certificate(cast)
    response = client.get(reverse("certification:verify", args=[certificate.token]))
    html = response.content.decode()
    assert response.status_code == 200
    assert "verify-status ok" in html and "VALID" in html
    assert certificate.number in html and certificate.business_name in html
    assert "Keripik rasa 01" in html
    assert cast.owner.email not in html


def test_a_revoked_certificate_says_so_with_date_and_reason(
    cast: f.Cast, client: Client, django_capture_on_commit_callbacks: Any, mailoutbox: list[Any]
) -> None:
    certificate = _certificate(cast)
    assert client.get(_json_url(certificate.number)).json()["status"] == "valid"  # now cached
    assert "VALID" in client.get(reverse("certification:verify", args=[certificate.token])).content.decode()
    with django_capture_on_commit_callbacks(execute=True):
        certificate_revoke(certificate=certificate, actor=cast.reviewer, reason="Pork gelatin found in a sample.")
    body = client.get(_json_url(certificate.number)).json()
    assert body["status"] == "revoked"
    assert body["reason"] == "Pork gelatin found in a sample."
    assert body["revoked_at"] is not None
    html = client.get(reverse("certification:verify", args=[certificate.token])).content.decode()
    assert "REVOKED" in html and "Pork gelatin found in a sample." in html
    certificate.refresh_from_db()
    assert f"{certificate.revoked_at:%Y}" in html
    revoked_mail = [m for m in mailoutbox if "revoked" in m.subject]
    assert len(revoked_mail) == 1 and revoked_mail[0].to == [cast.owner.email]
    assert certificate.number in revoked_mail[0].subject
    assert "Pork gelatin found in a sample." in revoked_mail[0].body


def test_a_superseded_certificate_names_its_successor(cast: f.Cast, client: Client) -> None:
    old = _certificate(cast)
    Certificate.objects.filter(pk=old.pk).update(expires_on=timezone.localdate() + timedelta(days=60))  # pre-2023
    assert client.get(_json_url(old.number)).json()["status"] == "valid"  # cached, then invalidated on supersede
    assert "VALID" in client.get(reverse("certification:verify", args=[old.token])).content.decode()
    new = Certificate.objects.get(
        application=f.issued(cast, b=old.application.business, previous_certificate_id=old.pk)
    )
    old.refresh_from_db()
    assert (old.status, old.superseded_by_id) == ("superseded", new.pk)
    assert client.get(_json_url(old.number)).json()["status"] == "superseded"
    html = client.get(reverse("certification:verify", args=[old.token])).content.decode()
    assert "SUPERSEDED" in html and new.number in html


def test_an_unknown_token_is_a_clear_404_page(db: None, client: Client) -> None:
    response = client.get(reverse("certification:verify", args=["no-such-token-at-all"]))
    assert response.status_code == 404
    assert "Certificate not found" in response.content.decode()
    assert not Certificate.objects.exists()


def test_a_malformed_number_is_a_400_with_a_message(db: None, client: Client) -> None:
    response = client.get(_json_url("ID123"))
    assert response.status_code == 400
    assert "is not a certificate number" in response.json()["detail"]
    assert cache.get(cache_key("ID123")) is None


def test_an_unknown_number_is_a_404(db: None, client: Client) -> None:
    response = client.get(_json_url("ID18110000009991126"))
    assert response.status_code == 404
    assert "No certificate with the number ID18110000009991126" in response.json()["detail"]


def test_public_json_is_one_query_then_a_cache_hit(
    cast: f.Cast, client: Client, django_assert_num_queries: Any
) -> None:
    certificate = _certificate(cast)
    with django_assert_num_queries(1):
        assert client.get(_json_url(certificate.number)).status_code == 200
    with django_assert_num_queries(0):
        assert client.get(_json_url(certificate.number)).status_code == 200


def test_the_verification_page_is_two_queries_then_a_cache_hit(
    cast: f.Cast, client: Client, django_assert_num_queries: Any
) -> None:
    certificate = _certificate(cast)
    url = reverse("certification:verify", args=[certificate.token])
    # The certificate, and its products' catalogue pages (issue 18); both cached for the next visitor.
    with django_assert_num_queries(2):
        assert client.get(url).status_code == 200
    with django_assert_num_queries(0):
        assert certificate.number in client.get(url).content.decode()


def test_the_public_json_is_rate_limited(cast: f.Cast, client: Client, monkeypatch: pytest.MonkeyPatch) -> None:
    certificate = _certificate(cast)
    rates = {**ScopedRateThrottle.THROTTLE_RATES, "public_verify": "2/min"}
    monkeypatch.setattr(ScopedRateThrottle, "THROTTLE_RATES", rates)  # restored after the test
    monkeypatch.setattr(FixedWindowRateThrottle, "timer", lambda self: 6_030.0)  # mid-window: no reset mid-test
    codes = [client.get(_json_url(certificate.number)).status_code for _ in range(3)]
    assert codes == [200, 200, 429]


def test_the_verification_page_is_rate_limited_per_ip(cast: f.Cast, client: Client, settings: Any) -> None:
    certificate = _certificate(cast)
    settings.CERTIFICATE_VERIFY_RATE = "2/m"
    url = reverse("certification:verify", args=[certificate.token])
    answers = [client.get(url, REMOTE_ADDR="10.9.8.7") for _ in range(3)]
    assert [a.status_code for a in answers] == [200, 200, 429]  # as the API answers, with a hint when to retry
    assert 1 <= int(answers[2]["Retry-After"]) <= 60
    assert client.get(url, REMOTE_ADDR="10.9.8.6").status_code == 200


def test_the_number_lookup_redirects_to_the_verification_page(cast: f.Cast, client: Client) -> None:
    certificate = _certificate(cast)
    response = client.get(reverse("certification:verify-lookup"), {"number": certificate.number.lower()})
    assert response.status_code == 302
    assert response["Location"] == reverse("certification:verify", args=[certificate.token])


def test_the_number_lookup_says_not_found_or_malformed(db: None, client: Client) -> None:
    url = reverse("certification:verify-lookup")
    missing = client.get(url, {"number": "ID18110000009991126"})
    assert missing.status_code == 404
    assert "No certificate with the number ID18110000009991126 was found." in missing.content.decode()
    bad = client.get(url, {"number": "hello"})
    assert bad.status_code == 400
    assert "is not a certificate number" in bad.content.decode()
    assert client.get(url).status_code == 200


def test_the_landing_page_offers_the_verify_form(db: None, client: Client) -> None:
    html = client.get(reverse("landing")).content.decode()
    assert 'action="/verify/"' in html and reverse("certification:registry") in html


# --- Registry ---
def test_the_registry_searches_businesses_and_products_by_name_and_region(cast: f.Cast, client: Client) -> None:
    lampung = _certificate(cast)
    national(cast.reviewer), national(cast.pph)  # the Lampung cast also works a case of Jawa Timur here
    surabaya = _certificate(cast, b=f.business(cast.owner, region_code="3578", name="Dapur Surabaya"))
    url = reverse("certification:registry")
    page = client.get(url, {"q": "surabaya"}).content.decode()
    assert surabaya.number in page and lampung.number not in page
    page = client.get(url, {"q": "rasa 01", "region": "18"}).content.decode()
    assert lampung.number in page and surabaya.number not in page
    page = client.get(url, {"q": "nothing like this"}).content.decode()
    assert "No certified business matches your search." in page


@pytest.mark.parametrize("count", [1, 30])
def test_the_registry_pins_its_query_count(
    cast: f.Cast, client: Client, django_assert_num_queries: Any, count: int
) -> None:
    b = f.business(cast.owner)
    app = f.issued(cast, b=b)
    template = Certificate.objects.get(application=app)
    for i in range(count - 1):
        other = f.draft(cast.owner, "self_declare", b)
        Certificate.objects.create(
            application=other,
            number=f"ID1811{i + 100:09d}1126",
            token=f"token-{i}",
            issued_at=template.issued_at,
            business_name=b.name,
            business_address=b.address,
            nib=b.nib,
            region_name="Kota Bandar Lampung",
            region_code="1871",
            products=[{"name": f"Produk {i}", "category": "simple"}],
            products_text=f"Produk {i}",
            fatwa_number="KF",
            fatwa_date=template.fatwa_date,
            pathway="self_declare",
        )
    with django_assert_num_queries(2):  # count + page
        response = client.get(reverse("certification:registry"))
    assert response.status_code == 200
    assert response.content.decode().count('<tr><td><a href="/verify/') == min(count, 25)


def test_verification_writes_nothing(cast: f.Cast, client: Client) -> None:
    certificate = _certificate(cast)
    events = CertificateEvent.objects.count()
    client.get(reverse("certification:verify", args=[certificate.token]))
    client.get(_json_url(certificate.number))
    certificate.refresh_from_db()
    assert certificate.status == "valid" and CertificateEvent.objects.count() == events


def test_an_anonymous_visitor_gets_the_stored_page_with_their_own_csrf_token(
    cast: f.Cast, django_assert_num_queries: Any
) -> None:
    certificate = _certificate(cast)
    url = reverse("certification:verify", args=[certificate.token])
    first = Client(enforce_csrf_checks=True).get(url).content.decode()
    second_visitor = Client(enforce_csrf_checks=True)
    with django_assert_num_queries(0):
        second = second_visitor.get(url)
    html = second.content.decode()
    assert "VALID" in html and certificate.number in html
    token = html.split('name="csrfmiddlewaretoken" value="')[1].split('"')[0]
    assert token not in first and "csrf-token-of-this-request" not in html
    # The token is this visitor's: the language form on the stored page works for them.
    answer = second_visitor.post(reverse("set_language"), {"language": "en", "next": url, "csrfmiddlewaretoken": token})
    assert answer.status_code == 302


def test_a_signed_in_visitor_or_a_query_string_gets_a_page_rendered_for_them(cast: f.Cast) -> None:
    certificate = _certificate(cast)
    url = reverse("certification:verify", args=[certificate.token])
    assert "account_logout" not in Client().get(url).content.decode()  # stored for anonymous visitors
    signed_in = Client()
    signed_in.force_login(cast.owner)
    assert reverse("account_logout") in signed_in.get(url).content.decode()
    assert 'value="/verify/' in Client().get(url + "?utm=poster").content.decode()  # its own `next`, with the query
    assert "utm=poster" in Client().get(url + "?utm=poster").content.decode()
    assert "utm=poster" not in Client().get(url).content.decode()  # and never stored for the plain address
