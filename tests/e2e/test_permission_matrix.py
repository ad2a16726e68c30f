"""Who may open what: every URL pattern (web and API) x every actor -> the expected answer to a GET, kept as data.

The table is the specification. A URL pattern added to the project without a row here fails
`test_every_url_pattern_has_a_row_in_the_matrix`; a changed answer fails `test_every_actor_gets_the_expected_answer`.
Owner A (alice) owns every object probed, so owner B (bob) must get 404 wherever the object is owner A's.

Answers: 200 ok, 302 login (anonymous on a web page is redirected to the login page), 401/403 refused, 404 not found
(outside the actor's reach), 405 the URL exists but takes no GET (actions are POST-only).
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from typing import Any

import pytest
from django.test import Client
from django.urls import URLPattern, URLResolver, get_resolver, reverse
from django.utils import translation

from core.models import User
from tests.e2e.world import World, build_world

ACTORS = ("anonymous", "owner_a", "owner_b", "pph", "reviewer", "officer", "admin")

# URL patterns deliberately outside the matrix, each with its reason.
EXCLUDED_NAMESPACES = {
    "admin",  # Django's admin: guarded by is_staff + model permissions; tested by Django itself and tests/*/test_admin
}
EXCLUDED_NAME_PREFIXES = (
    "account_",  # django-allauth's account pages (login, signup, reset...): the library's own flows; rate limits
    # and the signup journey are tested in tests/e2e/test_hardening.py and tests/e2e/test_journeys.py
)
EXCLUDED_NAMES = {
    "set_language",  # django.conf.urls.i18n: POST-only language switch, no data behind it
}

# url name -> answers for (anonymous, owner_a, owner_b, pph, reviewer, officer, admin)
MATRIX: dict[str, tuple[int, int, int, int, int, int, int]] = {
    #                                  anon  ownerA ownerB pph  reviewer officer admin
    "api-application": (401, 200, 404, 200, 200, 404, 200),
    "api-application-events": (401, 200, 404, 200, 200, 404, 200),
    "api-application-evidence": (401, 200, 404, 200, 200, 404, 200),
    "api-application-snapshot": (401, 200, 404, 200, 200, 404, 200),
    "api-application-transitions": (401, 405, 405, 405, 405, 405, 405),
    "api-applications": (401, 200, 200, 200, 200, 200, 200),
    "api-business": (401, 200, 404, 200, 200, 200, 200),
    "api-business-document": (401, 200, 404, 200, 200, 200, 200),
    "api-business-document-replace": (401, 405, 405, 405, 405, 405, 405),
    "api-positive-list": (401, 200, 200, 200, 200, 200, 200),
    "api-business-documents": (401, 200, 404, 200, 200, 200, 200),
    "api-business-figures": (401, 200, 404, 200, 200, 200, 200),
    "api-business-figures-year": (401, 200, 404, 200, 200, 200, 200),
    "api-business-product": (401, 200, 404, 200, 200, 200, 200),
    "api-calendar-year": (200, 200, 200, 200, 200, 200, 200),
    "api-calendar-working-days": (400, 400, 400, 400, 400, 400, 400),  # public; a GET without start and days: 400
    "api-business-products": (401, 200, 404, 200, 200, 200, 200),
    "api-business-people": (401, 200, 404, 200, 200, 200, 200),
    "api-business-facilities": (401, 200, 404, 200, 200, 200, 200),
    "api-product-listing": (401, 200, 404, 200, 200, 200, 200),  # the owner's catalogue entry, read as the business
    "api-facilitations": (401, 200, 200, 403, 200, 200, 200),  # each sees their own (owner B: an empty list)
    "api-facilitation": (401, 200, 404, 403, 200, 200, 200),
    "api-application-pathway": (401, 405, 405, 405, 405, 405, 405),  # POST only
    "api-businesses": (401, 200, 200, 200, 200, 200, 200),
    "api-docs": (200, 200, 200, 200, 200, 200, 200),
    "api-me": (401, 200, 200, 200, 200, 200, 200),
    "api-regions": (200, 200, 200, 200, 200, 200, 200),  # public reference data
    "api-schema": (200, 200, 200, 200, 200, 200, 200),
    "api-sehati-eligibility": (401, 200, 404, 404, 200, 200, 200),
    "api-token": (405, 405, 405, 405, 405, 405, 405),
    "api-token-revoke": (401, 405, 405, 405, 405, 405, 405),  # POST only; each person's own token
    "api-token-revoke-all": (401, 405, 405, 405, 405, 405, 405),
    "api-training-detail": (401, 200, 404, 404, 200, 200, 200),
    "api-training-enrollments": (401, 200, 404, 404, 200, 200, 200),
    "api-training-follow-ups": (401, 200, 404, 404, 200, 200, 200),
    "api-training-list": (401, 200, 200, 200, 200, 200, 200),
    "applicants:business_detail": (302, 200, 404, 200, 200, 200, 200),
    "applicants:business_edit": (302, 200, 404, 403, 403, 403, 403),
    "applicants:business_new": (302, 200, 200, 403, 403, 403, 403),
    "applicants:document_delete": (302, 200, 404, 403, 403, 403, 403),  # GET asks first (or says why not)
    "applicants:document_replace": (302, 200, 404, 403, 403, 403, 403),
    "applicants:document_generate": (405, 405, 405, 405, 405, 405, 405),
    "applicants:person_edit": (302, 200, 404, 403, 403, 403, 403),
    "applicants:facility_new": (302, 200, 404, 403, 403, 403, 403),
    "applicants:facility_delete": (302, 200, 404, 403, 403, 403, 403),  # GET asks first
    "applicants:document_download": (302, 200, 404, 200, 200, 200, 200),
    "applicants:document_new": (302, 200, 404, 403, 403, 403, 403),
    "applicants:export_csv": (302, 403, 403, 403, 200, 200, 200),
    "applicants:export_xlsx": (302, 403, 403, 403, 200, 200, 200),
    "applicants:figures_edit": (302, 200, 404, 403, 403, 403, 403),
    "applicants:figures_new": (302, 200, 404, 403, 403, 403, 403),
    "applicants:import": (302, 403, 403, 403, 200, 200, 200),
    "applicants:import_confirm": (302, 403, 403, 403, 302, 302, 302),
    "applicants:import_template": (302, 403, 403, 403, 200, 200, 200),
    "applicants:import_job": (302, 403, 403, 403, 200, 404, 404),  # one's own jobs only (the reviewer's here)
    "applicants:mine": (302, 200, 200, 403, 403, 403, 403),
    "applicants:product_edit": (302, 200, 404, 403, 403, 403, 403),
    "applicants:permit_new": (302, 200, 404, 403, 403, 403, 403),
    "training:facilitation-list": (302, 200, 200, 403, 200, 200, 200),
    "training:facilitation-new": (302, 200, 200, 403, 403, 200, 200),
    "training:facilitation-detail": (302, 200, 404, 403, 200, 200, 200),
    "training:facilitation-act": (405, 405, 405, 405, 405, 405, 405),
    "applicants:listing_edit": (302, 200, 404, 403, 403, 403, 403),
    "applicants:listing_photo": (302, 200, 404, 403, 403, 403, 403),
    "certification:catalogue": (200, 200, 200, 200, 200, 200, 200),
    "certification:catalogue-csv": (200, 200, 200, 200, 200, 200, 200),
    "certification:catalogue-detail": (200, 200, 200, 200, 200, 200, 200),
    "certification:catalogue-photo": (200, 200, 200, 200, 200, 200, 200),
    "certification:catalogue-more-photo": (200, 200, 200, 200, 200, 200, 200),
    "certification:sitemap": (200, 200, 200, 200, 200, 200, 200),
    "api-public-catalogue": (200, 200, 200, 200, 200, 200, 200),
    "applicants:permit_edit": (302, 200, 404, 403, 403, 403, 403),
    "applicants:permit_delete": (302, 200, 404, 403, 403, 403, 403),  # GET asks first
    "applicants:permit_document": (302, 200, 404, 200, 200, 200, 200),
    "api-product-permits": (401, 200, 404, 200, 200, 200, 200),
    "api-product-permit": (401, 200, 404, 200, 200, 200, 200),
    "dashboard:permit-gaps": (302, 403, 403, 403, 200, 200, 200),
    "applicants:product_new": (302, 200, 404, 403, 403, 403, 403),
    "applicants:registry": (302, 403, 403, 403, 200, 200, 200),
    "calendar": (200, 200, 200, 200, 200, 200, 200),
    "account": (302, 200, 200, 200, 200, 200, 200),  # one's own account only: no object id to guess
    "api-root": (200, 200, 200, 200, 200, 200, 200),  # addresses, no data
    "calendar-year": (200, 200, 200, 200, 200, 200, 200),
    "certification:act": (302, 405, 405, 405, 405, 405, 405),
    "certification:apply": (302, 200, 200, 403, 403, 403, 403),
    "certification:assign": (302, 403, 403, 403, 405, 403, 405),
    "certification:case": (302, 403, 403, 200, 200, 403, 200),
    "certification:evidence": (302, 200, 404, 200, 200, 404, 200),  # whoever sees the case (the owner too)
    # The office's letters (STTD here): the owner, the assigned assistant and staff who work cases.
    "certification:case-document": (302, 200, 404, 200, 200, 404, 200),
    "certification:case-message": (302, 405, 405, 405, 405, 403, 405),
    "certification:case-message-file": (302, 200, 404, 200, 200, 403, 200),
    "certification:appeal-attachment": (302, 200, 404, 200, 200, 404, 200),
    # The assistant's verification page: only the assistant assigned to the case while it is with them.
    "certification:verval": (302, 403, 403, 200, 403, 403, 403),
    # A site-visit photo: whoever may see the case.
    "certification:verval-photo": (302, 200, 404, 200, 200, 404, 200),
    "certification:composition-checks": (302, 403, 403, 403, 200, 200, 200),
    "certification:composition-confirm": (405, 405, 405, 405, 405, 405, 405),
    # Sehati pools: staff (reviewer, officer, admin) only.
    "api-sehati-quotas": (401, 403, 403, 403, 200, 200, 200),
    "certification:change-contents": (302, 405, 405, 403, 403, 403, 403),
    "certification:my-applications": (302, 200, 200, 403, 403, 403, 403),
    "certification:owner-application": (302, 200, 404, 403, 403, 403, 403),
    "certification:pph-cases": (302, 403, 403, 200, 403, 403, 403),
    "certification:assistants": (302, 403, 403, 403, 200, 200, 200),
    "certification:queue": (302, 403, 403, 403, 200, 403, 200),
    "certification:sign-pledge": (302, 405, 405, 403, 403, 403, 403),
    "certification:change-pathway": (302, 405, 405, 403, 403, 403, 403),
    # The payment step: POST only; a world without a bill has no proof to download (404 for everyone who sees it).
    "certification:payment-proof": (302, 405, 405, 403, 403, 403, 403),
    "certification:payment-proof-file": (302, 404, 404, 404, 404, 404, 404),
    "certification:payment-bill": (302, 403, 403, 403, 405, 403, 405),
    "certification:payment-confirm": (302, 403, 403, 403, 405, 403, 405),
    "api-application-payment": (401, 404, 404, 404, 404, 404, 404),
    "api-application-payment-proof": (401, 405, 405, 405, 405, 405, 405),
    "api-application-payment-confirm": (401, 405, 405, 405, 405, 405, 405),
    "failed-tasks": (302, 403, 403, 403, 403, 403, 200),
    "delivery-log": (302, 403, 403, 403, 200, 200, 200),
    "inbox": (302, 200, 200, 200, 200, 200, 200),  # each person's own notifications
    "inbox-read": (302, 405, 405, 405, 405, 405, 405),
    "notifications-settings": (302, 200, 200, 200, 200, 200, 200),
    "notifications-whatsapp": (302, 405, 405, 405, 405, 405, 405),
    "whatsapp-webhook": (404, 404, 404, 404, 404, 404, 404),  # off without its secret; tests/core/test_notifications
    "notifications-unsubscribe": (404, 404, 404, 404, 404, 404, 404),  # a bad signature; tested with a good one
    "fees-quote": (405, 405, 405, 405, 405, 405, 405),
    "fees-schedules": (200, 200, 200, 200, 200, 200, 200),
    "fees:calculator": (200, 200, 200, 200, 200, 200, 200),
    "healthz": (200, 200, 200, 200, 200, 200, 200),
    "home": (302, 200, 200, 200, 200, 200, 200),
    "landing": (200, 200, 200, 200, 200, 200, 200),
    "training:attendance": (302, 403, 403, 403, 403, 200, 200),
    "training:program-message": (302, 405, 405, 403, 403, 405, 405),  # POST only
    "training:program-message-file": (302, 200, 404, 403, 200, 200, 200),
    "training:follow-up-evidence": (302, 200, 404, 404, 200, 200, 200),
    "training:follow-up-plan": (302, 403, 403, 403, 403, 200, 200),
    "training:follow-up-record": (302, 403, 403, 403, 403, 200, 200),
    "training:my-trainings": (302, 200, 200, 403, 403, 403, 403),
    "training:overdue": (302, 403, 403, 403, 403, 200, 200),
    "training:program-create": (302, 403, 403, 403, 403, 200, 200),
    "training:program-detail": (302, 403, 403, 403, 200, 200, 200),
    "training:program-edit": (302, 403, 403, 403, 403, 200, 200),
    "training:program-enroll": (302, 403, 403, 403, 403, 200, 200),
    "training:program-list": (302, 302, 302, 403, 200, 200, 200),  # owners: redirected to the open trainings
    "training:participants-lacking": (302, 403, 403, 403, 403, 200, 200),
    "training:participants-lacking-csv": (302, 403, 403, 403, 403, 200, 200),
    "training:open-list": (302, 200, 200, 403, 403, 403, 403),
    "training:program-join": (302, 405, 405, 403, 403, 403, 403),  # POST only
    "training:program-leave": (302, 405, 405, 403, 403, 403, 403),  # POST only
    "training:join-request-approve": (302, 403, 403, 403, 403, 405, 405),  # POST only
    "training:join-request-decline": (302, 403, 403, 403, 403, 405, 405),  # POST only
    # certificates (merged later): public verification and registry, the PDF for owner/staff, revocation by reviewers
    "api-certificate-pdf": (401, 200, 404, 404, 200, 200, 200),
    "api-certificate-revoke": (401, 403, 403, 403, 405, 403, 405),
    "api-public-certificate": (200, 200, 200, 200, 200, 200, 200),
    "certification:registry": (200, 200, 200, 200, 200, 200, 200),
    "certification:revoke": (302, 403, 403, 403, 405, 403, 405),
    "certification:verify": (200, 200, 200, 200, 200, 200, 200),
    "certification:verify-lookup": (200, 200, 200, 200, 200, 200, 200),
    # dashboard and reports (halalmsi): staff roles only; owners and assistants are refused, anonymous goes to login
    "dashboard:index": (302, 403, 403, 403, 200, 200, 200),
    "dashboard:chart": (302, 403, 403, 403, 200, 200, 200),
    "dashboard:simulation": (302, 403, 403, 403, 200, 200, 200),
    "dashboard:reports": (302, 403, 403, 403, 200, 200, 200),
    "dashboard:report-request": (302, 403, 403, 403, 405, 405, 405),
    "dashboard:report": (302, 403, 403, 403, 200, 200, 200),
    "dashboard:report-download": (302, 403, 403, 403, 200, 200, 200),
    "dashboard:export-job-new": (302, 403, 403, 403, 200, 200, 200),
    "dashboard:export-job": (302, 403, 403, 403, 200, 404, 404),  # one's own jobs only (the reviewer's here)
    "dashboard:export-job-download": (302, 403, 403, 403, 200, 404, 404),
    "dashboard:export-applications": (302, 403, 403, 403, 200, 200, 200),
    "dashboard:export-programs": (302, 403, 403, 403, 200, 200, 200),
    "dashboard:export-follow-ups": (302, 403, 403, 403, 200, 200, 200),
    "dashboard:export-certificates": (302, 403, 403, 403, 200, 200, 200),
}

# How to build each URL's arguments from the world (objects are owner A's).
ARGS: dict[str, Callable[[World], dict[str, Any]]] = {
    "applicants:business_detail": lambda w: {"pk": w.business.pk},
    "applicants:business_edit": lambda w: {"pk": w.business.pk},
    "applicants:figures_new": lambda w: {"pk": w.business.pk},
    "applicants:figures_edit": lambda w: {"pk": w.business.pk, "year": w.figures.year},
    "applicants:product_new": lambda w: {"pk": w.business.pk},
    "applicants:product_edit": lambda w: {"pk": w.business.pk, "product_pk": w.product.pk},
    "applicants:permit_new": lambda w: {"pk": w.business.pk, "product_pk": w.product.pk},
    "training:facilitation-detail": lambda w: {"pk": _facilitation(w).pk},
    "training:facilitation-act": lambda w: {"pk": _facilitation(w).pk},
    "applicants:listing_edit": lambda w: {"pk": w.business.pk, "product_pk": w.product.pk},
    "applicants:listing_photo": lambda w: {"listing_pk": _listing(w).pk},
    "certification:catalogue-detail": lambda w: {"pk": _listing(w).pk},
    "certification:catalogue-photo": lambda w: {"pk": _listing(w).pk, "size": "photo"},
    "certification:catalogue-more-photo": lambda w: {
        "pk": _listing(w).pk,
        "photo_pk": _listing(w).more_photos.get().pk,
    },
    "applicants:permit_edit": lambda w: {"pk": w.business.pk, "product_pk": w.product.pk, "permit_pk": _permit(w).pk},
    "applicants:permit_delete": lambda w: {
        "pk": w.business.pk,
        "product_pk": w.product.pk,
        "permit_pk": _permit(w).pk,
    },
    "applicants:permit_document": lambda w: {"permit_pk": _permit(w).pk},
    "api-product-listing": lambda w: {
        "business_pk": _listing(w).product.business_id,
        "product_pk": _listing(w).product_id,
    },
    "api-facilitation": lambda w: {"pk": _facilitation(w).pk},
    "api-application-pathway": lambda w: {"pk": w.application.pk},
    "api-product-permits": lambda w: {"business_pk": w.business.pk, "product_pk": w.product.pk},
    "api-product-permit": lambda w: {"business_pk": w.business.pk, "product_pk": w.product.pk, "pk": _permit(w).pk},
    "applicants:document_new": lambda w: {"pk": w.business.pk},
    "applicants:document_delete": lambda w: {"pk": w.business.pk, "doc_pk": w.document.pk},
    "applicants:document_replace": lambda w: {"pk": w.business.pk, "doc_pk": w.document.pk},
    "applicants:document_download": lambda w: {"doc_pk": w.document.pk},
    "applicants:document_generate": lambda w: {"pk": w.business.pk, "kind": "halal_manual"},
    "api-business": lambda w: {"pk": w.business.pk},
    "api-business-figures": lambda w: {"business_pk": w.business.pk},
    "api-business-figures-year": lambda w: {"business_pk": w.business.pk, "year": w.figures.year},
    "api-business-products": lambda w: {"business_pk": w.business.pk},
    "api-business-people": lambda w: {"business_pk": w.business.pk},
    "applicants:person_edit": lambda w: {"pk": w.business.pk, "role": "supervisor"},
    "applicants:facility_new": lambda w: {"pk": w.business.pk},
    "applicants:facility_delete": lambda w: {"pk": w.business.pk, "facility_pk": _facility(w).pk},
    "api-business-facilities": lambda w: {"business_pk": w.business.pk},
    "api-business-product": lambda w: {"business_pk": w.business.pk, "pk": w.product.pk},
    "api-business-documents": lambda w: {"business_pk": w.business.pk},
    "api-business-document": lambda w: {"business_pk": w.business.pk, "pk": w.document.pk},
    "api-business-document-replace": lambda w: {"business_pk": w.business.pk, "pk": w.document.pk},
    "api-sehati-eligibility": lambda w: {"pk": w.business.pk},
    "api-calendar-year": lambda w: {"year": 2026},
    "calendar-year": lambda w: {"year": 2026},
    "notifications-unsubscribe": lambda w: {"token": "not-a-signed-token"},
    "training:program-detail": lambda w: {"pk": w.program.pk},
    "training:program-edit": lambda w: {"pk": w.program.pk},
    "training:program-enroll": lambda w: {"pk": w.program.pk},
    "training:attendance": lambda w: {"pk": w.program.pk},
    "training:program-message": lambda w: {"pk": w.program.pk},
    "training:program-message-file": lambda w: {"pk": w.program.pk, "message_pk": w.program_message.pk},
    "training:program-join": lambda w: {"pk": w.program.pk},
    "training:program-leave": lambda w: {"pk": w.program.pk},
    "training:join-request-approve": lambda w: {"pk": w.program.pk},  # refused or 405 before the lookup
    "training:join-request-decline": lambda w: {"pk": w.program.pk},
    "training:follow-up-plan": lambda w: {"pk": w.program.pk, "enrollment_pk": w.enrollment.pk},
    "training:follow-up-record": lambda w: {"pk": w.follow_up.pk},
    "training:follow-up-evidence": lambda w: {"pk": w.follow_up.pk},
    "api-training-detail": lambda w: {"pk": w.program.pk},
    "api-training-enrollments": lambda w: {"pk": w.program.pk},
    "api-training-follow-ups": lambda w: {"pk": w.program.pk},
    "certification:owner-application": lambda w: {"pk": w.application.pk},
    "certification:evidence": lambda w: {"pk": w.application.pk, "number": 1},
    "api-application-evidence": lambda w: {"pk": w.application.pk},
    "api-application-snapshot": lambda w: {"pk": w.application.pk, "number": 1},
    "certification:change-contents": lambda w: {"pk": w.application.pk},
    "certification:sign-pledge": lambda w: {"pk": w.application.pk},
    "certification:change-pathway": lambda w: {"pk": w.application.pk},
    "certification:payment-proof": lambda w: {"pk": w.application.pk},
    "certification:payment-proof-file": lambda w: {"pk": w.application.pk},
    "certification:payment-bill": lambda w: {"pk": w.application.pk},
    "certification:payment-confirm": lambda w: {"pk": w.application.pk},
    "api-application-payment": lambda w: {"pk": w.application.pk},
    "api-application-payment-proof": lambda w: {"pk": w.application.pk},
    "api-application-payment-confirm": lambda w: {"pk": w.application.pk},
    "certification:act": lambda w: {"pk": w.application.pk},
    "certification:case": lambda w: {"pk": w.application.pk},
    "certification:case-document": lambda w: {"pk": w.certificate.application_id, "kind": "sttd"},
    "certification:case-message": lambda w: {"pk": w.application.pk},
    "certification:case-message-file": lambda w: {"pk": w.application.pk, "message_pk": w.case_message.pk},
    "certification:composition-confirm": lambda w: {"pk": 1},
    "certification:appeal-attachment": lambda w: {"pk": w.certificate.application_id, "appeal_pk": _appeal(w).pk},
    "certification:verval": lambda w: {"pk": w.application.pk},
    "certification:verval-photo": lambda w: {
        "pk": w.certificate.application_id,
        "photo_pk": _verval_photo(w).pk,
        "size": "thumb",
    },
    "api-application": lambda w: {"pk": w.application.pk},
    "api-application-transitions": lambda w: {"pk": w.application.pk},
    "api-application-events": lambda w: {"pk": w.application.pk},
    "certification:revoke": lambda w: {"pk": w.certificate.application_id},
    "certification:verify": lambda w: {"token": w.certificate.token},
    "api-certificate-pdf": lambda w: {"number": w.certificate.number},
    "api-public-certificate": lambda w: {"number": w.certificate.number},
    "api-certificate-revoke": lambda w: {"number": w.certificate.number},
    "dashboard:chart": lambda w: {"name": "applications"},
    "dashboard:report": lambda w: {"pk": _done_report().pk},
    "dashboard:report-download": lambda w: {"pk": _done_report().pk},
    "dashboard:export-applications": lambda w: {"fmt": "csv"},
    "dashboard:export-job": lambda w: {"pk": _export_job().pk},
    "applicants:import_job": lambda w: {"pk": _import_job().pk},
    "dashboard:export-job-download": lambda w: {"pk": _export_job().pk},
    "dashboard:export-programs": lambda w: {"fmt": "xlsx"},
    "dashboard:export-follow-ups": lambda w: {"fmt": "csv"},
    "dashboard:export-certificates": lambda w: {"fmt": "xlsx"},
}


def _import_job() -> Any:
    """A finished import job of the reviewer (rina)."""
    from applicants.models.imports import ImportJob

    job = ImportJob.objects.filter(user__email="rina@example.test").first()
    if job is None:
        job = ImportJob.objects.create(
            user=User.objects.get(email="rina@example.test"), file_name="daftar.csv", status="done", total=1, done=1
        )
    return job


def _export_job() -> Any:
    """A finished XLSX export job of the reviewer (rina), with its file (made once per test)."""
    from django.core.files.base import ContentFile

    from reports.models import ExportJob

    job = ExportJob.objects.filter(user__email="rina@example.test").first()
    if job is None:
        job = ExportJob.objects.create(
            user=User.objects.get(email="rina@example.test"), path="/staff/exports/applications.xlsx", status="done"
        )
        job.file.save("applications.xlsx", ContentFile(b"PK\x03\x04"), save=True)
    return job


def _permit(world: World) -> Any:
    """Owner A's product's PIRT permit, with its document."""
    from django.core.files.base import ContentFile

    from applicants.models.permits import DistributionPermit

    permit, created = DistributionPermit.objects.get_or_create(
        product=world.product,
        kind="pirt",
        defaults={"number": "206187101012325", "created_by": world.business.owner},
    )
    if created:
        permit.document.save("pirt.pdf", ContentFile(b"%PDF-1.4\n%%EOF\n"), save=False)
        permit.document_name = "pirt.pdf"
        permit.document_content_type = "application/pdf"
        permit.save()
    return permit


def _facility(world: World) -> Any:
    """Owner A's production facility."""
    from applicants.models import Facility, Region

    facility, _ = Facility.objects.get_or_create(
        business=world.business,
        name="Dapur matriks",
        defaults={
            "kind": "production",
            "address": "Jl. Matriks 1",
            "region": Region.objects.filter(kind="city").first(),
        },
    )
    return facility


def _listing(world: World) -> Any:
    """Owner A's certified product, published in the catalogue with a photo."""
    import io

    from django.core.files.uploadedfile import SimpleUploadedFile
    from PIL import Image

    from applicants.listings.services import listing_save
    from applicants.models.listings import ProductListing

    product = world.certificate.application.products.get()
    existing = ProductListing.objects.filter(product=product).first()
    if existing is not None:
        return existing
    buffer = io.BytesIO()
    Image.new("RGB", (400, 300), (10, 120, 60)).save(buffer, format="PNG")
    photo = SimpleUploadedFile("foto.png", buffer.getvalue())
    fields = {"published": True, "whatsapp": "081234567890"}
    more = SimpleUploadedFile("lagi.png", buffer.getvalue())
    return listing_save(actor=world.business.owner, product=product, fields=fields, photo=photo, more_photos=[more])


def _facilitation(world: World) -> Any:
    """A BPOM facilitation case owner A asked for."""
    from training.facilitation.services import facilitation_open
    from training.models.facilitation import FacilitationCase

    existing = FacilitationCase.objects.filter(business=world.business).first()
    return existing or facilitation_open(actor=world.business.owner, business=world.business, product=world.product)


def _done_report() -> Any:
    """A finished monthly report with its file (made once per test)."""
    import datetime as dt

    from django.core.files.base import ContentFile

    from applicants.models import Region
    from reports.models import MonthlyReport

    report, created = MonthlyReport.objects.get_or_create(
        month=dt.date(2026, 10, 1), region=Region.objects.get(code="18"), defaults={"status": MonthlyReport.Status.DONE}
    )
    if created:
        report.file.save("laporan-2026-10.pdf", ContentFile(b"%PDF-1.4\n%%EOF\n"), save=True)
    return report


def _verval_photo(w: World) -> Any:
    """A site-visit photo on the world's certified case (validated with a complete checklist by the factories)."""
    from django.core.files.base import ContentFile

    from certification.models import VerificationPhoto

    photo = VerificationPhoto.objects.filter(verification__application=w.certificate.application).first()
    if photo is None:
        photo = VerificationPhoto(verification=w.certificate.application.verification, width=1, height=1)
        photo.photo.save("photo.jpg", ContentFile(b"\xff\xd8\xff"), save=False)
        photo.thumbnail.save("thumb.jpg", ContentFile(b"\xff\xd8\xff"), save=True)
    return photo


def _appeal(w: World) -> Any:
    """An appeal with an attachment on the world's certified case (the page only reads it)."""
    from django.core.files.base import ContentFile

    from certification.models import Appeal

    application = w.certificate.application
    appeal = Appeal.objects.filter(application=application).first()
    if appeal is None:
        appeal = Appeal(
            application=application,
            rejected_from="verification",
            reason="Bovine gelatine.",
            filed_by=application.business.owner,
            attachment_name="bukti.pdf",
            attachment_type="application/pdf",
        )
        appeal.attachment.save("bukti.pdf", ContentFile(b"%PDF-1.4\n%%EOF\n"), save=True)
    return appeal


def _excluded(name: str) -> bool:
    namespace = name.split(":", 1)[0] if ":" in name else ""
    return (
        namespace in EXCLUDED_NAMESPACES
        or name in EXCLUDED_NAMES
        or any(name.startswith(prefix) for prefix in EXCLUDED_NAME_PREFIXES)
    )


def project_url_names() -> set[str]:
    """Every named URL pattern reachable from the root URLconf (namespaced `ns:name`), minus the exclusions."""
    names: set[str] = set()

    def walk(resolver: URLResolver, namespace: str) -> None:
        for pattern in resolver.url_patterns:
            if isinstance(pattern, URLResolver):
                inner = ":".join(part for part in (namespace, pattern.namespace or "") if part)
                walk(pattern, inner)
            elif isinstance(pattern, URLPattern):
                name = f"{namespace}:{pattern.name}" if namespace else (pattern.name or "")
                if namespace in EXCLUDED_NAMESPACES:
                    continue
                assert pattern.name, f"unnamed URL pattern {pattern.pattern} (every project URL must be named)"
                if not _excluded(name):
                    names.add(name)

    walk(get_resolver(), "")
    return names


@pytest.fixture
def world(alice: User, bob: User, pat: User, rina: User, oscar: User, settings: Any, tmp_path: Any) -> World:
    settings.MEDIA_ROOT = tmp_path / "media"
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
    return build_world(alice=alice, bob=bob, pat=pat, rina=rina, oscar=oscar)


@pytest.fixture
def clients(alice: User, bob: User, pat: User, rina: User, oscar: User, ayu: User) -> dict[str, Client]:
    users: dict[str, User | None] = {
        "anonymous": None,
        "owner_a": alice,
        "owner_b": bob,
        "pph": pat,
        "reviewer": rina,
        "officer": oscar,
        "admin": ayu,
    }
    result: dict[str, Client] = {}
    for actor, user in users.items():
        client = Client()
        if user is not None:
            client.force_login(user)
        result[actor] = client
    return result


@pytest.fixture(autouse=True)
def _english() -> Iterator[None]:
    with translation.override("en"):
        yield


def observe(world: World, clients: dict[str, Client], name: str) -> tuple[tuple[int, ...], list[str]]:
    """The status each actor gets, and the actors whose HTML answer lacks the Content-Security-Policy."""
    url = reverse(name, kwargs=ARGS[name](world) if name in ARGS else None)
    codes: list[int] = []
    without_csp: list[str] = []
    for actor in ACTORS:
        response = clients[actor].get(url)
        codes.append(response.status_code)
        if response.get("Content-Type", "").startswith("text/html") and not csp_ok(response):
            without_csp.append(actor)
    return tuple(codes), without_csp


def csp_ok(response: Any) -> bool:
    policy = response.get("Content-Security-Policy", "")
    return "script-src 'self'" in policy and "style-src 'self'" in policy and "unsafe-inline" not in policy


def test_every_url_pattern_has_a_row_in_the_matrix() -> None:
    names = project_url_names()
    missing = sorted(names - MATRIX.keys())
    stale = sorted(MATRIX.keys() - names)
    assert not missing, f"URL patterns without a row in MATRIX (add the expected answers): {missing}"
    assert not stale, f"rows in MATRIX for URL names that no longer exist: {stale}"


@pytest.mark.django_db
def test_every_actor_gets_the_expected_answer_and_every_html_page_has_the_csp(
    world: World, clients: dict[str, Client]
) -> None:
    wrong = {}
    missing_csp = {}
    for name, expected in MATRIX.items():
        got, without_csp = observe(world, clients, name)
        if got != expected:
            wrong[name] = {a: (e, g) for a, e, g in zip(ACTORS, expected, got, strict=True) if e != g}
        if without_csp:
            missing_csp[name] = without_csp
    assert not wrong, f"answers differ from the matrix (actor: (expected, got)): {wrong}"
    assert not missing_csp, f"HTML answers without a strict Content-Security-Policy: {missing_csp}"


# --- A second province's staff: Jawa Barat's reviewer and officer see nothing of Lampung's world -----------------
SECOND_PROVINCE = {"reviewer": 4, "officer": 5}  # their Lampung counterparts' columns in MATRIX
OBJECT_PAGES = {  # pages of one of Lampung's objects that a Lampung reviewer/officer opens: 404 in Jawa Barat
    "api-business",
    "api-business-figures",
    "api-business-products",
    "api-business-documents",
    "applicants:business_detail",
    "applicants:document_download",
    "api-application",
    "api-application-evidence",
    "certification:case",
    "certification:evidence",
    "dashboard:report",
    "dashboard:report-download",
}


@pytest.fixture
def west_java(make_user: Callable[..., User]) -> dict[str, Client]:
    from tests.conftest import works_for

    reviewer = works_for(make_user("dewi@jabar.test", "reviewer", full_name="Dewi Jabar"), "32")
    officer = works_for(make_user("asep@jabar.test", "officer", full_name="Asep Jabar"), "3273")
    result = {}
    for actor, user in (("reviewer", reviewer), ("officer", officer)):
        client = Client()
        client.force_login(user)
        result[actor] = client
    return result


@pytest.mark.django_db
def test_a_second_provinces_reviewer_and_officer_see_nothing_of_lampungs(
    world: World, west_java: dict[str, Client], rina: User
) -> None:
    secrets = [world.business.name, world.business.nib, world.other_business.nib]
    leaked: dict[str, list[str]] = {}
    wrong: dict[str, tuple[str, int, int]] = {}
    for name, expected in MATRIX.items():
        url = reverse(name, kwargs=ARGS[name](world) if name in ARGS else None)
        for actor, column in SECOND_PROVINCE.items():
            lampung = expected[column]
            got = west_java[actor].get(url).status_code
            must = 404 if name in OBJECT_PAGES and lampung == 200 else None
            if (must is not None and got != must) or got not in {lampung, 404}:
                wrong[f"{name} ({actor})"] = (url, lampung, got)
            if got == 200 and expected[0] != 200:  # public pages (registry, verification) show anyone the same
                response = west_java[actor].get(url)
                if response.get("Content-Type", "").startswith(("text/html", "application/json", "text/csv")):
                    body = b"".join(response.streaming_content) if response.streaming else response.content
                    found = [s for s in secrets if s.encode() in body]
                    if found:
                        leaked[f"{name} ({actor})"] = found
    assert not wrong, f"Jawa Barat staff got (url, Lampung's answer, theirs): {wrong}"
    assert not leaked, f"Lampung's data shown to Jawa Barat staff: {leaked}"
    # and the check is not vacuous: Lampung's own reviewer finds the business where Jawa Barat's finds nothing
    lampung = Client()
    lampung.force_login(rina)
    registry = reverse("applicants:registry")
    link = reverse("applicants:business_detail", kwargs={"pk": world.business.pk}).encode()
    assert link in lampung.get(registry, {"q": world.business.nib}).content
    assert link not in west_java["reviewer"].get(registry, {"q": world.business.nib}).content
