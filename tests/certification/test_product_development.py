"""Product development (pengembangan produk): a change to an issued certificate is a short case on the same workflow;
its approval gives the certificate a new revision with the same number (issue 17)."""

from __future__ import annotations

from typing import Any

import pytest
from django.test import TestCase
from django.urls import reverse
from django.utils import translation

from certification import services
from certification.models import Application, Certificate, CertificateCounter, CertificateEvent, CertificateRevision
from core.errors import DomainError
from tests.certification import factories as f
from tests.pdftools import pdf_text


def _text(path: str) -> str:
    return pdf_text(path)


def _development(cast: f.Cast, certificate: Certificate, *names: str, pathway: str = "self_declare") -> Application:
    business = certificate.application.business
    products = [f.product(business, name=name) for name in names]
    app = services.application_create(
        actor=cast.owner,
        business_id=business.pk,
        pathway=pathway,
        product_ids=[p.pk for p in products],
        document_ids=[d.pk for d in business.documents.all()],
        developed_certificate_id=certificate.pk,
        **({"lph_id": f.lph().pk} if pathway == "regular" else {}),
    )
    if pathway == "self_declare":
        services.pledge_sign(application_id=app.pk, actor=cast.owner)
    return app


def test_an_approved_development_gives_the_same_certificate_a_new_revision(
    cast: f.Cast, client: Any, settings: Any, tmp_path: Any
) -> None:
    settings.MEDIA_ROOT = tmp_path / "media"
    original = Certificate.objects.get(application=f.issued(cast))
    counter = CertificateCounter.objects.filter(province_code="18").values_list("last_value", flat=True).first()
    app = f.drive(_development(cast, original, "Keripik balado"), "issuance", cast)
    with TestCase.captureOnCommitCallbacks(execute=True):
        services.application_transition(
            application_id=app.pk, action="issue", actor=cast.reviewer, **f.payload_for("issue", cast)
        )
    certificate = Certificate.objects.get(pk=original.pk)
    assert (certificate.number, certificate.revision) == (original.number, 2)
    assert certificate.product_names == ["Keripik rasa 01", "Keripik balado"]
    assert not Certificate.objects.filter(application=app).exists()  # no second certificate
    assert (  # no new number (none at all in the default mode, where the number is BPJPH's)
        CertificateCounter.objects.filter(province_code="18").values_list("last_value", flat=True).first() == counter
    )
    revisions = list(CertificateRevision.objects.filter(certificate=certificate).values_list("revision", "added"))
    assert revisions == [(1, ["Keripik rasa 01"]), (2, ["Keripik balado"])]
    assert CertificateEvent.objects.filter(certificate=certificate, action="revise").count() == 1
    # The worker rendered the new revision.
    assert (
        certificate.pdf and "Revisi" in _text(certificate.pdf.path) and "Keripik balado" in _text(certificate.pdf.path)
    )
    # Public verification: the current revision, and which products came when.
    page = client.get(reverse("certification:verify", args=[certificate.token]), HTTP_ACCEPT_LANGUAGE="en")
    body = page.content.decode()
    assert 'id="revision"' in body and "Revision 2" in body
    assert "Keripik balado" in body.split('id="revision-history"')[1]


def test_a_changed_product_replaces_its_old_entry_instead_of_doubling_it(cast: f.Cast) -> None:
    original = Certificate.objects.get(application=f.issued(cast, products=2))
    app = f.drive(_development(cast, original, "Keripik rasa 02"), "issuance", cast)
    services.application_transition(
        application_id=app.pk, action="issue", actor=cast.reviewer, **f.payload_for("issue", cast)
    )
    certificate = Certificate.objects.get(pk=original.pk)
    assert certificate.product_names == ["Keripik rasa 01", "Keripik rasa 02"]
    assert CertificateRevision.objects.get(certificate=certificate, revision=2).added == ["Keripik rasa 02"]


def test_a_regular_development_goes_through_the_lph_and_the_fatwa(cast: f.Cast, fee_schedules: None) -> None:
    original = Certificate.objects.get(application=f.issued(cast))
    app = f.drive(_development(cast, original, "Keripik pedas", pathway="regular"), "issuance", cast)
    actions = list(app.events.values_list("action", flat=True))
    assert {"appoint_lph", "record_audit", "declare_halal"} <= set(actions)
    services.application_transition(
        application_id=app.pk, action="issue", actor=cast.reviewer, **f.payload_for("issue", cast)
    )
    assert Certificate.objects.get(pk=original.pk).revision == 2


def test_only_a_valid_certificate_of_ones_own_business_can_be_developed(cast: f.Cast, bob: Any) -> None:
    original = Certificate.objects.get(application=f.issued(cast))
    other = f.business(bob)
    before = Application.objects.count()
    with translation.override("en"), pytest.raises(DomainError, match="valid certificate of this business"):
        services.application_create(
            actor=bob,
            business_id=other.pk,
            pathway="self_declare",
            product_ids=[],
            developed_certificate_id=original.pk,
        )
    Certificate.objects.filter(pk=original.pk).update(status=Certificate.Status.REVOKED)
    with translation.override("en"), pytest.raises(DomainError, match="valid certificate of this business"):
        _development(cast, original, "Keripik manis")
    assert Application.objects.count() == before


def test_a_development_of_a_certificate_revoked_meanwhile_is_not_issued(cast: f.Cast) -> None:
    original = Certificate.objects.get(application=f.issued(cast))
    app = f.drive(_development(cast, original, "Keripik keju"), "issuance", cast)
    Certificate.objects.filter(pk=original.pk).update(status=Certificate.Status.REVOKED)
    with translation.override("en"), pytest.raises(DomainError, match="no longer valid"):
        services.application_transition(
            application_id=app.pk, action="issue", actor=cast.reviewer, **f.payload_for("issue", cast)
        )
    app.refresh_from_db()
    assert app.state == "issuance" and Certificate.objects.get(pk=original.pk).revision == 1


def test_the_owner_starts_a_development_from_the_certificate(cast: f.Cast, client: Any) -> None:
    app = f.issued(cast)
    certificate = Certificate.objects.get(application=app)
    client.force_login(cast.owner)
    page = client.get(reverse("certification:owner-application", args=[app.pk])).content.decode()
    link = f"{reverse('certification:apply')}?business={app.business_id}&amp;develop={certificate.pk}"
    assert link in page
    form = client.get(link.replace("&amp;", "&")).content.decode()
    assert f'<option value="{certificate.pk}" selected>' in form


@pytest.mark.browser
@pytest.mark.django_db(transaction=True)
def test_journey_an_owner_adds_a_product_from_a_phone_and_the_certificate_shows_revision_2(
    page: Any, live_server: Any, cast: f.Cast, settings: Any, tmp_path: Any
) -> None:
    from django.conf import settings as django_settings
    from django.test import Client

    settings.MEDIA_ROOT = tmp_path / "media"

    def login(user: Any) -> None:
        client = Client()
        client.force_login(user)
        cookie = client.cookies[django_settings.SESSION_COOKIE_NAME]
        page.context.clear_cookies()
        page.context.add_cookies(
            [{"name": django_settings.SESSION_COOKIE_NAME, "value": cookie.value, "url": live_server.url}]
        )

    def act(action: str) -> None:
        page.click(f"form.action-form:has(input[name=action][value={action}]) button[type=submit]")
        page.wait_for_selector(".msg")

    page.set_viewport_size({"width": 360, "height": 740})
    issued = f.issued(cast)
    certificate = Certificate.objects.get(application=issued)
    f.product(issued.business, name="Keripik balado")

    # The owner, on a phone: from the certificate to a product development, then submits it.
    login(cast.owner)
    page.goto(f"{live_server.url}/applications/{issued.pk}/")
    page.click("a:has-text('Tambah produk atau perubahan')")
    assert page.locator("#id_developed_certificate").input_value() == str(certificate.pk)
    page.check("input[name=pathway][value=self_declare]")
    page.check("label:has-text('Keripik balado') input")
    for box in page.locator("input[name=documents]").all():
        box.check()
    page.check("#id_pledge")
    page.click("button:has-text('Simpan draf')")
    page.wait_for_url("**/applications/*/")
    assert page.evaluate("document.documentElement.scrollWidth") <= 360
    development = Application.objects.exclude(pk=issued.pk).get()
    assert development.developed_certificate_id == certificate.pk
    page.fill("form.action-form [name=sihalal_registration]", "SH2026-1-000999")  # the default: SIHALAL's number
    act("submit")
    development.refresh_from_db()
    assert development.state == "submitted"

    # The office assigns the assistant, who checks the change on a phone.
    services.application_transition(
        application_id=development.pk, action="assign_pph", actor=cast.reviewer, pph=cast.pph.pk
    )
    login(cast.pph)
    f.verify_all(development, cast.pph, recommendation="Balado seasoning checked: supplier certificate valid.")
    page.goto(f"{live_server.url}/cases/{development.pk}/")
    act("pph_validate")
    development.refresh_from_db()
    assert development.state == "verification"

    # The reviewer verifies and records the fatwa, then issues the revision.
    login(cast.reviewer)
    page.goto(f"{live_server.url}/cases/{development.pk}/")
    act("verify")
    page.fill("input[name=fatwa_number]", "KF-2026/099")
    page.fill("input[name=fatwa_date]", "2026-03-03")
    act("declare_halal")
    act("issue")
    certificate.refresh_from_db()
    assert certificate.revision == 2 and "Keripik balado" in certificate.product_names

    # Anyone: the public verification page shows revision 2 and when the new product came.
    page.context.clear_cookies()
    page.goto(f"{live_server.url}/verify/{certificate.token}/")
    assert "Revisi 2" in page.inner_text("#revision")
    assert "Keripik balado" in page.inner_text("#revision-history")
    assert page.evaluate("document.documentElement.scrollWidth") <= 360


def test_the_development_case_names_the_certificate_it_amends_on_both_pages(cast: f.Cast) -> None:
    from django.test import Client

    certificate = Certificate.objects.get(application=f.issued(cast))
    app = _development(cast, certificate, "Keripik rasa balado")
    for user, url in ((cast.owner, f"/applications/{app.pk}/"), (cast.reviewer, f"/cases/{app.pk}/")):
        client = Client()
        client.force_login(user)
        page = client.get(url).content.decode()
        link = f'<a href="{reverse("certification:verify", args=[certificate.token])}">{certificate.number}</a>'
        assert 'id="amends"' in page and link in page
