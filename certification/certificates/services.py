"""Certificate writes: the number and snapshots at issue, the PDF, revocation and supersession.

`certificate_create_at_issue` is called only by the `issue` handler of `services.application_transition`, inside
its transaction: the counter row is locked there, so a rolled-back issue rolls its number back too.
"""

from __future__ import annotations

import base64
import re
import secrets
from dataclasses import dataclass
from datetime import date, datetime, time
from pathlib import Path
from typing import Any

from django.conf import settings
from django.core.cache import cache
from django.core.exceptions import ImproperlyConfigured
from django.core.files.base import ContentFile
from django.db import transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from certification.evidence.selectors import content_of
from certification.models import (
    Application,
    Certificate,
    CertificateCounter,
    CertificateEvent,
    CertificateRevision,
    EvidenceSnapshot,
)
from certification.workflow import table as wf
from core.access import roles, throttling
from core.errors import DomainError
from core.files.pdf import render_pdf
from core.files.qr import qr_png_data_uri
from core.links import absolute_url
from core.tasks import enqueue_on_commit

SEQUENCE_DIGITS = 9
PRODUCTS_ON_FIRST_PAGE = 12


def number_pattern() -> re.Pattern[str]:
    prefix = re.escape(settings.CERTIFICATE_PREFIX)
    return re.compile(rf"^{prefix}\d{{17}}$")


def cache_key(number: str) -> str:
    return f"cert:public:{number}"


def page_cache_key(token: str) -> str:
    return f"cert:page:{token}"


def page_html_key(token: str, language: str) -> str:
    """The verification page as an anonymous visitor gets it, rendered (certification.certificates.views.verify)."""
    return f"cert:page-html:{language}:{token}"


def _forget(certificate: Certificate) -> None:
    """Drop the cached public answers of a certificate once its status change is committed."""
    number_key, page_key = cache_key(certificate.number), page_cache_key(certificate.token)
    token = certificate.token

    def forget() -> None:
        # the JSON answer and the rendered pages (read with the throttle's counter)
        throttling.store().delete(number_key, *(page_html_key(token, code) for code, _ in settings.LANGUAGES))
        cache.delete(page_key)  # the verification page's certificate

    transaction.on_commit(forget)


def verification_url(certificate: Certificate) -> str:
    return absolute_url(reverse("certification:verify", args=[certificate.token]))


def _next_sequence(province_code: str) -> int:
    """Lock the province's counter row (created race-safe) and take the next value; call inside a transaction."""
    CertificateCounter.objects.get_or_create(province_code=province_code)
    counter = CertificateCounter.objects.select_for_update().get(province_code=province_code)
    counter.last_value += 1
    counter.save(update_fields=["last_value"])
    return counter.last_value


def certificate_number(*, province_code: str, sequence: int, when: Any) -> str:
    local = timezone.localtime(when)
    return f"{settings.CERTIFICATE_PREFIX}{province_code}11{sequence:0{SEQUENCE_DIGITS}d}{local:%m%y}"


@dataclass(frozen=True)
class OfficialCertificate:
    """CERTIFICATE_ISSUER=bpjph: the certificate as BPJPH issued it through SIHALAL."""

    number: str
    issued_on: date
    pdf: Any


def authority_signatory() -> str:
    """Platform mode: who signs for the issuing authority, "name, position" from the settings."""
    parts = (settings.CERTIFICATE_AUTHORITY_SIGNATORY, settings.CERTIFICATE_AUTHORITY_SIGNATORY_TITLE)
    return ", ".join(part.strip() for part in parts if part.strip())


def certificate_event(certificate: Certificate, action: str, actor: Any, note: str = "") -> CertificateEvent:
    """Append to the certificate's hash chain: the action, the status it leaves, the evidence hash it rests on."""
    snapshot_hash = ""
    if certificate.evidence_id is not None:
        snapshot_hash = (
            EvidenceSnapshot.objects.filter(pk=certificate.evidence_id).values_list("content_hash", flat=True).first()
            or ""
        )
    return CertificateEvent.objects.create(
        certificate=certificate,
        action=action,
        actor=actor,
        note=note,
        status=certificate.status,
        snapshot_hash=snapshot_hash,
    )


def _products(content: dict[str, Any]) -> list[dict[str, str]]:
    """The certificate's product list as the evidence names it."""
    rows = sorted(content.get("products") or [], key=lambda p: (p["name"], p["id"]))
    return [{"name": p["name"], "category": p["category"]} for p in rows]


def certificate_create_at_issue(
    *, application: Application, actor: Any, official: OfficialCertificate | None = None
) -> Certificate:
    """Number, snapshot and (for a renewal) supersede; must run inside the issuing transaction.

    With `official` (a facilitating office) no number is taken from the counters: the certificate carries BPJPH's
    number, date and PDF, and the platform's own PDF becomes a facilitation record."""
    if not transaction.get_connection().in_atomic_block:
        raise RuntimeError("certificate_create_at_issue must run inside the issue transition's transaction")
    if application.fatwa_date is None:
        raise RuntimeError("a certificate is issued only after the fatwa decision is recorded")
    content = content_of(application)  # what the case rests on: its evidence, not the live dossier
    business = content["business"]
    region = application.business.region
    now = timezone.now()
    if official is None:
        number = certificate_number(
            province_code=region.province_code, sequence=_next_sequence(region.province_code), when=now
        )
        issued_at, issuer = now, Certificate.Issuer.PLATFORM
        issuer_name, signatory = settings.CERTIFICATE_AUTHORITY_NAME, authority_signatory()
    else:
        number, issuer = official.number, Certificate.Issuer.BPJPH
        issued_at = timezone.make_aware(datetime.combine(official.issued_on, time(12, 0)))
        issuer_name, signatory = settings.BPJPH_NAME, ""
    products = _products(content)
    certificate = Certificate.objects.create(
        application=application,
        number=number,
        token=secrets.token_urlsafe(24),
        issued_at=issued_at,
        issuer=issuer,
        issuer_name=issuer_name[:200],
        signatory=signatory[:200],
        business_name=business["name"],
        business_address=business["address"],
        nib=business["nib"],
        region_name=(business.get("region") or {}).get("name") or region.name,
        region_code=(business.get("region") or {}).get("code") or region.code,
        sector=business["sector"],
        products=products,
        products_text="; ".join(p["name"] for p in products),
        fatwa_number=application.fatwa_number,
        fatwa_date=application.fatwa_date,
        pathway=application.pathway,
        evidence_id=application.evidence_id,
    )
    CertificateRevision.objects.create(
        certificate=certificate,
        revision=1,
        application=application,
        created_at=issued_at,
        products=products,
        added=[p["name"] for p in products],
        evidence_id=application.evidence_id,
    )
    if official is not None:
        certificate.official_pdf.save(f"{number}.pdf", official.pdf, save=False)
        certificate.save(update_fields=["official_pdf"])
    certificate_event(certificate, "issue", actor, _("Recorded from BPJPH (SIHALAL).") if official else "")
    if application.previous_certificate_id is not None:
        old = Certificate.objects.select_for_update().get(pk=application.previous_certificate_id)
        if old.status == Certificate.Status.VALID:
            old.status = Certificate.Status.SUPERSEDED
            old.superseded_by = certificate
            old.save(update_fields=["status", "superseded_by"])
            certificate_event(old, "supersede", actor, certificate.number)
            _forget(old)
    enqueue_on_commit("certification.certificate_render_pdf", certificate.pk)
    return certificate


def certificate_revise(*, application: Application, actor: Any) -> Certificate:
    """Issue a product development: the developed certificate gets a new revision (same number) with the full product
    list; the old revision stays in the history, and the worker renders the PDF again. Inside the issue transaction."""
    if not transaction.get_connection().in_atomic_block:
        raise RuntimeError("certificate_revise must run inside the issue transition's transaction")
    if application.developed_certificate_id is None or application.fatwa_date is None:
        raise RuntimeError("a product development is issued only for a developed certificate after its fatwa")
    certificate = Certificate.objects.select_for_update().get(pk=application.developed_certificate_id)
    if certificate.status != Certificate.Status.VALID:
        raise DomainError(
            _("Certificate %(number)s is no longer valid (%(status)s); it cannot take a product development.")
            % {"number": certificate.number, "status": certificate.get_status_display()}
        )
    now = timezone.now()
    changed = _products(content_of(application))
    names = {p["name"] for p in changed}
    products = [p for p in certificate.products if p["name"] not in names] + changed
    certificate.revision += 1
    certificate.revised_at = now
    certificate.products = products
    certificate.products_text = "; ".join(p["name"] for p in products)
    certificate.fatwa_number, certificate.fatwa_date = application.fatwa_number, application.fatwa_date
    certificate.pdf = ""  # the worker renders the new revision
    certificate.evidence_id = application.evidence_id
    certificate.save(
        update_fields=[
            "revision",
            "revised_at",
            "products",
            "products_text",
            "fatwa_number",
            "fatwa_date",
            "pdf",
            "evidence",
        ]
    )
    CertificateRevision.objects.create(
        certificate=certificate,
        revision=certificate.revision,
        application=application,
        created_at=now,
        products=products,
        added=sorted(names),
        evidence_id=application.evidence_id,
    )
    certificate_event(certificate, "revise", actor, f"{certificate.revision}: {'; '.join(sorted(names))}")
    _forget(certificate)
    enqueue_on_commit("certification.certificate_render_pdf", certificate.pk)
    return certificate


def _owners_valid_certificate(
    *, owner: Any, certificate_id: int, business_id: int, field: str, message: str
) -> Certificate:
    """A valid certificate of the owner's own business, or a DomainError on `field` with `message`."""
    certificate = (
        Certificate.objects.filter(
            pk=certificate_id,
            application__business_id=business_id,
            application__business__owner=owner,
            status=Certificate.Status.VALID,
        )
        .only("pk")
        .first()
    )
    if certificate is None:
        raise DomainError(message, errors={field: [message]})
    return certificate


def developable_certificate(*, owner: Any, certificate_id: int, business_id: int) -> Certificate:
    """The certificate an owner's product development points at: valid, of the same business, their own."""
    return _owners_valid_certificate(
        owner=owner,
        certificate_id=certificate_id,
        business_id=business_id,
        field="developed_certificate",
        message=_("Choose a valid certificate of this business to add products or changes to."),
    )


# --- The PDF ---
def authority_logo() -> str:
    """Platform mode: the issuing authority's logo (CERTIFICATE_AUTHORITY_LOGO, PNG or JPEG) as a data URI, or ""."""
    path = Path(settings.CERTIFICATE_AUTHORITY_LOGO) if settings.CERTIFICATE_AUTHORITY_LOGO else None
    if path is None:
        return ""
    kind = {".png": "image/png", ".jpg": "image/jpeg", ".jpeg": "image/jpeg"}.get(path.suffix.lower())
    if kind is None or not path.is_file():
        raise ImproperlyConfigured("CERTIFICATE_AUTHORITY_LOGO must name an existing PNG or JPEG file.")
    return f"data:{kind};base64,{base64.b64encode(path.read_bytes()).decode()}"


def _pdf_context(certificate: Certificate) -> dict[str, Any]:
    products = certificate.products
    platform = certificate.issuer == Certificate.Issuer.PLATFORM
    return {
        "certificate": certificate,
        "issuer_name": certificate.issuer_display,
        "authority_logo": authority_logo() if platform else "",
        "first_products": products[:PRODUCTS_ON_FIRST_PAGE],
        "more_products": products[PRODUCTS_ON_FIRST_PAGE:],
        "qr": qr_png_data_uri(verification_url(certificate)),
        "verify_url": verification_url(certificate),
        "pathway_id": "Pernyataan Mandiri (Self-declare)" if certificate.pathway == wf.SELF_DECLARE else "Reguler",
        **_fatwa_stage(certificate),
    }


def _fatwa_stage(certificate: Certificate) -> dict[str, str]:
    """The fatwa stage by the workflow table's name for the body that decided: the Komite Fatwa Produk Halal for
    self-declare (and a regular case passed to it), the Sidang Fatwa MUI for a regular case."""
    body = certificate.application.fatwa_body if certificate.application_id else ""
    if body == wf.KOMITE_FATWA:
        pathway = wf.SELF_DECLARE
    elif body == wf.MUI_SESSION:
        pathway = wf.REGULAR
    else:
        pathway = certificate.pathway
    return {
        "fatwa_stage_id": wf.public_label("fatwa", "id", pathway),
        "fatwa_stage_en": wf.public_label("fatwa", "en", pathway),
    }


def certificate_pdf_bytes(certificate: Certificate) -> bytes:
    """The certificate's PDF (pure rendering, nothing stored): what the worker stores, and what is timed."""
    return render_pdf("certification/certificate_pdf.html", _pdf_context(certificate), language="id")


def certificate_pdf_render(*, certificate: Certificate) -> Certificate:
    """Render and store the PDF once. A second run (or a run racing another) leaves the first file alone."""
    if Certificate.objects.filter(pk=certificate.pk).exclude(pdf="").exists():
        certificate.refresh_from_db()
        return certificate
    content = certificate_pdf_bytes(certificate)
    with transaction.atomic():
        locked = Certificate.objects.select_for_update().get(pk=certificate.pk)
        if locked.pdf:
            return locked
        locked.pdf.save(f"{locked.number}.pdf", ContentFile(content), save=False)
        locked.pdf_rendered_at = timezone.now()
        locked.save(update_fields=["pdf", "pdf_rendered_at"])
        certificate_event(locked, "render_pdf", None)
    return locked


# --- Revocation ---
def certificate_revoke(*, certificate: Certificate, actor: Any, reason: str) -> Certificate:
    """A reviewer revokes a valid certificate with a reason; the owner is told by e-mail after commit."""
    if not roles.has_role(actor, *wf.ACTOR_ROLES[wf.REVIEWER]):
        raise DomainError(_("Only reviewers can revoke a certificate."))
    reason = (reason or "").strip()
    if not reason:
        message = _("Give the reason for revoking the certificate.")
        raise DomainError(message, errors={"reason": [message]})
    with transaction.atomic():
        locked = Certificate.objects.select_for_update().get(pk=certificate.pk)
        if locked.status != Certificate.Status.VALID:
            raise DomainError(
                _("Only a valid certificate can be revoked; this one is “%(status)s”.")
                % {"status": locked.get_status_display()}
            )
        locked.status = Certificate.Status.REVOKED
        locked.revoked_at = timezone.now()
        locked.revocation_reason = reason
        locked.revoked_by = actor
        locked.save(update_fields=["status", "revoked_at", "revocation_reason", "revoked_by"])
        event = certificate_event(locked, "revoke", actor, reason)
        _forget(locked)
        enqueue_on_commit("certification.notify_owner_of_revocation", event.pk)
    return locked


def renewable_certificate(*, owner: Any, certificate_id: int, business_id: int) -> Certificate:
    """The certificate an owner's renewal application points at: valid, of the same business, their own, and with an
    expiry date. Since UU 6/2023 (Ps 42) a certificate stays valid while composition and process are unchanged: only
    the four-year certificates issued before it expire, so only they are renewed (and invoiced a renewal fee)."""
    certificate = _owners_valid_certificate(
        owner=owner,
        certificate_id=certificate_id,
        business_id=business_id,
        field="previous_certificate",
        message=_("Choose a valid certificate of this business to renew."),
    )
    expires_on = Certificate.objects.filter(pk=certificate.pk).values_list("expires_on", flat=True).first()
    if expires_on is None:
        message = _(
            "This certificate has no expiry date: it stays valid for as long as the ingredients and the process do "
            "not change (UU 6/2023 Pasal 42), so it is not renewed. For new or changed products, apply for a product "
            "development of the certificate."
        )
        raise DomainError(message, errors={"previous_certificate": [message]})
    return certificate
