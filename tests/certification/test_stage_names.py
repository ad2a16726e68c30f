"""The fatwa stage is named per pathway everywhere, from the workflow table: the Komite Fatwa Produk Halal for
self-declare, the Sidang Fatwa MUI for regular cases (issue 31)."""

from __future__ import annotations

from typing import Any

import pytest

from certification import services
from certification.workflow import table as wf
from tests.certification import factories as f

NAMES = {
    "self_declare": ("Komite Fatwa Produk Halal", "Halal Product Fatwa Committee", "Sidang Fatwa MUI"),
    "regular": ("Sidang Fatwa MUI", "MUI fatwa session", "Komite Fatwa Produk Halal"),
}
BEFORE_FATWA = {"self_declare": "verification", "regular": "lph_examination"}
TO_FATWA = {"self_declare": "verify", "regular": "record_audit"}


@pytest.mark.parametrize("pathway", ["self_declare", "regular"])
def test_the_owner_is_told_the_fatwa_stage_by_its_pathways_name(
    pathway: str, cast: f.Cast, mailoutbox: list[Any], django_capture_on_commit_callbacks: Any, fee_schedules: None
) -> None:
    app = f.drive(f.draft(cast.owner, pathway), BEFORE_FATWA[pathway], cast)
    mailoutbox.clear()
    action = TO_FATWA[pathway]
    with django_capture_on_commit_callbacks(execute=True):
        services.application_transition(
            application_id=app.pk, action=action, actor=cast.reviewer, **f.payload_for(action, cast)
        )
    app.refresh_from_db()
    assert app.state == "fatwa"
    indonesian, english, other = NAMES[pathway]
    (message,) = [m for m in mailoutbox if m.to == [cast.owner.email]]
    assert indonesian in message.subject and english in message.subject
    assert indonesian in message.body and english in message.body and other not in message.body
    assert (app.public_state_id, app.public_state_en) == (indonesian, english)


def _in_fatwa(pathway: str, cast: f.Cast) -> Any:
    return f.drive(f.draft(cast.owner, pathway), "fatwa", cast)


@pytest.mark.parametrize("pathway", ["self_declare", "regular"])
def test_the_whatsapp_and_sms_text_names_the_fatwa_stage_by_its_pathway(
    pathway: str, cast: f.Cast, django_capture_on_commit_callbacks: Any, fee_schedules: None
) -> None:
    from core.models import Notification
    from core.notifications.services import render_short

    app = f.drive(f.draft(cast.owner, pathway), BEFORE_FATWA[pathway], cast)
    action = TO_FATWA[pathway]
    with django_capture_on_commit_callbacks(execute=True):
        services.application_transition(
            application_id=app.pk, action=action, actor=cast.reviewer, **f.payload_for(action, cast)
        )
    notification = Notification.objects.filter(recipient=cast.owner, kind="application_status").latest("id")
    indonesian, _english, other = NAMES[pathway]
    short = render_short(notification)
    assert indonesian in short and other not in short


@pytest.mark.parametrize("fmt", ["csv", "xlsx"])
@pytest.mark.parametrize("pathway", ["self_declare", "regular"])
def test_the_staff_export_names_the_fatwa_stage_by_its_pathway(
    pathway: str, fmt: str, cast: f.Cast, fee_schedules: None
) -> None:
    """Issue 31: the CSV/XLSX said a neutral "Penetapan fatwa"; now the workflow table's name per pathway."""
    import csv
    import io

    from django.test import Client
    from openpyxl import load_workbook

    app = _in_fatwa(pathway, cast)
    client = Client()
    client.force_login(cast.reviewer)
    for language, position in (("id", 0), ("en", 1)):
        response = client.get(f"/staff/exports/applications.{fmt}", {"state": "fatwa", "lang": language})
        content = b"".join(response.streaming_content)
        if fmt == "csv":
            rows = list(csv.reader(io.StringIO(content.decode("utf-8-sig"))))
        else:
            sheet = load_workbook(io.BytesIO(content), read_only=True).active
            rows = [[str(v) if v is not None else "" for v in row] for row in sheet.iter_rows(values_only=True)]
        header, data = rows[0], rows[1:]
        (row,) = [r for r in data if r[0] == str(app.pk)]
        assert row[header.index("Status")] == NAMES[pathway][position]


@pytest.mark.parametrize("pathway", ["self_declare", "regular"])
def test_the_certificate_pdf_names_the_body_that_decided_by_its_pathway(
    pathway: str, cast: f.Cast, fee_schedules: None, django_capture_on_commit_callbacks: Any
) -> None:
    from django.utils import timezone

    from tests.pdftools import pdf_text

    app = _in_fatwa(pathway, cast)
    body = wf.KOMITE_FATWA if pathway == "self_declare" else wf.MUI_SESSION
    decision = {"fatwa_number": "KF-2026/010", "fatwa_date": timezone.localdate(), "fatwa_body": body}
    services.application_transition(application_id=app.pk, action="declare_halal", actor=cast.reviewer, **decision)
    with django_capture_on_commit_callbacks(execute=True):
        services.application_transition(
            application_id=app.pk, action="issue", actor=cast.reviewer, **f.payload_for("issue", cast)
        )
    app.refresh_from_db()
    text = " ".join(pdf_text(app.certificate.pdf.path).split())
    indonesian, english, other = NAMES[pathway]
    assert f"Ketetapan Halal ({indonesian})" in text and f"Fatwa decision ({english})" in text
    assert other not in text
