"""Demo applications in every state on both pathways, driven through the transition service (idempotent)."""

from __future__ import annotations

from datetime import date, datetime, time, timedelta
from typing import Any

from django.conf import settings
from django.core.files.base import ContentFile
from django.utils import timezone

from applicants.dossier.services import person_save
from applicants.models import (
    AnnualFigures,
    Business,
    Document,
    Ingredient,
    Person,
    PositiveListEntry,
    ProcessStep,
    Product,
    Region,
)
from applicants.services import product_update
from certification import services
from certification.aftercare.services import composition_checks_run
from certification.certificates.services import certificate_pdf_render, certificate_revoke
from certification.models import (
    Application,
    ApplicationEvent,
    Certificate,
    CompositionCheck,
    Lp3h,
    Lph,
    PphProfile,
    SehatiQuota,
)
from certification.payments.services import bill_record
from certification.verification import services as verification_services
from certification.workflow import table as wf
from certification.workflow.deadlines import fatwa_escalations_run
from core.calendar import days as cal
from core.files.pdf import render_pdf
from core.ops.chain import chain_reseal

# The positive-list entries (KMA 1360/2021, seeded by migration) the demo's exempt materials are matched to.
POSITIVE_ENTRIES = {"Air": "air", "Garam": "garam (hasil tambang/pemurnian)", "Cabai": "sayur segar"}


def positive_entry(ingredient: str) -> PositiveListEntry | None:
    return PositiveListEntry.objects.filter(name=POSITIVE_ENTRIES[ingredient], active=True).first()


PDF = b"%PDF-1.4\n% halalmsi demo document\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"
KINDS = ("nib", "product_photo", "process_flow", "halal_manual")

# (owner, pathway, route, product, days ago the last step happened: more than the stage's limit means overdue)
SPECS: list[tuple[str, str, str, str, int]] = [
    ("owner1@demo.test", "self_declare", "draft", "Keripik Pisang Coklat", 0),
    ("owner1@demo.test", "self_declare", "submitted", "Keripik Pisang Original", 1),
    ("owner1@demo.test", "self_declare", "pph_verification", "Kopi Robusta Bubuk", 20),
    ("owner1@demo.test", "self_declare", "chosen_pph", "Kopi Robusta Sachet", 2),
    ("owner1@demo.test", "self_declare", "verification", "Kopi Robusta Biji", 0),
    ("owner1@demo.test", "self_declare", "fatwa", "Keripik Singkong Balado", 6),
    ("owner1@demo.test", "self_declare", "issuance", "Keripik Tempe", 0),
    ("owner1@demo.test", "self_declare", "issued", "Sambal Lampung", 0),
    ("owner1@demo.test", "self_declare", "returned", "Lempok Durian", 2),
    ("owner1@demo.test", "self_declare", "returned_findings", "Kerupuk Udang", 1),
    ("owner1@demo.test", "self_declare", "rejected", "Kerupuk Kemplang", 0),
    ("owner1@demo.test", "self_declare", "not_halal", "Keripik Kulit Olahan", 1),
    ("owner1@demo.test", "self_declare", "cancelled", "Gula Aren Cair", 0),
    ("owner2@demo.test", "regular", "draft", "Rendang Kemasan", 0),
    ("owner2@demo.test", "regular", "verification", "Abon Sapi", 0),
    ("owner2@demo.test", "regular", "lph_appointment", "Bakso Beku", 5),
    ("owner2@demo.test", "regular", "awaiting_payment", "Sosis Ayam", 3),
    ("owner2@demo.test", "regular", "lph_examination", "Nugget Ayam", 30),
    ("owner2@demo.test", "regular", "extended_audit", "Dendeng Balado", 10),
    ("owner2@demo.test", "regular", "fatwa", "Dendeng Sapi", 1),
    ("owner2@demo.test", "regular", "komite_fatwa", "Abon Ikan Tuna", 9),
    ("owner2@demo.test", "regular", "issuance", "Kornet Sapi", 0),
    ("owner2@demo.test", "regular", "issued", "Pempek Ikan", 0),
    ("owner2@demo.test", "regular", "returned", "Otak-otak", 1),
    ("owner2@demo.test", "regular", "returned_from_fatwa", "Bakso Ikan", 2),
    ("owner2@demo.test", "regular", "window_passed", "Kemplang Panggang", 25),
    ("owner2@demo.test", "regular", "rejected", "Siomay Beku", 0),
    ("owner2@demo.test", "regular", "cancelled", "Kerupuk Ikan", 0),
    ("owner1@demo.test", "regular", "lph_examination", "Kopi Luwak Premium", 2),
]

# The workflow's routes plus the demo's own: an assistant chosen when applying, a fatwa that finds a product not
# halal, an audit extended, a case passed to the Komite Fatwa, returns from fatwa and one left past its window.
SELF_DECLARE_TO_FATWA = wf.ROUTES[wf.SELF_DECLARE]["fatwa"]
REGULAR_TO_FATWA = wf.ROUTES[wf.REGULAR]["fatwa"]
ROUTES: dict[str, dict[str, list[str]]] = {
    wf.SELF_DECLARE: {
        **wf.ROUTES[wf.SELF_DECLARE],
        "chosen_pph": ["submit"],
        "returned_findings": ["submit", "assign_pph", "return"],  # the assistant found a doubtful ingredient
        "not_halal": [*SELF_DECLARE_TO_FATWA, "reject"],
    },
    wf.REGULAR: {
        **wf.ROUTES[wf.REGULAR],
        "returned": ["submit", "return"],
        "extended_audit": ["submit", "verify", "appoint_lph", "record_payment", "extend_audit"],
        "komite_fatwa": REGULAR_TO_FATWA,
        "returned_from_fatwa": [*REGULAR_TO_FATWA, "return"],
        "window_passed": ["submit", "verify", "appoint_lph"],
    },
}
LPH_NAME = "LPH BSPJI Bandar Lampung (Kementerian Perindustrian)"


def _business(owner: Any, pathway: str) -> Business:
    """The owner's demo business for a pathway, keyed by NIB (applicants' demo businesses are not assumed)."""
    nib = "1871000000901" if pathway == "self_declare" else "1871000000902"
    nib = nib if owner.email == "owner1@demo.test" else nib[:-3] + str(int(nib[-3:]) + 10)
    region = Region.objects.filter(code="1871").first() or Region.objects.filter(kind="city").first()
    business, _created = Business.objects.get_or_create(
        nib=nib,
        defaults={
            "owner": owner,
            "name": f"{'Dapur' if pathway == 'self_declare' else 'Pabrik'} {owner.full_name.split()[0]}",
            "address": "Jl. Raden Intan 10, Bandar Lampung",
            "region": region,
            "kbli": "10794",
            "sector": Business.Sector.SNACKS,
            "production_started": date(2019, 6, 1),
            "workforce": 4 if pathway == "self_declare" else 12,
            "outlets": 1,
            "production_facilities": 1,
            "separate_halal_facility": True,
        },
    )
    if not Person.objects.filter(business=business, role=Person.Role.SUPERVISOR).exists():
        person_save(  # UU 33/2014 Ps 24: the owner of a micro or small business acts as its halal supervisor
            actor=owner,
            business=business,
            role=Person.Role.SUPERVISOR,
            fields={"owner_acts": True, "nik": "1871014506850002", "religion": "islam"},
        )
    sales = 240_000_000 if pathway == "self_declare" else 1_800_000_000
    AnnualFigures.objects.get_or_create(
        business=business,
        year=timezone.localdate().year - 1,
        defaults={"annual_sales": sales, "operating_expenses": sales * 6 // 10, "workforce": business.workforce},
    )
    for kind in KINDS:
        if not Document.objects.filter(business=business, kind=kind).exists():
            document = Document(
                business=business,
                kind=kind,
                original_name=f"{kind}.pdf",
                content_type="application/pdf",
                size=len(PDF),
                uploaded_by=owner,
            )
            document.file.save(f"{kind}.pdf", ContentFile(PDF), save=False)
            document.save()
    return business


def specimen_certificate(app: Application, number: str, day: date) -> bytes:
    """The demo's stand-in for BPJPH's certificate PDF: rendered with WeasyPrint and marked SPESIMEN on every page
    (a real deployment uploads the PDF downloaded from SIHALAL)."""
    context = {
        "number": number,
        "issued_on": day,
        "issuer_name": settings.BPJPH_NAME,
        "business_name": app.business.name,
        "fatwa_number": app.fatwa_number,
        "products": list(app.products.order_by("name").values_list("name", flat=True)),
    }
    return render_pdf("certification/demo/specimen_bpjph_pdf.html", context, language="id")


def _official(app: Application, day: date) -> dict[str, Any]:
    """CERTIFICATE_ISSUER=bpjph (the default): what the reviewer records at the issue step, as if from SIHALAL. The
    sequence starts at 900,000,000 + the case's id so it never meets a number a platform-mode counter gave."""
    number = f"{settings.CERTIFICATE_PREFIX}{app.business.region.province_code}11{900_000_000 + app.pk:09d}{day:%m%y}"
    pdf = ContentFile(specimen_certificate(app, number, day), name=f"spesimen-sertifikat-halal-{number}.pdf")
    return {"official_number": number, "official_date": day, "official_pdf": pdf}


def _payload(
    action: str, users: dict[str, Any], day: date, pathway: str = wf.SELF_DECLARE, app: Application | None = None
) -> dict[str, Any]:
    if action == "submit" and app is not None:  # the case's registration in SIHALAL (the default mode)
        return {"sihalal_registration": f"SH{day:%Y}-{app.pk:06d}"}
    if action == "issue" and app is not None and settings.CERTIFICATE_ISSUER == "bpjph":
        return _official(app, day)
    return {
        "assign_pph": {"pph": users["pph@demo.test"].pk},
        "extend_audit": {"reason": "LPH meminta uji laboratorium tambahan untuk bumbu impor.", "extra_days": 5},
        "record_payment": {"payment_proof": ContentFile(PDF, name="bukti-bayar.pdf")},
        "record_audit": {"audit_report": ContentFile(PDF, name="laporan-lph.pdf"), "lph_name": "LPH Unila"},
        "declare_halal": {
            "fatwa_number": f"KF-{day:%Y%m%d}-{day.toordinal() % 997}",
            "fatwa_date": day,
            "fatwa_body": wf.MUI_SESSION if pathway == wf.REGULAR else wf.KOMITE_FATWA,
        },
        "return": {"reason": "Foto produk kurang jelas; unggah ulang foto kemasan."},
        "reject": {
            "reason": "Bahan penolong tidak dapat dibuktikan kehalalannya.",
            "fatwa_number": f"KF-TH-{day:%Y%m%d}-{day.toordinal() % 997}",
            "fatwa_date": day,
            "fatwa_body": wf.KOMITE_FATWA,
        },
    }.get(action, {})


def _actor(action: str, state: str, users: dict[str, Any], owner: Any) -> Any:
    if action in ("submit", "resubmit", "cancel"):
        return owner
    if action == "pph_validate" or (action == "return" and state == "pph_verification"):
        return users["pph@demo.test"]
    return users["reviewer@demo.test"]


def _backdate_events(app: Application, day: date, *, hour: int) -> None:
    """Demo timelines read like real ones: the events just written get the backdated day (timestamps only); the
    timeline's hash chain is sealed again over the new timestamps (demo data only: core.ops.chain.chain_reseal)."""
    moment = timezone.make_aware(datetime.combine(day, time(hour, 15)))
    if ApplicationEvent.objects.filter(application=app, created_at__gt=moment).update(created_at=moment):
        chain_reseal(ApplicationEvent, app.pk)


def load(*, users: dict[str, Any]) -> str:
    year = timezone.localdate().year
    lampung = Region.objects.filter(code="18").first()
    SehatiQuota.objects.get_or_create(year=year, region=None, defaults={"places": 1_350_000})
    if lampung is not None:
        SehatiQuota.objects.get_or_create(year=year, region=lampung, defaults={"places": 3_000})
    lph = Lph.objects.filter(name=LPH_NAME).first() or Lph.objects.filter(national=True).first()
    lp3h, _ = Lp3h.objects.get_or_create(
        name="LP3H Universitas Lampung", defaults={"city": "Bandar Lampung", "contact": "lp3h@demo.test"}
    )
    PphProfile.objects.get_or_create(user=users["pph@demo.test"], defaults={"lp3h": lp3h})
    created = 0
    for email, pathway, route, product_name, days_ago in SPECS:
        owner = users[email]
        business = _business(owner, pathway)
        product, _ = Product.objects.get_or_create(business=business, name=product_name)
        if not product.ingredients.exists():
            Ingredient.objects.create(product=product, name="Air", positive_list_entry=positive_entry("Air"))
            Ingredient.objects.create(product=product, name="Garam", positive_list_entry=positive_entry("Garam"))
        if not product.steps.exists():
            ProcessStep.objects.create(
                product=product, order=1, stage="receipt", description="Bahan diterima dan diperiksa labelnya."
            )
            ProcessStep.objects.create(
                product=product, order=2, stage="processing", description="Diolah di dapur produksi sendiri."
            )
        if Application.objects.filter(products=product).exists():
            continue
        app = services.application_create(
            actor=owner,
            business_id=business.pk,
            pathway=pathway,
            product_ids=[product.pk],
            document_ids=list(Document.objects.filter(business=business).values_list("pk", flat=True)),
            lph_id=lph.pk if pathway == wf.REGULAR and lph is not None else None,
            pph_id=users["pph@demo.test"].pk if route == "chosen_pph" else None,
        )
        if pathway == "self_declare":
            services.pledge_sign(application_id=app.pk, actor=owner)
        app = _drive(app, ROUTES[pathway][route], days_ago, users, owner)
        if app.state == "awaiting_payment":  # the office recorded BPJPH's bill; the owner has yet to pay it
            bill_record(
                application_id=app.pk,
                actor=users["reviewer@demo.test"],
                amount=app.fee_amount,
                channel="simponi",
                code=f"8202{cal.today():%y}{app.pk:09d}",
                due_on=max(app.owner_due_on or cal.today(), cal.add_working_days(cal.today(), 5)),
            )
        if route == "komite_fatwa":  # the MUI session's 3 working days have passed: the daily clock escalates
            fatwa_escalations_run(today=cal.today())
        if app.state not in ("issued", "rejected", "cancelled"):
            reviewer = users["reviewer@demo.test"]
            services.application_assign(application_ids=[app.pk], actor=reviewer, reviewer=reviewer)
        created += 1
    created += _renewal(users)
    _differing_snapshot(users)
    certificates = _certificates(users)
    checks = _yearly_confirmation(users)
    return (
        f"{created} applications created in every workflow state, {certificates}, Sehati quotas for {year}, "
        f"{checks} yearly composition confirmation(s) waiting"
    )


def _yearly_confirmation(users: dict[str, Any]) -> int:
    """Owner 1's valid certificate turned one year old 20 days ago: the daily run asks whether anything changed, so
    the question shows on owner 1's home page and in the task force's list (demo data is dated back once)."""
    owner = users["owner1@demo.test"]
    certificate = Certificate.objects.filter(application__business__owner=owner, status="valid").first()
    if certificate is None or CompositionCheck.objects.filter(certificate=certificate).exists():
        return 0
    _date_back(certificate, timedelta(days=385))
    return composition_checks_run(today=cal.today()).created


def _date_back(certificate: Certificate, delta: timedelta, *, expires_on: date | None = None) -> None:
    """Move a demo certificate back in time as a whole: its issue, the fatwa it rests on (on the certificate and its
    case) and the case's events, so no certificate reads as issued before its fatwa was decided."""
    fields: dict[str, Any] = {"issued_at": certificate.issued_at - delta, "fatwa_date": certificate.fatwa_date - delta}
    if expires_on is not None:
        fields["expires_on"] = expires_on
    Certificate.objects.filter(pk=certificate.pk).update(**fields)
    application = certificate.application
    if application.fatwa_date is not None:
        Application.objects.filter(pk=application.pk).update(fatwa_date=application.fatwa_date - delta)


def _drive(app: Application, steps: list[str], days_ago: int, users: dict[str, Any], owner: Any) -> Application:
    """Take the steps one working day apart, the last one `days_ago` days ago (events and clocks backdated)."""
    start = cal.today() - timedelta(days=days_ago + len(steps))
    _backdate_events(app, start, hour=8)
    for i, action in enumerate(steps):
        day = start + timedelta(days=i) if i < len(steps) - 1 else cal.today() - timedelta(days=days_ago)
        with cal.as_of(day):
            if action == "pph_validate":
                _verify(app, users["pph@demo.test"], day)
            if action == "return" and app.state == "pph_verification":
                _verify(app, users["pph@demo.test"], day, finding=True)
            app = services.application_transition(
                application_id=app.pk,
                action=action,
                actor=_actor(action, app.state, users, owner),
                **_payload(action, users, day, app.pathway, app),
            )
        _backdate_events(app, day, hour=9 + i % 8)
    return app


def _verify(app: Application, pph: Any, day: date, *, finding: bool = False) -> None:
    """The assistant's verval before validating: every ingredient and process step judged, the visit recorded.
    `finding`: the first ingredient is doubtful (the case goes back to the owner with it)."""
    rows = verification_services.checklist(app)
    items = {row.key: {"verdict": "conforms", "note": ""} for row in rows}
    if finding and rows:
        items[rows[0].key] = {
            "verdict": "doubtful",
            "note": "Bahan di dapur berbeda merek dari yang didaftarkan; perbarui data bahan dan lampirkan buktinya.",
        }
    verification_services.verification_save(
        application_id=app.pk,
        actor=pph,
        items=items,
        visit_date=day,
        latitude="-5.429300",
        longitude="105.261100",
        recommendation="Bahan dan proses produksi sesuai ikrar; direkomendasikan untuk dilanjutkan ke Komite Fatwa.",
    )


DIFFERING_PRODUCT = "Kopi Robusta Bubuk"
DIFFERING_BRAND = "Kopi Way Kanan"


def _differing_snapshot(users: dict[str, Any]) -> None:
    """Owner 1 kept editing after submitting Kopi Robusta Bubuk (with the assistant now): a brand and packaging, a
    new ingredient claimed exempt, a process step reworded. The case's pages still show what was submitted, and say
    that the live dossier differs (it goes into the next submission). Done once."""
    owner = users["owner1@demo.test"]
    product = Product.objects.filter(business__owner=owner, name=DIFFERING_PRODUCT).first()
    if product is None or product.brand == DIFFERING_BRAND or not product.applications.exclude(state="draft").exists():
        return
    ingredients = [
        {"name": i.name, "kind": i.kind, "positive_list_entry": i.positive_list_entry}
        for i in product.ingredients.all()
    ]
    ingredients.append({"name": "Gula aren", "kind": "raw", "exempt_claim": True, "supplier": "Petani Tanggamus"})
    steps = [
        {"stage": s.stage, "description": s.description, "ingredients": [i.name for i in s.ingredients.all()]}
        for s in product.steps.prefetch_related("ingredients")
    ]
    steps[-1]["description"] = "Disangrai dan digiling di dapur sendiri, lalu dicampur gula aren."
    steps[-1]["ingredients"] = ["Gula aren"]
    product_update(
        actor=owner,
        product=product,
        fields={"brand": DIFFERING_BRAND, "packaging": "Standing pouch 200 g"},
        ingredients=ingredients,
        steps=steps,
    )


RENEWED_PRODUCT = "Sambal Lampung"
RENEWAL_PRODUCT = "Sambal Lampung Tanpa Pengawet"
REVOKED_PRODUCT = "Pempek Ikan"


def _renewal(users: dict[str, Any]) -> int:
    """Owner 1 changed the recipe of Sambal Lampung: a renewal application, issued, supersedes the old certificate."""
    owner = users["owner1@demo.test"]
    old = Certificate.objects.filter(
        application__business__owner=owner, application__products__name=RENEWED_PRODUCT, status="valid"
    ).first()
    if old is None or Application.objects.filter(products__name=RENEWAL_PRODUCT).exists():
        return 0
    # Only a four-year certificate from before UU 6/2023 expires and is renewed: the demo's old Sambal Lampung
    # certificate is one (issued almost four years ago, expiring in two months).
    issued = timezone.now() - timedelta(days=4 * 365 - 60)
    _date_back(old, old.issued_at - issued, expires_on=timezone.localdate(issued) + timedelta(days=4 * 365))
    business = old.application.business
    product, _ = Product.objects.get_or_create(business=business, name=RENEWAL_PRODUCT)
    if not product.ingredients.exists():
        Ingredient.objects.create(product=product, name="Cabai", positive_list_entry=positive_entry("Cabai"))
    app = services.application_create(
        actor=owner,
        business_id=business.pk,
        pathway="self_declare",
        product_ids=[product.pk],
        document_ids=list(Document.objects.filter(business=business).values_list("pk", flat=True)),
        previous_certificate_id=old.pk,
    )
    services.pledge_sign(application_id=app.pk, actor=owner)
    _drive(app, ROUTES["self_declare"]["issued"], 0, users, owner)
    return 1


def _demo_owners(users: dict[str, Any]) -> list[Any]:
    return [users[email] for email in sorted({spec[0] for spec in SPECS})]


def _certificates(users: dict[str, Any]) -> str:
    """Every issued demo application has its certificate PDF (rendered here, as an eager worker would); one revoked."""
    demo = Certificate.objects.filter(application__business__owner__in=_demo_owners(users))
    revoked = demo.filter(application__products__name=REVOKED_PRODUCT, status="valid").first()
    if revoked is not None:
        certificate_revoke(
            certificate=revoked,
            actor=users["reviewer@demo.test"],
            reason="Hasil uji laboratorium menemukan bahan yang tidak sesuai dengan dokumen.",
        )
    # Only the demo's own certificates: a database that also holds bulk synthetic data must not render them all.
    for certificate in demo.filter(pdf=""):
        certificate_pdf_render(certificate=certificate)
    counts = {s: demo.filter(status=s).count() for s in ("valid", "revoked", "superseded")}
    return "certificates: {valid} valid, {revoked} revoked, {superseded} superseded".format(**counts)
