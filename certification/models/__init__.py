"""Certification's models; Django finds them all here, and other apps import them from here.

- applications: the application (case) and its pathway and state, LPH and assistants' directories, appeals, the
  hash-chained workflow events, the case's documents, reminders and conversation
- quota: the Sehati quota's pools and claims, the self-declare categories
- certificates: certificates, revisions, their events, yearly composition checks and expiry reminders
- verification: the assistant's verification (verval) record, lines and photos
- evidence: the immutable snapshot of what each submission rests on
- payments: the regular pathway's bill, the owner's proof of payment and the office's confirmation

The state of an application changes only in `certification.services.application_transition`.
"""

from __future__ import annotations

from certification.models.applications import (
    Appeal,
    Application,
    ApplicationEvent,
    ApplicationState,
    CaseDocument,
    CaseMessage,
    CaseReminder,
    FatwaBody,
    Lp3h,
    Lph,
    Pathway,
    PphProfile,
    appeal_upload_to,
    audit_report_upload_to,
    case_document_upload_to,
    case_message_upload_to,
    payment_proof_upload_to,
)
from certification.models.certificates import (
    Certificate,
    CertificateCounter,
    CertificateEvent,
    CertificateReminder,
    CertificateRevision,
    CompositionCheck,
    certificate_pdf_upload_to,
    official_pdf_upload_to,
)
from certification.models.evidence import (
    EvidenceSnapshot,
    SnapshotImmutable,
)
from certification.models.payments import Bill, bill_proof_upload_to
from certification.models.quota import (
    SehatiClaim,
    SehatiQuota,
    SelfDeclareCategory,
)
from certification.models.verification import (
    Verification,
    VerificationItem,
    VerificationPhoto,
    verification_photo_upload_to,
)

__all__ = [
    "Appeal",
    "Application",
    "ApplicationEvent",
    "ApplicationState",
    "Bill",
    "CaseDocument",
    "CaseMessage",
    "CaseReminder",
    "Certificate",
    "CertificateCounter",
    "CertificateEvent",
    "CertificateReminder",
    "CertificateRevision",
    "CompositionCheck",
    "EvidenceSnapshot",
    "FatwaBody",
    "Lp3h",
    "Lph",
    "Pathway",
    "PphProfile",
    "SehatiClaim",
    "SehatiQuota",
    "SelfDeclareCategory",
    "SnapshotImmutable",
    "Verification",
    "VerificationItem",
    "VerificationPhoto",
    "appeal_upload_to",
    "audit_report_upload_to",
    "bill_proof_upload_to",
    "case_document_upload_to",
    "case_message_upload_to",
    "certificate_pdf_upload_to",
    "official_pdf_upload_to",
    "payment_proof_upload_to",
    "verification_photo_upload_to",
]
