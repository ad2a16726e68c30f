"""The halal supervisor (UU 33/2014 Ps 24(c)): every applicant names one; a micro or small business's owner may act
as it. Without one a case is refused with a clear message and nothing is written; the evidence freezes who it was."""

from __future__ import annotations

from typing import Any

import pytest
from django.utils import translation

from applicants.dossier.services import person_save
from applicants.models import Person
from certification import services
from certification.models import Application, ApplicationEvent, EvidenceSnapshot
from core.errors import DomainError
from tests.certification import factories as f

pytestmark = pytest.mark.django_db
NO_SUPERVISOR_ID = "Belum ada penyelia halal (UU 33/2014 Pasal 24)"


def test_a_self_declare_draft_without_a_halal_supervisor_is_refused_in_indonesian_and_nothing_is_written(
    alice: Any,
) -> None:
    b = f.business(alice, supervised=False)
    p = f.product(b)
    docs = f.documents(b)
    with translation.override("id"), pytest.raises(DomainError) as refused:
        services.application_create(
            actor=alice,
            business_id=b.pk,
            pathway="self_declare",
            product_ids=[p.pk],
            document_ids=[d.pk for d in docs],
        )
    assert NO_SUPERVISOR_ID in str(refused.value)
    assert "Saya bertindak sebagai penyelia halal" in str(refused.value)
    assert not Application.objects.exists() and not ApplicationEvent.objects.exists()


def test_a_regular_case_without_a_halal_supervisor_is_not_submitted_and_nothing_is_written(
    cast: f.Cast, fee_schedules: None
) -> None:
    draft = f.draft(cast.owner, "regular")
    Person.objects.filter(business=draft.business).delete()
    with translation.override("id"), pytest.raises(DomainError) as refused:
        services.application_transition(
            application_id=draft.pk, action="submit", actor=cast.owner, **f.payload_for("submit", cast)
        )
    assert "Tunjuk penyelia halal usaha sebelum mengajukan" in str(refused.value)
    draft.refresh_from_db()
    assert draft.state == "draft" and draft.evidence_id is None
    assert not EvidenceSnapshot.objects.exists()
    assert list(ApplicationEvent.objects.filter(application=draft).values_list("action", flat=True)) == ["create"]


def test_the_owner_acting_as_supervisor_passes_and_the_evidence_freezes_it(cast: f.Cast) -> None:
    b = f.business(cast.owner, supervised=False)
    person_save(
        actor=cast.owner,
        business=b,
        role="supervisor",
        fields={"owner_acts": True, "nik": "1871014506850002", "religion": "islam"},
    )
    draft = f.draft(cast.owner, "self_declare", b)
    app = f.drive(draft, "submitted", cast)
    frozen = [p for p in app.evidence.content["people"] if p["role"] == "supervisor"]
    assert frozen == [
        {
            "role": "supervisor",
            "name": cast.owner.full_name,
            "position": "Owner",
            "phone": "",
            "nik": "1871********0002",
            "religion": "islam",
            "owner_acts": True,
            "documents": {},
        }
    ]
    # The owner later appoints someone else: the submitted case keeps who supervised it.
    person_save(
        actor=cast.owner,
        business=draft.business,
        role="supervisor",
        fields={"name": "Siti Rahmawati", "nik": "1871014506850002", "religion": "islam"},
    )
    app.evidence.refresh_from_db()
    assert app.evidence.content["people"][0]["name"] == cast.owner.full_name
    assert app.evidence.content["people"][0]["owner_acts"] is True
