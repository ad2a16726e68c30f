"""The owner's case page, its editable parts: the checklist before "Ajukan" (certification.readiness) and the form
that chooses the case's products and documents, kept under the live dossier's key.

Issue 34: the page of a returned or draft case built both on every load (a dozen queries, ~40 ms of Python: the
checklist reads products, documents, the supervisor and the steps; the form renders a checkbox per product and
document through Django's widget templates). Both are built only from the case's own fields (pathway, LPH, pledge),
the business's live dossier (its products, documents, people, figures, and which of them the case has chosen: every
write to those moves the dossier's generation, applicants.dossier.generation and CertificationConfig.ready), the
reference data (positive list, regions; self-declare categories for the eligibility line), the day and the language.
`live_key` folds all of them into the key, so an edit shows on the next load and one case's entry never answers
another case (the key starts with the case's id and the page only reads cases of the signed-in owner).
"""

from __future__ import annotations

from datetime import date

from django.conf import settings
from django.core.cache import cache
from django.utils import translation
from django.utils.safestring import SafeString, mark_safe

from applicants.readiness import Need
from certification.evidence.selectors import live_key
from certification.forms import ContentsForm
from certification.models import Application
from certification.readiness import application_needs
from certification.workflow import table as wf

# Admin-edited reference data the self-declare eligibility line reads (certification.eligibility); bumped on every
# save and delete of a category (CertificationConfig.ready).
CATEGORIES = "self-declare-categories"
EDITABLE = ("draft", "returned")  # the states whose page lets the owner change the case


def _keys(application: Application, today: date) -> dict[str, str]:
    language = translation.get_language() or settings.LANGUAGE_CODE
    extra = (CATEGORIES,) if application.pathway == wf.SELF_DECLARE else ()
    base = live_key("owner-page", application, language, today.isoformat(), extra=extra)
    return {"needs": f"{base}:needs", "contents": f"{base}:contents"}


def editable_parts(application: Application, today: date) -> tuple[list[Need], SafeString]:
    """The checklist and the rendered contents form of a draft or returned case, from the cache while nothing they
    are built from has changed (one cache read for both)."""
    keys = _keys(application, today)
    found = cache.get_many(list(keys.values()))
    needs: list[Need] | None = found.get(keys["needs"])
    contents: str | None = found.get(keys["contents"])
    fresh: dict[str, object] = {}
    if needs is None:
        needs = application_needs(application, today)
        fresh[keys["needs"]] = needs
    if contents is None:
        form = ContentsForm(
            business=application.business,
            initial={"products": application.products.all(), "documents": application.documents.all()},
        )
        contents = str(form.as_div())
        fresh[keys["contents"]] = contents
    if fresh:
        cache.set_many(fresh, settings.LIVE_CHANGES_SECONDS)
    return needs, mark_safe(contents)  # noqa: S308 - Django's own rendering of an unbound form, escaped there
