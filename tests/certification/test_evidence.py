"""The record is evidence: each submission freezes what it rests on, every later screen reads the snapshot, and the
snapshot is never changed (issue 29)."""

from __future__ import annotations

import datetime as dt
import hashlib
from typing import Any

import pytest
from django.db import connection, transaction
from django.db.utils import InternalError
from django.test import Client
from django.urls import reverse

from applicants.models import DistributionPermit, Document, Ingredient, Product
from applicants.permits.services import permit_create, permit_delete, permit_update
from applicants.services import document_replace, product_delete, product_update
from certification import services
from certification.evidence.changes import diff
from certification.evidence.services import content_hash
from certification.models import Application, ApplicationEvent, Certificate, EvidenceSnapshot, SnapshotImmutable
from tests.certification import factories as f

pytestmark = pytest.mark.django_db


def _client(user: Any, language: str = "en") -> Client:
    client = Client(HTTP_ACCEPT_LANGUAGE=language)
    client.force_login(user)
    return client


def _rename(product: Product, name: str) -> None:
    product_update(actor=product.business.owner, product=product, fields={"name": name})


def test_submitting_freezes_the_business_products_ingredients_steps_and_documents(cast: f.Cast) -> None:
    draft = f.draft(cast.owner, "self_declare")
    product = draft.products.get()
    app = f.drive(draft, "submitted", cast)
    snapshot = app.evidence
    assert snapshot is not None and (snapshot.number, snapshot.kind) == (1, "submission")
    content = snapshot.content
    assert content["business"]["nib"] == app.business.nib
    frozen = content["products"][0]
    assert frozen["name"] == product.name
    assert [i["name"] for i in frozen["ingredients"]] == ["Bahan 0", "Bahan 1"]
    assert frozen["ingredients"][0]["classification"]["basis"] == "positive_list"
    assert frozen["ingredients"][0]["classification"]["evidence"]["id"] == "Daftar positif (KMA 1360/2021): air"
    documents = {d["kind"]: d for d in content["documents"]}
    assert set(documents) == {"nib", "product_photo", "process_flow", "halal_manual"}
    nib = Document.objects.get(pk=documents["nib"]["id"])
    assert documents["nib"]["sha256"] == nib.sha256 and len(nib.sha256) == 64
    assert snapshot.content_hash == content_hash(content)
    assert set(snapshot.documents.values_list("pk", flat=True)) == {d["id"] for d in content["documents"]}
    # the submit event seals the evidence's hash into the case's hash chain
    submit = ApplicationEvent.objects.get(application=app, action="submit")
    assert submit.snapshot_hash == snapshot.content_hash


def test_the_people_in_the_evidence_carry_only_a_masked_nik(cast: f.Cast) -> None:
    from applicants.dossier.services import person_save

    draft = f.draft(cast.owner, "self_declare")
    person_save(
        actor=cast.owner,
        business=draft.business,
        role="supervisor",
        fields={"name": "Siti", "nik": "1871014506850002", "religion": "islam"},
    )
    app = f.drive(draft, "submitted", cast)
    people = app.evidence.content["people"]
    assert people[0]["nik"] == "1871********0002"
    assert "1871014506850002" not in str(app.evidence.content)


def test_a_snapshot_is_never_changed_or_deleted_through_the_models(cast: f.Cast) -> None:
    app = f.drive(f.draft(cast.owner, "self_declare"), "submitted", cast)
    snapshot = EvidenceSnapshot.objects.get(application=app)
    snapshot.content = {"forged": True}
    with pytest.raises(SnapshotImmutable):
        snapshot.save()
    with pytest.raises(SnapshotImmutable):
        snapshot.delete()
    with pytest.raises(SnapshotImmutable):
        EvidenceSnapshot.objects.filter(pk=snapshot.pk).update(content={})
    with pytest.raises(SnapshotImmutable):
        EvidenceSnapshot.objects.filter(pk=snapshot.pk).delete()
    snapshot.refresh_from_db()
    assert snapshot.content_hash == content_hash(snapshot.content)


@pytest.mark.postgres
def test_postgresql_refuses_an_update_or_delete_of_a_snapshot_in_sql(cast: f.Cast) -> None:
    app = f.drive(f.draft(cast.owner, "self_declare"), "submitted", cast)
    for statement in (
        "UPDATE certification_evidencesnapshot SET content = '{}' WHERE application_id = %s",
        "DELETE FROM certification_evidencesnapshot WHERE application_id = %s",
    ):
        with (
            pytest.raises(InternalError, match="never changed or deleted"),
            transaction.atomic(),
            connection.cursor() as cursor,
        ):
            cursor.execute(statement, [app.pk])
    assert EvidenceSnapshot.objects.get(application=app).content_hash == app.evidence.content_hash


def test_editing_the_live_dossier_after_submitting_changes_nothing_the_case_shows(cast: f.Cast) -> None:
    draft = f.draft(cast.owner, "self_declare")
    product = draft.products.get()
    app = f.drive(draft, "pph_verification", cast)
    frozen = app.evidence.content_hash
    _rename(product, "Keripik pisang madu")
    Ingredient.objects.filter(product=product, name="Bahan 0").delete()
    app.refresh_from_db()
    assert app.evidence.content_hash == frozen
    for user, url in ((cast.owner, f"/applications/{app.pk}/"), (cast.reviewer, f"/cases/{app.pk}/")):
        page = _client(user).get(url).content.decode()
        section = page.split('id="evidence"')[1]
        frozen_part = section.split('id="live-changes"')[0] + section.split("</details>", 1)[1]
        assert "<h4>Keripik pisang <span" in frozen_part and "Bahan 0" in frozen_part
        assert "Keripik pisang madu" in section  # only as a change of the live dossier
        assert "differs from this submission in 2 points" in page
    checklist = _client(cast.pph).get(reverse("certification:verval", args=[app.pk])).content.decode()
    assert "Keripik pisang</h3>" in checklist and "Bahan 0" in checklist and "Keripik pisang madu" not in checklist


def test_a_resubmission_takes_a_new_snapshot_and_lists_what_changed(cast: f.Cast) -> None:
    draft = f.draft(cast.owner, "self_declare")
    product = draft.products.get()
    app = f.drive(draft, "pph_verification", cast)
    services.application_transition(
        application_id=app.pk, action="return", actor=cast.pph, reason="Ganti nama produk dan kemasannya."
    )
    _rename(product, "Keripik pisang madu")
    nib = Document.objects.get(business=app.business, kind="nib")
    new_nib = document_replace(actor=cast.owner, document=nib, file=f.pdf("nib-baru.pdf"))
    app = services.application_transition(application_id=app.pk, action="resubmit", actor=cast.owner)
    first, second = EvidenceSnapshot.objects.filter(application=app).order_by("number")
    assert (second.number, second.kind, second.previous_id) == (2, "resubmission", first.pk)
    assert app.evidence_id == second.pk
    changes = {(c["section"], c["change"]): c for c in second.changes}
    assert changes[("product", "changed")]["fields"] == [["name", "Keripik pisang", "Keripik pisang madu"]]
    assert changes[("document", "replaced")]["subject"] == "nib-baru.pdf"
    # the same bytes under a new name: the name changed, the content hash did not, so only the name is listed
    assert changes[("document", "replaced")]["fields"] == [["original_name", "nib.pdf", "nib-baru.pdf"]]
    assert new_nib.pk in {d["id"] for d in second.content["documents"]}
    assert nib.pk in {d["id"] for d in first.content["documents"]}
    page = _client(cast.reviewer).get(f"/cases/{app.pk}/").content.decode()
    assert "2 changes since the previous submission" in page and "Keripik pisang madu" in page
    assert reverse("certification:evidence", args=[app.pk, 1]) in page
    earlier = _client(cast.owner).get(reverse("certification:evidence", args=[app.pk, 1])).content.decode()
    assert "<h4>Keripik pisang <span" in earlier and "Submission 1" in earlier
    assert f'href="{reverse("applicants:document_download", args=[nib.pk])}"' in earlier  # the old file, kept
    assert _client(cast.owner).get(reverse("applicants:document_download", args=[nib.pk])).status_code == 200


def test_the_certificate_takes_its_products_and_business_from_the_evidence(cast: f.Cast) -> None:
    draft = f.draft(cast.owner, "self_declare")
    product = draft.products.get()
    app = f.drive(draft, "issuance", cast)
    _rename(product, "Nama baru setelah pengajuan")
    app.business.name = "Nama usaha baru"
    app.business.save(update_fields=["name"])
    app = services.application_transition(
        application_id=app.pk, action="issue", actor=cast.reviewer, **f.payload_for("issue", cast)
    )
    certificate = Certificate.objects.get(application=app)
    assert certificate.product_names == ["Keripik pisang"]
    assert certificate.business_name == app.evidence.content["business"]["name"] != "Nama usaha baru"
    assert certificate.evidence_id == app.evidence_id == certificate.revisions.get().evidence_id
    issue = certificate.events.get(action="issue")
    assert (issue.status, issue.snapshot_hash) == ("valid", app.evidence.content_hash)
    page = _client(cast.owner).get(f"/applications/{app.pk}/").content.decode()
    assert 'id="certificate-evidence"' in page and app.evidence.short_hash in page


def test_a_product_development_counts_its_changes_from_the_certificates_evidence(cast: f.Cast) -> None:
    issued = f.issued(cast)
    certificate = Certificate.objects.get(application=issued)
    product = issued.products.get()
    extra = f.product(issued.business, name="Keripik baru")
    development = services.application_create(
        actor=cast.owner,
        business_id=issued.business_id,
        pathway="self_declare",
        product_ids=[product.pk, extra.pk],
        document_ids=list(issued.documents.values_list("pk", flat=True)),
        developed_certificate_id=certificate.pk,
    )
    services.pledge_sign(application_id=development.pk, actor=cast.owner)
    development = services.application_transition(
        application_id=development.pk, action="submit", actor=cast.owner, **f.payload_for("submit", cast)
    )
    snapshot = development.evidence
    assert (snapshot.kind, snapshot.previous_id) == ("development", issued.evidence_id)
    assert {"section": "product", "change": "added", "subject": "Keripik baru", "fields": []} in snapshot.changes


def test_a_product_deleted_from_the_dossier_stays_in_the_issued_cases_evidence(cast: f.Cast) -> None:
    issued = f.issued(cast)
    product = issued.products.get()
    product_delete(actor=cast.owner, product=product)
    page = _client(cast.reviewer).get(f"/cases/{issued.pk}/").content.decode()
    assert f"<h4>{product.name} <span" in page.split('id="evidence"')[1]


# --- The API: read-only ---
def test_the_api_lists_and_shows_a_cases_snapshots_to_those_who_see_the_case(
    cast: f.Cast, api_as: Any, bob: Any
) -> None:
    app = f.drive(f.draft(cast.owner, "self_declare"), "pph_verification", cast)
    url = reverse("api-application-evidence", args=[app.pk])
    for user in (cast.owner, cast.reviewer, cast.pph):
        listed = api_as(user).get(url)
        assert listed.status_code == 200
        assert listed.json() == [
            {
                "number": 1,
                "kind": "submission",
                "taken_at": listed.json()[0]["taken_at"],
                "taken_by": cast.owner.full_name,
                "content_hash": app.evidence.content_hash,
                "previous_number": None,
                "changes": 0,
            }
        ]
    detail = api_as(cast.pph).get(reverse("api-application-snapshot", args=[app.pk, 1])).json()
    assert detail["content"] == app.evidence.content and detail["change_list"] == []
    assert api_as(cast.owner).get(reverse("api-application", args=[app.pk])).json()["evidence"]["number"] == 1
    assert api_as(bob).get(url).status_code == 404
    assert api_as(bob).get(reverse("api-application-snapshot", args=[app.pk, 1])).status_code == 404
    assert _client(bob).get(reverse("certification:evidence", args=[app.pk, 1])).status_code == 404


@pytest.mark.parametrize("method", ["put", "patch", "delete"])
def test_editing_a_submitted_snapshot_through_the_api_is_refused_in_indonesian_and_writes_nothing(
    cast: f.Cast, api_as: Any, method: str
) -> None:
    app = f.drive(f.draft(cast.owner, "self_declare"), "submitted", cast)
    before = (EvidenceSnapshot.objects.count(), app.evidence.content_hash)
    client = api_as(cast.owner)
    client.credentials(HTTP_ACCEPT_LANGUAGE="id")
    url = reverse("api-application-snapshot", args=[app.pk, 1])
    response = getattr(client, method)(url, {"content": {"products": []}}, format="json")
    assert response.status_code == 405
    assert response.json()["detail"].startswith("Bukti kasus yang sudah diajukan tidak pernah diubah atau dihapus")
    app.refresh_from_db()
    assert (EvidenceSnapshot.objects.count(), app.evidence.content_hash) == before
    assert app.evidence.content_hash == content_hash(app.evidence.content)


@pytest.mark.parametrize("cases", [1, 6])
def test_the_evidence_list_takes_the_same_number_of_queries_for_one_and_many_snapshots(
    cast: f.Cast, api_as: Any, cases: int, django_assert_num_queries: Any
) -> None:
    draft = f.draft(cast.owner, "regular")
    app = f.drive(draft, "verification", cast)
    for _ in range(cases - 1):
        services.application_transition(application_id=app.pk, action="return", actor=cast.reviewer, reason="Lagi.")
        services.application_transition(application_id=app.pk, action="resubmit", actor=cast.owner)
    assert EvidenceSnapshot.objects.filter(application=app).count() == cases
    client = api_as(type(cast.reviewer).objects.get(pk=cast.reviewer.pk))  # roles not cached by the transitions
    with django_assert_num_queries(3):  # roles, the case, its snapshots with their submitter and previous
        response = client.get(reverse("api-application-evidence", args=[app.pk]))
    assert len(response.json()) == cases


def test_a_case_submitted_before_snapshots_shows_the_live_dossier_and_says_so(cast: f.Cast) -> None:
    app = f.drive(f.draft(cast.owner, "self_declare"), "submitted", cast)
    Application.objects.filter(pk=app.pk).update(evidence=None)  # as a case from before this release
    page = _client(cast.reviewer).get(f"/cases/{app.pk}/").content.decode()
    assert "Submitted before the platform kept evidence" in page and "Bahan 0" in page


def test_a_replaced_document_with_new_content_lists_its_content_hash_and_an_unchanged_name_is_not_listed() -> None:
    before = {"documents": [{"id": 1, "kind": "nib", "original_name": "nib.pdf", "sha256": "a" * 64}]}
    after = {"documents": [{"id": 2, "kind": "nib", "original_name": "nib.pdf", "sha256": "b" * 64}]}
    (change,) = diff(before, after)
    assert (change["section"], change["change"], change["subject"]) == ("document", "replaced", "nib.pdf")
    assert change["fields"] == [["sha256", "a" * 12, "b" * 12]]


def test_a_products_distribution_permit_and_its_scan_are_frozen_and_a_later_change_shows_against_them(
    cast: f.Cast,
) -> None:
    draft = f.draft(cast.owner, "self_declare")
    product = draft.products.get()
    permit = DistributionPermit.objects.create(
        product=product,
        kind="pirt",
        number="206187101012325",
        issuer="Dinas Kesehatan Kota Bandar Lampung",
        expires_on=dt.date(2030, 5, 1),
        document=f.pdf("pirt.pdf"),
        document_name="pirt.pdf",
        created_by=cast.owner,
    )
    app = f.drive(draft, "pph_verification", cast)
    (frozen,) = app.evidence.content["products"][0]["permits"]
    with permit.document.open("rb") as handle:
        assert frozen["document_sha256"] == hashlib.sha256(handle.read()).hexdigest()
    assert (frozen["kind"], frozen["number"], frozen["expires_on"]) == ("pirt", "206187101012325", "2030-05-01")
    DistributionPermit.objects.filter(pk=permit.pk).update(number="206187101012399")
    page = _client(cast.reviewer, "id").get(f"/cases/{app.pk}/").content.decode()
    section = page.split('id="evidence"')[1]
    frozen_part = section.split('id="live-changes"')[0] + section.split("</details>", 1)[1]
    assert "206187101012325" in frozen_part and "berlaku sampai 1 Mei 2030" in frozen_part
    assert "206187101012399" not in frozen_part
    live = page.split('id="live-changes"')[1].split("</details>")[0]
    assert "Izin edar" in live and "206187101012325" in live and "206187101012399" in live


def test_a_permit_scan_a_submission_froze_survives_the_permits_new_scan_and_its_deletion_while_others_go(
    cast: f.Cast, django_capture_on_commit_callbacks: Any
) -> None:
    draft = f.draft(cast.owner, "self_declare")
    product = draft.products.get()
    permit = permit_create(
        actor=cast.owner,
        product=product,
        fields={"kind": "pirt", "number": "206187101012325", "issuer": "Dinas Kesehatan"},
        file=f.pdf("pirt.pdf"),
    )
    frozen_name = permit.document.name
    f.drive(draft, "pph_verification", cast)
    with django_capture_on_commit_callbacks(execute=True):
        permit = permit_update(actor=cast.owner, permit=permit, fields={}, file=f.pdf("pirt-2027.pdf"))
    new_name = permit.document.name
    storage = permit.document.storage
    assert new_name != frozen_name and storage.exists(frozen_name) and storage.exists(new_name)
    with django_capture_on_commit_callbacks(execute=True):
        permit_delete(actor=cast.owner, permit=permit)
    assert storage.exists(frozen_name)  # the case's scan stays
    assert not storage.exists(new_name)  # no submission rests on the newer scan: deleting the permit deletes it


def test_the_special_treatments_are_frozen_and_a_later_answer_is_only_a_live_change(cast: f.Cast) -> None:
    """Irradiation, ozonation and genetic engineering (applicants 0016) as the owner answered at submission."""
    draft = f.draft(cast.owner, "self_declare")
    product = draft.products.get()
    app = f.drive(draft, "pph_verification", cast)
    frozen = app.evidence.content["products"][0]
    assert (frozen["irradiated"], frozen["ozonated"], frozen["genetically_engineered"]) == (False, False, False)
    Product.objects.filter(pk=product.pk).update(irradiated=True)
    app.refresh_from_db()
    assert app.evidence.content["products"][0]["irradiated"] is False
    page = _client(cast.reviewer, "id").get(f"/cases/{app.pk}/").content.decode()
    section = page.split('id="evidence"')[1]
    frozen_part = section.split('id="live-changes"')[0] + section.split("</details>", 1)[1]
    assert "Iradiasi, ozonisasi atau rekayasa genetik: tidak ada" in frozen_part
    live = section.split('id="live-changes"')[1].split("</details>")[0]
    assert "diawetkan dengan iradiasi" in live


def test_an_older_snapshot_without_the_treatments_shows_no_change_for_them() -> None:
    before = {"products": [{"id": 1, "name": "Keripik", "ingredients": [], "steps": []}]}
    after = {"products": [{"id": 1, "name": "Keripik", "ingredients": [], "steps": [], "irradiated": False}]}
    assert diff(before, after) == []
