"""The fatwa stage is named per pathway everywhere, from the workflow table: the Komite Fatwa Produk Halal for
self-declare, the Sidang Fatwa MUI for regular cases (issue 31)."""

from __future__ import annotations

from typing import Any

import pytest

from certification import services
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
