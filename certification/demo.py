"""Demo applications in every state on both pathways, driven through the transition service (idempotent)."""

from __future__ import annotations

from datetime import date, datetime, time, timedelta
from functools import cache
from typing import Any

from django.conf import settings
from django.core.files.base import ContentFile
from django.db.models import Q
from django.utils import timezone

from applicants.demo import (
    SLAUGHTERED,
    SLAUGHTERHOUSE_CERTIFICATE,
    ingredient_row,
    nib_pdf,
    process_steps,
    product_photo_png,
    upload,
)
from applicants.dossier.documents import generated_document_render
from applicants.dossier.services import person_save
from applicants.models import AnnualFigures, Business, Document, Person, Product, Region
from applicants.services import product_create, product_update
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

# Each demo product as its maker lists it: how it is made and what goes in (materials from applicants.demo, each
# matched to the positive list or carrying its producer's halal certificate; the packaging last).
RECIPES: dict[str, tuple[str, list[str]]] = {
    "Keripik Pisang Coklat": ("Mengupas dan mengiris pisang, menggoreng, lalu membalur cokelat dan gula.",
                              ["Pisang kepok", "Minyak goreng sawit", "Cokelat bubuk", "Gula pasir", "Standing pouch"]),
    "Keripik Pisang Original": ("Mengiris pisang tipis, menggoreng sampai kering, lalu menabur garam.",
                                ["Pisang kepok", "Minyak goreng sawit", "Garam", "Kantong plastik"]),
    "Kopi Robusta Bubuk": ("Menyangrai biji kopi, mendinginkan, lalu menggiling halus.",
                           ["Biji kopi robusta", "Biji kopi arabika", "Kemasan aluminium foil"]),
    "Kopi Robusta Sachet": ("Menggiling kopi sangrai dan mencampurnya dengan gula sebelum dikemas per saset.",
                            ["Biji kopi robusta", "Gula pasir", "Kemasan sachet"]),
    "Kopi Robusta Biji": ("Menyortir biji kopi, menyangrai utuh dan mendinginkan di tampah.",
                          ["Biji kopi robusta", "Kemasan aluminium foil", "Kemasan kertas"]),
    "Keripik Singkong Balado": ("Mengupas dan mengiris singkong, menggoreng, lalu membalur bumbu balado.",
                                ["Singkong", "Minyak goreng sawit", "Garam", "Bawang putih", "Bumbu balado",
                                 "Kantong plastik"]),
    "Keripik Tempe": ("Mengiris tempe tipis, mencelup ke adonan tepung berbumbu, lalu menggoreng.",
                      ["Tempe", "Tepung beras", "Daun jeruk", "Bawang putih", "Minyak goreng sawit",
                       "Kantong plastik"]),
    "Sambal Lampung": ("Menggiling cabai, tomat dan terasi bakar, lalu memasak dengan garam dan gula.",
                       ["Cabai rawit", "Tomat", "Terasi", "Garam", "Gula pasir", "Botol kaca"]),
    "Sambal Lampung Tanpa Pengawet": ("Menggiling cabai, tomat dan bawang merah, memasak sampai matang tanpa pengawet.",
                                      ["Cabai rawit", "Tomat", "Bawang merah", "Garam", "Botol kaca"]),
    "Lempok Durian": ("Memasak daging durian dengan gula sambil diaduk sampai kalis, lalu mencetak.",
                      ["Durian", "Gula pasir", "Kantong plastik"]),
    "Kerupuk Udang": ("Menggiling udang, mencampur tepung dan telur, mengukus, mengiris lalu menjemur.",
                      ["Udang", "Tepung tapioka", "Telur ayam", "Bawang putih", "Garam", "Kantong plastik"]),
    "Kerupuk Kemplang": ("Mencampur ikan giling dengan tapioka, merebus, mengiris, menjemur lalu memanggang.",
                         ["Ikan tenggiri", "Tepung tapioka", "Garam", "Bawang putih", "Kantong plastik"]),
    "Keripik Kulit Olahan": ("Merebus dan menjemur kulit sapi, lalu menggoreng dengan bumbu.",
                             ["Kulit sapi", "Minyak goreng sawit", "Bawang putih", "Garam", "Kantong plastik"]),
    "Gula Aren Cair": ("Memasak nira aren segar sampai mengental, menyaring, lalu membotolkan panas.",
                       ["Nira aren", "Kapur sirih", "Botol kaca"]),
    "Rendang Kemasan": ("Memasak daging dengan santan dan bumbu selama enam jam, lalu mengemas vakum.",
                        ["Daging sapi", "Santan kelapa", "Cabai merah", "Serai", "Lengkuas", "Plastik vakum"]),
    "Abon Sapi": ("Merebus dan menyuwir daging, membumbui, lalu menggoreng sambil diaduk sampai kering.",
                  ["Daging sapi", "Bawang merah", "Gula merah", "Minyak goreng sawit", "Standing pouch"]),
    "Bakso Beku": ("Menggiling daging dengan es dan bumbu, membentuk bulatan, merebus lalu membekukan.",
                   ["Daging sapi", "Tepung tapioka", "Bawang putih", "Garam", "Plastik vakum"]),
    "Sosis Ayam": ("Menggiling ayam dengan bumbu, mengisi selongsong, merebus lalu membekukan.",
                   ["Ayam potong", "Tepung tapioka", "Bawang putih", "Garam", "Plastik vakum"]),
    "Nugget Ayam": ("Menggiling ayam, mencampur telur dan tepung, mengukus, memotong, membalur tepung roti.",
                    ["Ayam potong", "Tepung terigu", "Telur ayam", "Bawang putih", "Plastik vakum"]),
    "Dendeng Balado": ("Mengiris tipis daging, menjemur, menggoreng, lalu membalur sambal balado.",
                       ["Daging sapi", "Cabai merah", "Bawang merah", "Gula merah", "Minyak goreng sawit",
                        "Standing pouch"]),
    "Dendeng Sapi": ("Mengiris daging, merendam bumbu gula merah, lalu menjemur dan memanggang.",
                     ["Daging sapi", "Gula merah", "Bawang putih", "Garam", "Standing pouch"]),
    "Abon Ikan Tuna": ("Mengukus dan menyuwir ikan tuna, membumbui, lalu menggoreng sampai kering.",
                       ["Ikan tuna", "Bawang merah", "Gula pasir", "Minyak goreng sawit", "Standing pouch"]),
    "Kornet Sapi": ("Merebus daging berbumbu, mencacah, mengisi botol lalu mensterilkan.",
                    ["Daging sapi", "Garam", "Bawang putih", "Gula pasir", "Botol kaca"]),
    "Pempek Ikan": ("Mencampur ikan giling dengan sagu, membentuk kapal selam berisi telur, lalu merebus.",
                    ["Ikan tenggiri", "Tepung sagu", "Telur ayam", "Bawang putih", "Cuka", "Plastik vakum"]),
    "Otak-otak": ("Mencampur ikan giling dengan santan dan tapioka, membungkus, lalu memanggang.",
                  ["Ikan tenggiri", "Tepung tapioka", "Santan kelapa", "Bawang putih", "Plastik vakum"]),
    "Bakso Ikan": ("Menggiling ikan dengan es dan bumbu, membentuk bulatan lalu merebus.",
                   ["Ikan tenggiri", "Tepung tapioka", "Bawang putih", "Garam", "Plastik vakum"]),
    "Kemplang Panggang": ("Mencampur ikan giling dengan tapioka, merebus, menjemur lalu memanggang di bara.",
                          ["Ikan tenggiri", "Tepung tapioka", "Garam", "Kantong plastik"]),
    "Siomay Beku": ("Menggiling ikan dengan tapioka, membungkus kulit pangsit, mengukus lalu membekukan.",
                    ["Ikan tenggiri", "Tepung tapioka", "Kulit pangsit", "Bawang putih", "Plastik vakum"]),
    "Kerupuk Ikan": ("Mencampur ikan giling dengan tapioka, mengukus, mengiris lalu menjemur.",
                     ["Ikan tenggiri", "Tepung tapioka", "Bawang putih", "Garam", "Kantong plastik"]),
    "Kopi Luwak Premium": ("Mencuci dan menjemur biji kopi luwak, menyangrai ringan, lalu menggiling.",
                           ["Biji kopi luwak", "Kemasan aluminium foil", "Kemasan kertas"]),
}  # fmt: skip

# The people of the demo's case businesses: (responsible, supervisor name, supervisor NIK), by NIB. The supervisor
# is recorded once, with the people; the business's supervisor field is derived from it.
PEOPLE = {
    "1871000000901": ("Siti Rahmawati", "Siti Rahmawati", "1871014506850002"),
    "1871000000902": ("Siti Rahmawati", "Rohimah Syafitri", "1871015208880003"),
    "1871000000911": ("Budi Santoso", "Ahmad Fauzan", "1871021203800001"),
    "1871000000912": ("Budi Santoso", "Nurul Hidayah", "1871014709900004"),
}


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
    if _created:
        responsible, supervisor, nik = PEOPLE.get(nib, (owner.full_name, owner.full_name, "1871014506850002"))
        person_save(
            actor=owner,
            business=business,
            role=Person.Role.RESPONSIBLE,
            fields={"name": responsible, "position": "Pemilik", "phone": "081200000001"},
        )
        person_save(
            actor=owner,
            business=business,
            role=Person.Role.SUPERVISOR,
            fields={"name": supervisor, "position": "Penyelia halal", "nik": nik, "religion": "islam"},
        )
    return business


def _product(business: Business, name: str) -> Product:
    """The business's product as its owner entered it: the recipe's materials and the seven process steps."""
    product = Product.objects.filter(business=business, name=name).first()
    if product is not None:
        return product
    how, materials = RECIPES[name]
    fields: dict[str, Any] = {"name": name, "kbli": business.kbli}
    if any(m in SLAUGHTERED for m in materials):
        fields |= {"contains_slaughtered": True, "slaughterhouse_certificate": SLAUGHTERHOUSE_CERTIFICATE}
    return product_create(
        actor=business.owner,
        business=business,
        fields=fields,
        ingredients=[ingredient_row(m) for m in materials],
        steps=process_steps(materials, how),
    )


def _documents(business: Business) -> None:
    """The files an owner uploads or generates, once: the NIB (PDF), a photo per product (PNG), and the process flow
    and SJPH manual generated from the entered steps and ingredients (PDF, as the owner's "Generate" button does)."""
    owner = business.owner
    kinds = set(business.documents.values_list("kind", flat=True))
    if Document.Kind.NIB not in kinds:
        upload(actor=owner, business=business, kind=Document.Kind.NIB, name="nib-oss.pdf", content=nib_pdf(business))
    pictured = set(business.documents.filter(kind=Document.Kind.PRODUCT_PHOTO).values_list("product_id", flat=True))
    for product in business.products.exclude(pk__in=[pk for pk in pictured if pk is not None]):
        name = f"foto-{product.name.lower().replace(' ', '-')}.png"
        content = product_photo_png(product.name)
        upload(actor=owner, business=business, kind=Document.Kind.PRODUCT_PHOTO, name=name, content=content,
               product=product)  # fmt: skip
    for kind in (Document.Kind.PROCESS_FLOW, Document.Kind.HALAL_MANUAL):
        if kind not in kinds:
            generated_document_render(business_id=business.pk, kind=kind, actor_id=owner.pk)


def _document_ids(business: Business, product: Product) -> list[int]:
    """The business's documents and the photo of this product (not the photos of its other products)."""
    documents = business.documents.filter(Q(product__isnull=True) | Q(product=product))
    return list(documents.values_list("pk", flat=True))


@cache
def demo_paper(title: str, lines: tuple[tuple[str, str], ...]) -> bytes:
    """A payment receipt or an LPH audit report as the demo's stand-in for the real paper (a PDF marked SPESIMEN,
    rendered once per process)."""
    return render_pdf("certification/demo/paper_pdf.html", {"title": title, "lines": lines}, language="id")


RECEIPT = (
    "Bukti Setor Penerimaan Negara (SIMPONI)",
    (("Jenis penerimaan", "PNBP layanan sertifikasi halal BPJPH"), ("Bank persepsi", "Bank Lampung"),
     ("Cara bayar", "Teller / mobile banking"), ("Status", "Lunas")),
)  # fmt: skip
AUDIT = (
    "Laporan Hasil Pemeriksaan LPH",
    (("Lembaga Pemeriksa Halal", "LPH Unila"), ("Lingkup", "Bahan, proses produksi, fasilitas dan SJPH"),
     ("Temuan", "Tidak ada ketidaksesuaian mayor"), ("Rekomendasi", "Diteruskan ke sidang fatwa")),
)  # fmt: skip


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
        "record_payment": {"payment_proof": ContentFile(demo_paper(*RECEIPT), name="bukti-bayar.pdf")},
        "record_audit": {
            "audit_report": ContentFile(demo_paper(*AUDIT), name="laporan-lph.pdf"),
            "lph_name": "LPH Unila",
        },
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
    # The dossiers first (products, then the files drawn from them), so each business's process flow covers them all.
    products = {}
    for email, pathway, _route, product_name, _days in SPECS:
        business = _business(users[email], pathway)
        products[product_name] = _product(business, product_name)
    for business in {product.business for product in products.values()}:
        _documents(business)
    for email, pathway, route, product_name, days_ago in SPECS:
        owner = users[email]
        product = products[product_name]
        business = product.business
        if Application.objects.filter(products=product).exists():
            continue
        app = services.application_create(
            actor=owner,
            business_id=business.pk,
            pathway=pathway,
            product_ids=[product.pk],
            document_ids=_document_ids(business, product),
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
    kept = ("name", "kind", "producer", "brand", "halal_certificate_number", "certificate_issuer",
            "certificate_valid_until", "positive_list_entry", "supplier")  # fmt: skip
    ingredients = [{key: getattr(i, key) for key in kept} for i in product.ingredients.all()]
    ingredients.append({"name": "Gula aren", "kind": "raw", "exempt_claim": True, "supplier": "Petani Tanggamus"})
    steps = [
        {"stage": s.stage, "description": s.description, "ingredients": [i.name for i in s.ingredients.all()]}
        for s in product.steps.prefetch_related("ingredients")
    ]
    processing = next(step for step in steps if step["stage"] == "processing")
    processing["description"] = "Disangrai dan digiling di dapur sendiri, lalu dicampur gula aren."
    processing["ingredients"] = [*processing["ingredients"], "Gula aren"]
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
    product = _product(business, RENEWAL_PRODUCT)
    _documents(business)  # the new product's photo
    app = services.application_create(
        actor=owner,
        business_id=business.pk,
        pathway="self_declare",
        product_ids=[product.pk],
        document_ids=_document_ids(business, product),
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
