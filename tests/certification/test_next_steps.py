"""The owner sees their assistant's name and WhatsApp, and what happens next in one plain sentence after each step
(issue 19, item 10); success messages read as sentences (item 15)."""

from __future__ import annotations

from typing import Any

from django.test import Client

from certification.workflow import table as wf
from certification.workflow.next_steps import NEXT_STEP
from core.phones import whatsapp_link
from tests.certification import factories as f

ID = {"HTTP_ACCEPT_LANGUAGE": "id"}


def _client(user: Any) -> Client:
    client = Client()
    client.force_login(user)
    return client


def test_every_state_has_a_next_step_sentence() -> None:
    assert set(NEXT_STEP) == set(wf.STATES)
    assert all(str(sentence).endswith(".") for sentence in NEXT_STEP.values())


def test_whatsapp_links_use_the_country_code() -> None:
    assert whatsapp_link("0812-3456-7890") == "https://wa.me/6281234567890"
    assert whatsapp_link("+62 812 3456 7890") == "https://wa.me/6281234567890"
    assert whatsapp_link("") == ""


def test_the_owner_sees_the_assistant_name_whatsapp_and_what_happens_next(cast: f.Cast) -> None:
    cast.pph.phone = "0812-3456-7890"
    cast.pph.save()
    app = f.drive(f.draft(cast.owner, "self_declare"), "pph_verification", cast)
    assert app.assigned_pph == cast.pph
    html = _client(cast.owner).get(f"/applications/{app.pk}/", **ID).content.decode()
    facts = html.split('id="assigned-pph"')[1].split("</dd>")[0]
    assert cast.pph.full_name in facts
    assert 'href="https://wa.me/6281234567890"' in facts
    assert "Apa selanjutnya:" in html
    assert "Pendamping PPH Anda mengunjungi tempat produksi" in html


def test_after_a_step_the_owner_reads_a_sentence_and_what_happens_next(cast: f.Cast) -> None:
    app = f.drive(f.draft(cast.owner, "self_declare"), "returned", cast)
    response = _client(cast.owner).post(
        f"/applications/{app.pk}/act/", {"action": "resubmit", "expected_state": "returned"}, follow=True, **ID
    )
    shown = [str(m) for m in response.context["messages"]]
    assert len(shown) == 1, shown
    message = shown[0]
    assert message.startswith("Langkah “") and "” selesai." in message
    assert "Selesai:" not in message
    app.refresh_from_db()
    assert app.state == "submitted"
    assert "Kantor menugaskan Pendamping Proses Produk Halal" in message
