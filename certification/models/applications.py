"""Applications for a halal certificate, their timeline, the Sehati quota and the collective leave calendar.

The state of an application changes only in `certification.services.application_transition`.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from applicants.models import Business, Document, Product
from certification.workflow import table as wf
from core.files.names import random_file_name
from core.ops.chain import ChainHeaded, HashChained, chain_constraint


def _upload_to(folder: str, instance: models.Model, filename: str) -> str:
    """Random stored name; the original name is never used as a path."""
    return random_file_name(f"certification/{folder}", filename)


def payment_proof_upload_to(instance: models.Model, filename: str) -> str:
    return _upload_to("payments", instance, filename)


def audit_report_upload_to(instance: models.Model, filename: str) -> str:
    return _upload_to("audits", instance, filename)


def appeal_upload_to(instance: models.Model, filename: str) -> str:
    return _upload_to("appeals", instance, filename)


class Pathway(models.TextChoices):
    SELF_DECLARE = wf.SELF_DECLARE, _("Self-declare (Sehati, free)")
    REGULAR = wf.REGULAR, _("Regular (paid, LPH audit)")


class ApplicationState(models.TextChoices):
    DRAFT = "draft", _("Draft")
    SUBMITTED = "submitted", _("Waiting for an assistant")
    PPH_VERIFICATION = "pph_verification", _("Assistant verification")
    VERIFICATION = "verification", _("Document verification")
    LPH_APPOINTMENT = "lph_appointment", _("Halal examiner appointment")
    AWAITING_PAYMENT = "awaiting_payment", _("Awaiting payment")
    LPH_EXAMINATION = "lph_examination", _("Halal audit (LPH)")
    FATWA = "fatwa", _("Fatwa decision")
    ISSUANCE = "issuance", _("Certificate issuance")
    RETURNED = "returned", _("Returned for revision")
    APPEAL = "appeal", _("Appeal filed")
    BANDING = "banding", _("Administrative appeal (banding) filed")
    ISSUED = "issued", _("Certificate issued")
    REJECTED = "rejected", _("Rejected")
    CANCELLED = "cancelled", _("Cancelled")


class FatwaBody(models.TextChoices):
    MUI_SESSION = wf.MUI_SESSION, _("MUI fatwa session")
    KOMITE_FATWA = wf.KOMITE_FATWA, _("Halal Product Fatwa Committee (Komite Fatwa Produk Halal)")


class Lph(models.Model):
    """A halal examination agency (Lembaga Pemeriksa Halal) accredited by BPJPH: the directory owners choose from."""

    name = models.CharField(_("name"), max_length=200, unique=True)
    accreditation_number = models.CharField(_("accreditation number"), max_length=80, blank=True)
    national = models.BooleanField(_("serves every province"), default=False)
    province_codes = models.JSONField(
        _("provinces served"), default=list, blank=True, help_text=_("Kemendagri codes of the provinces, e.g. 18.")
    )
    categories = models.JSONField(
        _("product categories"), default=list, blank=True, help_text=_("Empty: every category.")
    )
    contact = models.CharField(_("contact"), max_length=200, blank=True)
    website = models.URLField(_("website"), blank=True)
    source = models.TextField(_("source"), blank=True)
    verified = models.BooleanField(
        _("verified"), default=False, help_text=_("Checked against BPJPH's register; unverified entries say so.")
    )
    active = models.BooleanField(_("active"), default=True)

    class Meta:
        ordering = ["name"]
        verbose_name = _("halal examination agency (LPH)")
        verbose_name_plural = _("halal examination agencies (LPH)")

    def __str__(self) -> str:
        return self.name

    def serves(self, business: Business) -> bool:
        """Active, and serving the business's province (a national LPH serves all)."""
        return self.active and (self.national or business.region.code[:2] in self.province_codes)


class Lp3h(models.Model):
    """A halal product process assistance institution (LP3H): the institution a halal process assistant belongs to.
    The regencies an assistant serves are their jurisdiction (applicants.StaffRegion)."""

    name = models.CharField(_("name"), max_length=200, unique=True)
    city = models.CharField(_("city"), max_length=120)
    contact = models.CharField(_("contact"), max_length=200, blank=True)

    class Meta:
        ordering = ["name"]
        verbose_name = _("assistance institution (LP3H)")
        verbose_name_plural = _("assistance institutions (LP3H)")

    def __str__(self) -> str:
        return self.name


class PphProfile(models.Model):
    """A halal process assistant's membership of an LP3H."""

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL, verbose_name=_("assistant"), on_delete=models.CASCADE, related_name="pph_profile"
    )
    lp3h = models.ForeignKey(Lp3h, verbose_name=_("LP3H"), on_delete=models.PROTECT, related_name="assistants")
    phone = models.CharField(_("phone / WhatsApp"), max_length=30, blank=True)

    class Meta:
        ordering = ["user__full_name"]
        verbose_name = _("assistant profile")
        verbose_name_plural = _("assistant profiles")

    def __str__(self) -> str:
        return f"{self.user} ({self.lp3h})"


class Application(ChainHeaded, models.Model):
    business = models.ForeignKey(
        Business, verbose_name=_("business"), on_delete=models.PROTECT, related_name="applications"
    )
    pathway = models.CharField(_("pathway"), max_length=20, choices=Pathway.choices)
    state = models.CharField(
        _("state"), max_length=20, choices=ApplicationState.choices, default=ApplicationState.DRAFT, editable=False
    )
    products = models.ManyToManyField(Product, verbose_name=_("products"), related_name="applications")
    documents = models.ManyToManyField(Document, verbose_name=_("documents"), related_name="applications", blank=True)
    assigned_reviewer = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("assigned reviewer"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="reviewed_applications",
    )
    assigned_pph = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("assigned halal process assistant"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="assisted_applications",
    )
    # The SLA clock: due date of the current stage (None when the stage has no limit or the clock is paused).
    due_on = models.DateField(_("current stage due on"), null=True, blank=True, editable=False)
    stage_entered_on = models.DateField(_("current stage entered on"), null=True, blank=True, editable=False)
    # A return remembers the stage and its working days left; resubmission resumes there.
    returned_from = models.CharField(
        _("returned from stage"), max_length=20, choices=ApplicationState.choices, blank=True, editable=False
    )
    paused_remaining_days = models.PositiveSmallIntegerField(
        _("working days left when paused"), null=True, blank=True, editable=False
    )
    # The legal total: working days used in legal stages (paused time and office standards excluded), and the
    # working days the law adds (an LPH audit extension, the Komite Fatwa after a missed MUI session).
    legal_days_used = models.PositiveSmallIntegerField(_("legal working days used"), default=0, editable=False)
    legal_extension_days = models.PositiveSmallIntegerField(_("legal working days added"), default=0, editable=False)
    # An owner window (response to a return, payment): an office service standard, not a legal stage.
    owner_due_on = models.DateField(_("owner window ends on"), null=True, blank=True, editable=False)
    lph = models.ForeignKey(
        Lph,
        verbose_name=_("halal examination agency (LPH)"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="applications",
    )
    # Self-declare pledge (ikrar).
    pledge_version = models.CharField(_("pledge text version"), max_length=20, blank=True, editable=False)
    pledge_signed_at = models.DateTimeField(_("pledge signed at"), null=True, blank=True, editable=False)
    # Regular pathway: fee snapshot taken at verification, invoice and payment.
    fee_schedule_slug = models.CharField(_("fee schedule"), max_length=60, blank=True, editable=False)
    fee_schedule_version = models.PositiveIntegerField(_("fee schedule version"), null=True, blank=True, editable=False)
    fee_tier_code = models.CharField(_("fee tier"), max_length=40, blank=True, editable=False)
    fee_amount = models.BigIntegerField(_("fee (Rp)"), null=True, blank=True, editable=False)
    fee_ratio_percent = models.DecimalField(
        _("fee to gross income ratio (%)"), max_digits=9, decimal_places=2, null=True, blank=True, editable=False
    )
    invoice_reference = models.CharField(_("invoice reference"), max_length=40, blank=True, editable=False)
    # The invoice line by line (certification.fee_snapshot): {"registration" or "renewal": Rp, "examination_cap": Rp}
    # and the quote's explanation in every language, {"id": [line, ...], "en": [...]}; empty before the invoice.
    fee_components = models.JSONField(_("fee components"), default=dict, blank=True, editable=False)
    fee_explanation = models.JSONField(_("fee explanation"), default=dict, blank=True, editable=False)
    payment_proof = models.FileField(
        _("payment proof"), upload_to=payment_proof_upload_to, max_length=200, blank=True, editable=False
    )
    paid_at = models.DateTimeField(_("paid at"), null=True, blank=True, editable=False)
    lph_name = models.CharField(_("halal examination agency (LPH)"), max_length=200, blank=True, editable=False)
    audit_report = models.FileField(
        _("LPH audit report"), upload_to=audit_report_upload_to, max_length=200, blank=True, editable=False
    )
    # Self-declare: the assistant's site visit.
    pph_visit_date = models.DateField(_("assistant's visit date"), null=True, blank=True, editable=False)
    pph_report = models.TextField(_("assistant's validation report"), blank=True, editable=False)
    fatwa_number = models.CharField(_("fatwa decision number"), max_length=60, blank=True, editable=False)
    fatwa_date = models.DateField(_("fatwa decision date"), null=True, blank=True, editable=False)
    fatwa_body = models.CharField(
        _("deciding body"), max_length=20, choices=FatwaBody.choices, blank=True, editable=False
    )
    fatwa_escalated_at = models.DateTimeField(_("passed to the Komite Fatwa at"), null=True, blank=True, editable=False)
    return_reason = models.TextField(_("reason for return"), blank=True, editable=False)
    rejection_reason = models.TextField(_("reason for rejection"), blank=True, editable=False)
    # CERTIFICATE_ISSUER=bpjph: the case's registration number in BPJPH's SIHALAL, recorded at submission.
    sihalal_registration = models.CharField(_("SIHALAL registration number"), max_length=40, blank=True, editable=False)
    # A rejection remembers its stage, day and reviewer: an appeal (keberatan) may be filed within the office's
    # window, once per rejection, and is decided by another reviewer; upheld, the case resumes at that stage.
    rejected_from = models.CharField(
        _("rejected at stage"), max_length=20, choices=ApplicationState.choices, blank=True, editable=False
    )
    rejected_on = models.DateField(_("rejected on"), null=True, blank=True, editable=False)
    rejected_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("rejected by"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        editable=False,
    )
    appeal_filed_on = models.DateField(_("appeal filed on"), null=True, blank=True, editable=False)
    # A dismissed objection opens the banding window (UU 30/2014 Ps 78); its decider may not decide the banding.
    appeal_decided_on = models.DateField(_("objection dismissed on"), null=True, blank=True, editable=False)
    appeal_decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("objection decided by"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        editable=False,
    )
    banding_filed_on = models.DateField(_("banding filed on"), null=True, blank=True, editable=False)
    sehati_quota = models.ForeignKey(
        "SehatiQuota",
        verbose_name=_("Sehati quota place"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="applications",
        editable=False,
    )
    submitted_at = models.DateTimeField(_("submitted at"), null=True, blank=True, editable=False)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("created by"), on_delete=models.PROTECT, related_name="+"
    )
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated at"), auto_now=True)
    # Bumped by every transition; a client that read version N and acts on N+1 gets a conflict.
    version = models.PositiveIntegerField(_("version"), default=1, editable=False)
    # A renewal after a change of ingredients or process: issuing this application supersedes that certificate.
    previous_certificate = models.ForeignKey(
        "Certificate",
        verbose_name=_("certificate renewed"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="renewals",
        editable=False,
    )

    # A product development (pengembangan produk): new products or changed ingredients or process of an issued
    # certificate; issuing it gives that certificate a new revision (same number), not a new certificate.
    developed_certificate = models.ForeignKey(
        "Certificate",
        verbose_name=_("certificate developed"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="developments",
        editable=False,
    )

    # What the case rests on now: its newest evidence snapshot (None before the first submission).
    evidence = models.ForeignKey(
        "EvidenceSnapshot",
        verbose_name=_("evidence"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
        editable=False,
    )

    class Meta:
        ordering = ["-created_at", "-id"]
        verbose_name = _("application")
        verbose_name_plural = _("applications")
        indexes = [
            # The case queue filtered by state, in its order (selectors.queue_ordering); the keys of a page come
            # from these indexes alone (core.web.pagination.BoundedPaginator's late row lookup).
            models.Index(fields=["state", "due_on", "submitted_at", "id"], name="app_state_queue_idx"),
            # The dashboard's applications by state and pathway over a period: an index-only scan.
            models.Index(fields=["created_at"], include=["state", "pathway"], name="app_created_cover_idx"),
            models.Index(fields=["due_on", "id"], name="app_due_idx"),
            # The case queue's order (selectors.queue_ordering): 50 rows by an index scan, no sort of a due day.
            # The state included: the unfiltered queue skips closed cases without reading a row.
            models.Index(fields=["due_on", "submitted_at", "id"], include=["state"], name="app_queue_cover_idx"),
            # A reviewer's own cases and a region's (through its businesses), sorted from the index alone.
            models.Index(
                fields=["assigned_reviewer", "state"], include=["due_on", "submitted_at"], name="app_reviewer_queue_idx"
            ),
            models.Index(fields=["assigned_pph", "state"], name="app_pph_state_idx"),
            models.Index(
                fields=["business", "state"], include=["due_on", "submitted_at"], name="app_business_queue_idx"
            ),
            models.Index(fields=["pathway", "state"], name="app_pathway_state_idx"),
        ]

    def __str__(self) -> str:
        return f"#{self.pk} {self.business} ({self.get_pathway_display()})"

    @property
    def state_info(self) -> wf.State:
        return wf.state(self.state)

    @property
    def public_state_id(self) -> str:
        return self.state_info.label("id", self.pathway)

    @property
    def public_state_en(self) -> str:
        return self.state_info.label("en", self.pathway)

    @property
    def returned_from_label(self) -> str:
        return wf.public_label(self.returned_from, "id", self.pathway) if self.returned_from else ""


class Appeal(models.Model):
    """An owner's objection (keberatan) to a rejection, decided by a reviewer other than the one who rejected; or,
    once that objection was dismissed, the banding to the superior office (UU 30/2014 Ps 77-78).

    Written only by the transition service's handlers (file_/uphold_/dismiss_appeal, file_/uphold_/dismiss_banding).
    """

    class Level(models.TextChoices):
        OBJECTION = "objection", _("Objection (keberatan)")
        BANDING = "banding", _("Administrative appeal to the superior office (banding)")

    class Decision(models.TextChoices):
        UPHELD = "upheld", _("Upheld: the case resumes")
        DISMISSED = "dismissed", _("Dismissed: the rejection stands")

    application = models.ForeignKey(
        Application, verbose_name=_("application"), on_delete=models.CASCADE, related_name="appeals"
    )
    level = models.CharField(
        _("level"), max_length=10, choices=Level.choices, default=Level.OBJECTION, db_default=Level.OBJECTION
    )
    rejected_from = models.CharField(_("rejected at stage"), max_length=20, choices=ApplicationState.choices)
    rejected_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("rejected by"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    reason = models.TextField(_("reason for the appeal"), max_length=5000)
    attachment = models.FileField(_("attachment"), upload_to=appeal_upload_to, max_length=200, blank=True)
    attachment_name = models.CharField(_("attachment's file name"), max_length=200, blank=True)
    attachment_type = models.CharField(_("attachment's sniffed type"), max_length=40, blank=True)
    filed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("filed by"), on_delete=models.PROTECT, related_name="+"
    )
    filed_at = models.DateTimeField(_("filed at"), auto_now_add=True)
    decide_by = models.DateField(_("decide by"), null=True, blank=True)
    decision = models.CharField(_("decision"), max_length=10, choices=Decision.choices, blank=True)
    decision_reason = models.TextField(_("reasons for the decision"), blank=True)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("decided by"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    decided_at = models.DateTimeField(_("decided at"), null=True, blank=True)

    class Meta:
        ordering = ["-filed_at", "-id"]
        verbose_name = _("appeal")
        verbose_name_plural = _("appeals")
        constraints = [
            models.UniqueConstraint(
                fields=["application"], condition=models.Q(decided_at__isnull=True), name="one_open_appeal_per_case"
            )
        ]

    def __str__(self) -> str:
        return f"{_('Appeal')} #{self.pk} ({self.application_id})"


class ApplicationEvent(HashChained):
    """One step on an application's timeline, written in the same transaction as the state change.

    Each application's events form a hash chain (core/ops/chain.py; `manage.py verify_chains`).
    """

    chain_by = "application"
    chain_fields = (
        "application_id",
        "from_state",
        "to_state",
        "action",
        "actor_id",
        "note",
        "created_at",
        "due_on",
        "data",
    )
    chain_fields_optional = ("snapshot_hash",)
    parent_state = ("state", "to_state")

    application = models.ForeignKey(
        Application, verbose_name=_("application"), on_delete=models.CASCADE, related_name="events"
    )
    from_state = models.CharField(_("from"), max_length=20, choices=ApplicationState.choices, blank=True)
    to_state = models.CharField(_("to"), max_length=20, choices=ApplicationState.choices)
    action = models.CharField(_("action"), max_length=30)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("actor"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
        help_text=_("Empty for the platform's own clock (an escalation)."),
    )
    note = models.TextField(_("note"), blank=True)
    created_at = models.DateTimeField(_("time"), auto_now_add=True)
    # The due date the stage entered by this event got (the timeline shows each stage's limit).
    due_on = models.DateField(_("stage due on"), null=True, blank=True)
    data = models.JSONField(_("details"), default=dict, blank=True)
    # The content hash of the evidence snapshot the case rested on after this event ("" before the first submission).
    snapshot_hash = models.CharField(_("evidence hash"), max_length=64, blank=True, default="", db_default="")
    # Claimed by the e-mail tasks with a conditional UPDATE, so a task that runs twice sends once.
    owner_notified_at = models.DateTimeField(null=True, blank=True, editable=False)
    staff_notified_at = models.DateTimeField(null=True, blank=True, editable=False)

    class Meta:
        ordering = ["application", "created_at", "id"]
        verbose_name = _("application event")
        verbose_name_plural = _("application events")
        indexes = [models.Index(fields=["application", "created_at"], name="appevent_app_time_idx")]
        constraints = [chain_constraint("application", name="appevent_chain_no_fork")]

    def __str__(self) -> str:
        return f"{self.application_id}: {self.from_state} -> {self.to_state}"


def case_document_upload_to(instance: models.Model, filename: str) -> str:
    return random_file_name("certification/documents", filename)


class CaseDocument(models.Model):
    """A document the platform generates for a case, rendered by a worker: the STTD (receipt of documents) and
    the statement that a product is not halal. One per kind and case."""

    class Kind(models.TextChoices):
        STTD = "sttd", _("Receipt of documents (STTD)")
        NOT_HALAL = "not_halal", _("Statement that the product is not halal")
        VALIDATION_REPORT = "validation_report", _("Assistant's validation report")

    application = models.ForeignKey(
        Application, verbose_name=_("application"), on_delete=models.CASCADE, related_name="case_documents"
    )
    kind = models.CharField(_("kind"), max_length=20, choices=Kind.choices)
    number = models.CharField(_("number"), max_length=40)
    file = models.FileField(_("file"), upload_to=case_document_upload_to, max_length=200, blank=True)
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    rendered_at = models.DateTimeField(_("rendered at"), null=True, blank=True)

    class Meta:
        ordering = ["application", "created_at", "id"]
        verbose_name = _("case document")
        verbose_name_plural = _("case documents")
        constraints = [models.UniqueConstraint(fields=["application", "kind"], name="casedocument_one_per_kind")]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} {self.number}"


class CaseReminder(models.Model):
    """A reminder about an owner window (response to a return, payment), claimed before it is sent: exactly once
    per case, window and step."""

    application = models.ForeignKey(
        Application, verbose_name=_("application"), on_delete=models.CASCADE, related_name="reminders"
    )
    window_ends_on = models.DateField(_("window ends on"))
    step = models.CharField(_("step"), max_length=20)
    created_at = models.DateTimeField(_("sent at"), auto_now_add=True)

    class Meta:
        verbose_name = _("case reminder")
        verbose_name_plural = _("case reminders")
        constraints = [
            models.UniqueConstraint(fields=["application", "window_ends_on", "step"], name="casereminder_once_per_step")
        ]

    def __str__(self) -> str:
        return f"#{self.application_id} {self.step} ({self.window_ends_on})"


def case_message_upload_to(instance: models.Model, filename: str) -> str:
    return random_file_name("messages", filename)


class CaseMessage(models.Model):
    """A message on a case between the owner, the assigned assistant and the office. An internal note is the
    office's own: the owner never sees it, on any page, in any notification."""

    application = models.ForeignKey(
        Application, verbose_name=_("application"), on_delete=models.CASCADE, related_name="messages"
    )
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("author"), on_delete=models.PROTECT, related_name="+"
    )
    body = models.TextField(_("message"), blank=True)
    internal = models.BooleanField(_("internal note"), default=False)
    attachment = models.FileField(_("attachment"), upload_to=case_message_upload_to, blank=True)
    attachment_name = models.CharField(_("attachment name"), max_length=200, blank=True)
    created_at = models.DateTimeField(_("created at"), default=timezone.now)

    class Meta:
        ordering = ["created_at", "id"]
        verbose_name = _("case message")
        verbose_name_plural = _("case messages")
        indexes = [models.Index(fields=["application", "created_at"], name="casemessage_case_idx")]

    def __str__(self) -> str:
        return f"#{self.application_id} {self.author_id}: {self.body[:40]}"
