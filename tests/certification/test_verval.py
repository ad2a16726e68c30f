"""The assistant's verification (verval): checklist, visit, GPS, photos, recommendation; pph_validate needs it
complete; findings go back to the owner; the validation report PDF is built from it (issue 16)."""

from __future__ import annotations

import io
from decimal import Decimal
from pathlib import Path
from typing import Any

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client, TestCase
from django.urls import reverse
from django.utils import timezone, translation
from PIL import Image

from applicants.models import Ingredient, ProcessStep
from certification import services
from certification.models import (
    Application,
    ApplicationEvent,
    CaseDocument,
    Verification,
    VerificationItem,
    VerificationPhoto,
)
from certification.verification import services as verification_services
from core.errors import DomainError
from tests import pdftools
from tests.certification import factories as f


def _client(user: Any, language: str = "en") -> Client:
    client = Client(HTTP_ACCEPT_LANGUAGE=language)
    client.force_login(user)
    return client


def png(name: str = "visit.png", size: tuple[int, int] = (1200, 800)) -> SimpleUploadedFile:
    buffer = io.BytesIO()
    Image.new("RGB", size, (61, 195, 163)).save(buffer, format="PNG")
    return SimpleUploadedFile(name, buffer.getvalue(), content_type="image/png")


@pytest.fixture
def case(cast: f.Cast) -> Application:
    """A self-declare case with the assistant: one product, two ingredients and two process steps."""
    app = f.draft(cast.owner, "self_declare")
    product = app.products.get()
    ProcessStep.objects.create(product=product, order=1, stage="receipt", description="Pisang diterima dari kebun.")
    ProcessStep.objects.create(product=product, order=2, stage="processing", description="Digoreng dengan minyak.")
    return f.drive(app, "pph_verification", cast)


_SEPARATION = "Separation from non-halal production"


def _keys(app: Application) -> list[str]:
    return [row.key for row in verification_services.checklist(app)]


def _written(app: Application) -> tuple[int, int, int]:
    return (
        Verification.objects.filter(application=app).count(),
        VerificationItem.objects.filter(verification__application=app).count(),
        VerificationPhoto.objects.filter(verification__application=app).count(),
    )


# --- The record ---
def test_the_checklist_has_a_line_per_ingredient_and_process_step_and_the_facility_and_practice_lines(
    case: Application,
) -> None:
    rows = verification_services.checklist(case)
    assert [row.kind for row in rows] == ["ingredient", "ingredient", "step", "step", *["practice"] * 7]
    assert [row.label for row in rows][2:5] == ["1. Receipt of ingredients", "2. Processing", _SEPARATION]
    assert [row.key for row in rows][4:] == [
        "p-separation",
        "p-najis",
        "p-cleaning",
        "p-equipment",
        "p-storage",
        "p-product_name",
        "p-pledge",
    ]


def test_the_assistant_records_verdicts_visit_position_photos_and_recommendation(
    case: Application, cast: f.Cast
) -> None:
    keys = _keys(case)
    verification = verification_services.verification_save(
        application_id=case.pk,
        actor=cast.pph,
        items={
            keys[0]: {"verdict": "conforms"},
            keys[1]: {"verdict": "doubtful", "note": "Sertifikat halal minyak goreng belum ada."},
        },
        visit_date=timezone.localdate().isoformat(),
        latitude="-5.42",
        longitude="105.26",
        recommendation="Lanjutkan setelah sertifikat minyak dilampirkan.",
        photos=[png()],
    )
    assert (verification.latitude, verification.longitude) == (Decimal("-5.420000"), Decimal("105.260000"))
    assert _written(case) == (1, 2, 1)
    photo = verification.photos.get()
    assert photo.width == 960 and photo.photo.read(3) == b"\xff\xd8\xff"  # re-encoded as a JPEG, resized
    # a second save changes a verdict and keeps the others
    verification_services.verification_save(
        application_id=case.pk, actor=cast.pph, items={keys[1]: {"verdict": "conforms", "note": ""}}
    )
    verdicts = dict(VerificationItem.objects.filter(verification=verification).values_list("id", "verdict"))
    assert sorted(verdicts.values()) == ["conforms", "conforms"]


@pytest.mark.parametrize(
    ("entry", "message"),
    [
        ({"verdict": "", "note": "Minyak tanpa merek."}, "Choose a verdict for"),
        ({"verdict": "maybe", "note": "x"}, "Choose “conforms”, “does not conform” or “doubtful”"),
        ({"verdict": "not_conforming", "note": " "}, "Write a note for"),
        ({"verdict": "doubtful", "note": ""}, "Write a note for"),
    ],
)
def test_a_bad_checklist_line_is_refused_and_nothing_is_written(
    case: Application, cast: f.Cast, entry: dict[str, str], message: str
) -> None:
    keys = _keys(case)
    with pytest.raises(DomainError, match=message) as error:
        verification_services.verification_save(
            application_id=case.pk, actor=cast.pph, items={keys[0]: {"verdict": "conforms"}, keys[1]: entry}
        )
    assert keys[1] in error.value.errors
    assert _written(case) == (0, 0, 0)


def test_a_line_of_another_case_is_refused(case: Application, cast: f.Cast, bob: Any) -> None:
    other = f.product(f.business(bob), name="Keripik lain")
    foreign = Ingredient.objects.filter(product=other).first()
    with pytest.raises(DomainError, match="is not part of this case"):
        verification_services.verification_save(
            application_id=case.pk, actor=cast.pph, items={f"ingredient-{foreign.pk}": {"verdict": "conforms"}}
        )
    assert _written(case) == (0, 0, 0)


@pytest.mark.parametrize(
    ("latitude", "longitude", "message"),
    [
        ("51.5", "-0.12", "is outside Indonesia"),  # London
        ("-5.42", "150.0", "is outside Indonesia"),
        ("-5.42", "", "needs both a latitude and a longitude"),
        ("abc", "105.26", "is not a number"),
        ("NaN", "105.26", "is not a number"),
    ],
)
def test_a_gps_position_outside_indonesia_is_refused(
    case: Application, cast: f.Cast, latitude: str, longitude: str, message: str
) -> None:
    with pytest.raises(DomainError, match=message):
        verification_services.verification_save(
            application_id=case.pk, actor=cast.pph, latitude=latitude, longitude=longitude, recommendation="x"
        )
    assert _written(case) == (0, 0, 0)


def test_the_gps_message_is_indonesian(case: Application, cast: f.Cast) -> None:
    with translation.override("id"), pytest.raises(DomainError, match="di luar Indonesia"):
        verification_services.verification_save(
            application_id=case.pk, actor=cast.pph, latitude="51.5", longitude="-0.12"
        )


def test_a_photo_that_is_not_an_image_is_refused(case: Application, cast: f.Cast) -> None:
    fake = SimpleUploadedFile("foto.jpg", b"%PDF-1.4 not a photo", content_type="image/jpeg")
    with pytest.raises(DomainError, match="must be a JPEG, PNG or WebP image"):
        verification_services.verification_save(
            application_id=case.pk,
            actor=cast.pph,
            items={_keys(case)[0]: {"verdict": "conforms"}},
            photos=[png(), fake],
        )
    assert _written(case) == (0, 0, 0)


def test_only_the_assigned_assistant_while_the_case_is_with_them(
    case: Application, cast: f.Cast, make_user: Any
) -> None:
    other = make_user("putri@example.test", "pph", full_name="Putri")
    for who in (other, cast.owner, cast.reviewer):
        with pytest.raises(DomainError, match="Only the assistant assigned"):
            verification_services.verification_save(application_id=case.pk, actor=who, recommendation="x")
    assert _written(case) == (0, 0, 0)


# --- pph_validate ---
def _validate(app: Application, actor: Any) -> Application:
    return services.application_transition(application_id=app.pk, action="pph_validate", actor=actor)


def test_pph_validate_with_an_incomplete_checklist_is_refused(case: Application, cast: f.Cast) -> None:
    keys = _keys(case)
    verification_services.verification_save(
        application_id=case.pk,
        actor=cast.pph,
        items={key: {"verdict": "conforms"} for key in keys[:-1]},
        visit_date=timezone.localdate(),
        recommendation="Layak.",
    )
    with pytest.raises(DomainError, match=r"Complete the checklist before validating: 1 lines have no verdict"):
        _validate(case, cast.pph)
    case.refresh_from_db()
    assert (case.state, case.pph_report) == ("pph_verification", "")
    assert not ApplicationEvent.objects.filter(application=case, action="pph_validate").exists()
    assert not CaseDocument.objects.filter(application=case).exists()


def test_pph_validate_without_any_record_is_refused(case: Application, cast: f.Cast) -> None:
    with pytest.raises(DomainError, match="Complete the checklist before validating: 11 lines"):
        _validate(case, cast.pph)
    case.refresh_from_db()
    assert case.state == "pph_verification"


def test_pph_validate_with_a_line_that_does_not_conform_is_refused(case: Application, cast: f.Cast) -> None:
    f.verify_all(case, cast.pph)
    key = _keys(case)[1]
    verification_services.verification_save(
        application_id=case.pk, actor=cast.pph, items={key: {"verdict": "not_conforming", "note": "Ada babi."}}
    )
    with pytest.raises(DomainError, match="1 checklist lines do not conform"):
        _validate(case, cast.pph)
    case.refresh_from_db()
    assert case.state == "pph_verification"


def _pdf_text(data: bytes, tmp_path: Path) -> str:
    path = tmp_path / "report.pdf"
    path.write_bytes(data)
    artifacts = Path("test-artifacts")
    artifacts.mkdir(exist_ok=True)
    (artifacts / "verval-validation-report.pdf").write_bytes(data)
    return pdftools.pdf_text(data)


def test_pph_validate_with_a_doubtful_line_is_refused_and_nothing_is_written(case: Application, cast: f.Cast) -> None:
    keys = _keys(case)
    f.verify_all(case, cast.pph)
    verification_services.verification_save(
        application_id=case.pk,
        actor=cast.pph,
        items={keys[0]: {"verdict": "doubtful", "note": "Label pemasok tidak terbaca."}},
    )
    with TestCase.captureOnCommitCallbacks(execute=True), pytest.raises(DomainError) as error:
        _validate(case, cast.pph)
    assert "1 checklist lines are still doubtful (Keripik pisang · Bahan 0)" in str(error.value)
    case.refresh_from_db()
    assert (case.state, case.pph_report) == ("pph_verification", "")
    assert not ApplicationEvent.objects.filter(application=case, action="pph_validate").exists()
    assert not CaseDocument.objects.filter(application=case).exists()


def test_pph_validate_renders_the_validation_report_pdf_with_every_line_and_its_evidence(
    case: Application, cast: f.Cast, bob: Any, tmp_path: Path
) -> None:
    keys = _keys(case)
    f.verify_all(case, cast.pph, latitude="-5.429300", longitude="105.261100", photos=[png()])
    verification_services.verification_save(
        application_id=case.pk,
        actor=cast.pph,
        items={keys[0]: {"verdict": "conforms", "note": "Label pemasok terbaca jelas."}},
    )
    with TestCase.captureOnCommitCallbacks(execute=True):
        _validate(case, cast.pph)
    case.refresh_from_db()
    assert (case.state, case.pph_report) == ("verification", "Proses sesuai ikrar; layak dilanjutkan.")
    document = CaseDocument.objects.get(application=case, kind=CaseDocument.Kind.VALIDATION_REPORT)
    url = reverse("certification:case-document", args=[case.pk, "validation_report"])
    response = _client(cast.owner).get(url)
    assert response.status_code == 200 and response["Content-Type"] == "application/pdf"
    data = b"".join(response.streaming_content)
    assert data.startswith(b"%PDF") and document.number.startswith("LHV/")
    text = _pdf_text(data, tmp_path)
    assert "LAPORAN HASIL VERIFIKASI DAN VALIDASI" in text
    assert "Bahan: Bahan 0" in text and "Label pemasok terbaca jelas." in text
    assert "Daftar positif (KMA" in text and "1360/2021): air" in text  # what the ingredient line rests on
    assert "Fasilitas dan praktik: Terpisah dari produksi" in text and "Dilihat di lokasi" in text
    assert "Fasilitas dan praktik: Ikrar pelaku usaha" in text
    assert text.count("Sesuai") >= 11 and "-5.429300, 105.261100" in text
    flat = " ".join(text.split())  # the regulation in force (PP 42/2024 replaced PP 39/2021 on 17 October 2024)
    assert "Peraturan Pemerintah No. 42 Tahun 2024" in flat and "39 Tahun 2021" not in flat
    assert case.evidence is not None and case.evidence.content_hash in text
    assert _client(bob).get(url).status_code == 404
    # the owner's and the staff case page link it and show the checklist
    owner_page = _client(cast.owner).get(f"/applications/{case.pk}/").content.decode()
    staff_page = _client(cast.reviewer).get(f"/cases/{case.pk}/").content.decode()
    for body in (owner_page, staff_page):
        assert url in body and "Label pemasok terbaca jelas." in body
    photo = Verification.objects.get(application=case).photos.get()
    assert reverse("certification:verval-photo", args=[case.pk, photo.pk, "thumb"]) in staff_page


# --- Findings send the case back ---
def test_the_assistant_returns_the_case_with_the_findings_listed(
    case: Application, cast: f.Cast, mailoutbox: list[Any]
) -> None:
    keys = _keys(case)
    f.verify_all(case, cast.pph)
    verification_services.verification_save(
        application_id=case.pk,
        actor=cast.pph,
        items={
            keys[1]: {"verdict": "doubtful", "note": "Minyak goreng tanpa sertifikat halal."},
            keys[3]: {"verdict": "not_conforming", "note": "Penggorengan dipakai bersama usaha lain."},
        },
    )
    with TestCase.captureOnCommitCallbacks(execute=True):
        services.application_transition(
            application_id=case.pk, action="return", actor=cast.pph, reason="Perbaiki temuan berikut."
        )
    case.refresh_from_db()
    notice = mailoutbox[-1]
    assert notice.to == [cast.owner.email]
    assert "Penggorengan dipakai bersama usaha lain." in notice.body
    assert case.state == "returned"
    assert case.return_reason.startswith("Perbaiki temuan berikut.")
    assert "Bahan 1: Doubtful — Minyak goreng tanpa sertifikat halal." in case.return_reason
    assert "2. Processing: Does not conform — Penggorengan dipakai bersama usaha lain." in case.return_reason
    body = _client(cast.owner, "id").get(f"/applications/{case.pk}/").content.decode()
    assert 'id="findings"' in body and "Penggorengan dipakai bersama usaha lain." in body
    assert "Tidak sesuai" in body


# --- The phone page ---
def test_the_page_saves_the_checklist_and_shows_errors_with_the_input_kept(case: Application, cast: f.Cast) -> None:
    keys = _keys(case)
    url = reverse("certification:verval", args=[case.pk])
    client = _client(cast.pph)
    page = client.get(url)
    assert page.status_code == 200
    assert 'src="/static/js/verval-gps.js"' in page.content.decode()
    response = client.post(
        url,
        {
            f"verdict-{keys[0]}": "conforms",
            f"verdict-{keys[1]}": "not_conforming",
            f"note-{keys[1]}": "",
            "visit_date": timezone.localdate().isoformat(),
            "recommendation": "Tulisan rekomendasi",
        },
    )
    assert response.status_code == 400
    body = response.content.decode()
    assert "Write a note for" in body and "Tulisan rekomendasi" in body
    assert "(&#x27;" not in body and "[&#x27;" not in body  # no Python tuple of (line key, messages) shown
    assert body.count("Write a note for") == 2  # the flash message and the line itself, nothing else
    assert _written(case) == (0, 0, 0)
    response = client.post(
        url,
        {
            **{f"verdict-{key}": "conforms" for key in keys},
            "visit_date": timezone.localdate().isoformat(),
            "latitude": "-5.420000",
            "longitude": "105.260000",
            "recommendation": "Layak.",
            "photos": png(),
            "done": "1",
        },
    )
    assert response.status_code == 302 and response["Location"] == reverse("certification:case", args=[case.pk])
    assert _written(case) == (1, 11, 1)
    # in Indonesian the saved position is posted back unchanged (no decimal comma in the hidden inputs)
    body = _client(cast.pph, "id").get(url).content.decode()
    assert 'name="latitude" value="-5.420000"' in body and 'name="longitude" value="105.260000"' in body


def test_the_page_refuses_a_non_image_and_a_position_abroad_with_a_message(case: Application, cast: f.Cast) -> None:
    url = reverse("certification:verval", args=[case.pk])
    client = _client(cast.pph, "id")
    fake = SimpleUploadedFile("foto.png", b"GIF89a nope", content_type="image/png")
    response = client.post(url, {"recommendation": "x", "photos": fake})
    assert response.status_code == 400 and "Foto harus berupa gambar JPEG, PNG atau WebP" in response.content.decode()
    response = client.post(url, {"recommendation": "x", "latitude": "35.68", "longitude": "139.69"})
    assert response.status_code == 400 and "di luar Indonesia" in response.content.decode()
    assert _written(case) == (0, 0, 0)


def test_someone_elses_case_answers_404(case: Application, cast: f.Cast, make_user: Any, bob: Any) -> None:
    other = make_user("putri@example.test", "pph", full_name="Putri")
    url = reverse("certification:verval", args=[case.pk])
    assert _client(other).get(url).status_code == 404
    assert _client(other).post(url, {"recommendation": "x"}).status_code == 404
    assert _client(cast.owner).get(url).status_code == 403  # not an assistant at all
    assert _written(case) == (0, 0, 0)
    f.verify_all(case, cast.pph, photos=[png()])
    photo = VerificationPhoto.objects.get(verification__application=case)
    photo_url = reverse("certification:verval-photo", args=[case.pk, photo.pk, "photo"])
    assert _client(bob).get(photo_url).status_code == 404
    assert _client(other).get(photo_url).status_code == 404
    response = _client(cast.owner).get(photo_url)
    assert response.status_code == 200 and response["Content-Type"] == "image/jpeg"
    # once validated, the case is no longer with the assistant: the page is gone, the record stays readable
    _validate(case, cast.pph)
    assert _client(cast.pph).get(url).status_code == 404


# --- API ---
def test_the_api_exposes_the_record_read_only_to_those_who_see_the_case(
    case: Application, cast: f.Cast, api_as: Any, bob: Any, django_assert_max_num_queries: Any
) -> None:
    f.verify_all(case, cast.pph, latitude="-5.42", longitude="105.26", photos=[png()])
    url = f"/api/v1/applications/{case.pk}/"
    client = api_as(cast.owner)
    # the record adds a constant 7 queries (record, items, photos, products, ingredients, steps, report)
    with django_assert_max_num_queries(12):
        response = client.get(url)
    assert response.status_code == 200
    data = response.json()["verification"]
    assert data["complete"] is True and data["findings"] == 0 and len(data["items"]) == 11
    assert float(data["latitude"]) == -5.42 and len(data["photos"]) == 1
    assert {item["verdict"] for item in data["items"]} == {"conforms"}
    assert api_as(cast.pph).get(url).json()["verification"]["recommendation"]
    assert api_as(bob).get(url).status_code == 404


def test_the_api_transition_still_accepts_the_visit_date_and_report(
    case: Application, cast: f.Cast, api_as: Any
) -> None:
    f.verify_all(case, cast.pph, visit_date="", recommendation="")
    day = timezone.localdate().isoformat()
    response = api_as(cast.pph).post(
        f"/api/v1/applications/{case.pk}/transitions/",
        {"action": "pph_validate", "visit_date": day, "report": "Sesuai."},
        format="json",
    )
    assert response.status_code == 200, response.content
    case.refresh_from_db()
    assert (case.state, case.pph_report, str(case.pph_visit_date)) == ("verification", "Sesuai.", day)
    assert Verification.objects.get(application=case).recommendation == "Sesuai."


def test_the_assistant_removes_a_photo_and_cannot_remove_another_cases(case: Application, cast: f.Cast) -> None:
    f.verify_all(case, cast.pph, photos=[png(), png("b.png")])
    first, second = VerificationPhoto.objects.filter(verification__application=case).order_by("id")
    with pytest.raises(DomainError, match="not part of this verification"):
        verification_services.verification_save(application_id=case.pk, actor=cast.pph, remove_photo_ids=[999_999])
    assert VerificationPhoto.objects.filter(verification__application=case).count() == 2
    response = _client(cast.pph).post(
        reverse("certification:verval", args=[case.pk]), {"remove_photo": [str(first.pk)], "recommendation": "x"}
    )
    assert response.status_code == 302
    assert list(VerificationPhoto.objects.filter(verification__application=case)) == [second]


def test_the_api_refuses_pph_validate_with_an_incomplete_checklist(
    case: Application, cast: f.Cast, api_as: Any
) -> None:
    response = api_as(cast.pph).post(
        f"/api/v1/applications/{case.pk}/transitions/", {"action": "pph_validate"}, format="json"
    )
    assert response.status_code == 400
    assert "Complete the checklist before validating" in str(response.json())
    case.refresh_from_db()
    assert case.state == "pph_verification" and not Verification.objects.filter(application=case).exists()
