from __future__ import annotations

from typing import Any

from django.core.management import call_command
from django.utils import timezone

from certification.models import Application, SehatiQuota
from tests.pdftools import pdf_text


def test_demo_creates_cases_in_every_state_and_a_second_run_adds_nothing(db: None, settings: Any) -> None:
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
    call_command("demo", force=True, stdout=open("/dev/null", "w"))  # noqa: SIM115, PTH123
    count = Application.objects.count()
    states = set(Application.objects.values_list("state", flat=True))
    assert {"draft", "submitted", "pph_verification", "verification", "fatwa", "issuance", "issued"} <= states
    assert {"returned", "rejected", "cancelled"} <= states
    owner1 = set(
        Application.objects.filter(business__owner__email="owner1@demo.test").values_list("pathway", flat=True)
    )
    assert "self_declare" in owner1
    assert SehatiQuota.objects.filter(region__isnull=True).exists()
    assert Application.objects.filter(due_on__isnull=False).exists()
    call_command("demo", force=True, stdout=open("/dev/null", "w"))  # noqa: SIM115, PTH123
    assert Application.objects.count() == count


def test_demo_certificates_are_numbered_rendered_and_one_is_revoked_one_superseded_and_the_demo_looks_real(
    db: None, settings: Any, tmp_path: Any
) -> None:
    from certification.models import Certificate

    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
    settings.MEDIA_ROOT = str(tmp_path / "media")
    call_command("demo", force=True, stdout=open("/dev/null", "w"))  # noqa: SIM115, PTH123
    _assert_the_demo_looks_real()
    issued = Application.objects.filter(state="issued").count()
    assert Certificate.objects.count() == issued >= 3
    assert not Certificate.objects.filter(pdf="").exists()
    assert Certificate.objects.filter(status="revoked").count() == 1
    superseded = Certificate.objects.get(status="superseded")
    assert superseded.superseded_by.status == "valid"
    names = sorted(Certificate.objects.values_list("pdf", flat=True))
    # The demo runs in the default mode: every certificate was recorded from BPJPH with a PDF marked SPESIMEN, and the
    # renewed one is a four-year certificate from before UU 6/2023 (only those expire and are renewed).
    assert set(Certificate.objects.values_list("issuer", flat=True)) == {"bpjph"}
    assert superseded.expires_on is not None
    for certificate in Certificate.objects.select_related("application"):
        # No certificate reads as issued before the fatwa it rests on (the demo dates some certificates back).
        assert certificate.fatwa_date <= timezone.localdate(certificate.issued_at), certificate.number
        assert certificate.application.fatwa_date == certificate.fatwa_date, certificate.number
        text = pdf_text(certificate.official_pdf.path)
        assert "SPESIMEN" in text and "BUKAN SERTIFIKAT HALAL" in text and certificate.number in text
    call_command("demo", force=True, stdout=open("/dev/null", "w"))  # noqa: SIM115, PTH123
    assert Certificate.objects.count() == issued
    assert sorted(Certificate.objects.values_list("pdf", flat=True)) == names


def test_demo_cases_past_the_assistant_have_a_complete_checklist_and_one_returns_with_findings(
    db: None, settings: Any
) -> None:
    from certification.models import ApplicationEvent
    from certification.verification import services as verification_services

    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
    call_command("demo", force=True, stdout=open("/dev/null", "w"))  # noqa: SIM115, PTH123
    validated = Application.objects.filter(events__action="pph_validate").distinct()
    assert validated.filter(business__owner__email="owner1@demo.test").count() >= 5
    for app in validated:
        rows = verification_services.checklist(app, app.verification)
        assert rows and all(row.item is not None for row in rows), app
        assert app.verification.visit_date and app.verification.recommendation
    returned = Application.objects.get(products__name="Kerupuk Udang")
    assert returned.state == "returned"
    assert ApplicationEvent.objects.filter(application=returned, action="return", from_state="pph_verification")
    assert "Bahan di dapur berbeda merek" in returned.return_reason
    assert [row.item.verdict for row in verification_services.findings(returned)] == ["doubtful"]


def test_the_demo_has_a_case_whose_snapshot_differs_from_the_live_dossier_and_every_chain_holds(
    db: None, settings: Any
) -> None:
    from io import StringIO

    from django.test import Client

    from applicants.models import Product
    from certification.demo import DIFFERING_BRAND, DIFFERING_PRODUCT
    from core.models import User

    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
    call_command("demo", force=True, stdout=open("/dev/null", "w"))  # noqa: SIM115, PTH123
    product = Product.objects.get(name=DIFFERING_PRODUCT, business__owner__email="owner1@demo.test")
    app = product.applications.get()
    frozen = next(p for p in app.evidence.content["products"] if p["id"] == product.pk)
    assert (frozen["brand"], product.brand) == ("", DIFFERING_BRAND)
    assert "Gula aren" not in [i["name"] for i in frozen["ingredients"]]
    assert product.ingredients.filter(name="Gula aren", exempt_claim=True).exists()
    client = Client(HTTP_ACCEPT_LANGUAGE="id")
    client.force_login(User.objects.get(email="owner1@demo.test"))
    page = client.get(f"/applications/{app.pk}/").content.decode()
    assert "Data usaha saat ini berbeda dari pengajuan ini pada" in page
    out = StringIO()
    call_command("verify_chains", stdout=out)  # the demo's backdated chains and heads hold
    assert "Every chain is intact." in out.getvalue()


def _assert_the_demo_looks_real() -> None:
    """Issue 32, item 15: no product of "Air + Garam", no 70-byte documents, no certificate before its fatwa, no
    business whose supervisor field disagrees with its people records. (Checked inside a test that loads the demo
    anyway: a demo load is the suite's most expensive set-up.)"""
    import io

    from django.db.models import Count
    from PIL import Image

    from applicants.models import Business, Document, Person, Product
    from certification.models import Certificate

    thin = Product.objects.annotate(n=Count("ingredients")).filter(n__lt=3)
    assert list(thin.values_list("name", "n")) == []
    assert not Product.objects.annotate(n=Count("steps")).filter(n=0, applications__isnull=False).exists()
    # Made of what they are: the cassava crisps of cassava and palm oil with its certificate, the salt on the list.
    crisps = Product.objects.get(name="Keripik Singkong Balado").ingredients.all()
    assert {"Singkong", "Minyak goreng sawit", "Garam", "Bawang putih"} <= {i.name for i in crisps}
    oil = crisps.get(name="Minyak goreng sawit")
    assert oil.halal_certificate_number.startswith("ID") and oil.producer and not oil.is_doubtful
    assert crisps.get(name="Singkong").positive_list_entry is not None

    documents = Document.objects.all()
    assert documents.count() >= 12 and not documents.filter(size__lt=1024).exists()
    for document in documents:
        content = document.file.read()
        assert len(content) == document.size >= 1024 and document.sha256, document.original_name
        if document.kind == Document.Kind.PRODUCT_PHOTO:
            with Image.open(io.BytesIO(content)) as photo:
                assert photo.format == "PNG" and photo.size == (640, 480)
        else:
            assert content.startswith(b"%PDF-")
    flow = documents.filter(kind=Document.Kind.PROCESS_FLOW, business__owner__email="owner1@demo.test").first()
    assert flow is not None and "Keripik Singkong Balado" in pdf_text(flow.file.path)
    nib = documents.filter(kind=Document.Kind.NIB).select_related("business").first()
    assert nib is not None and nib.business.nib in pdf_text(nib.file.path)
    for app in Application.objects.exclude(payment_proof=""):
        assert app.payment_proof.size >= 1024 and app.payment_proof.read().startswith(b"%PDF-")
    for app in Application.objects.exclude(audit_report=""):
        assert app.audit_report.size >= 1024

    for certificate in Certificate.objects.select_related("application"):
        assert certificate.fatwa_date <= timezone.localdate(certificate.issued_at), certificate.number

    for person in Person.objects.filter(role=Person.Role.SUPERVISOR).select_related("business"):
        assert person.business.halal_supervisor == person.name, person.business.name
    assert not Business.objects.filter(halal_supervisor__startswith="UMKM").exists()
    assert not Business.objects.filter(owner__full_name__startswith="UMKM").exists()
