"""The invoice line by line, and the product categories open to self-declare (issue 15).

1. Application.fee_components / fee_explanation: the invoice's lines and the quote's explanation (certification.
   fee_snapshot). Invoices taken before this migration get their components back from the tier they were charged
   (their fee was that tier's fee); their explanation stays empty (the figures may have changed since).
2. SelfDeclareCategory, seeded from staging/domain/self_declare_categories.json (retrieved 2026-11-29; copied here,
   nothing is read at runtime), sources and verified flags kept: open are simple products and, only for home-scale
   processing without critical additives (the condition text), processed food; every other category is closed.
   The admin role may view, add and change them in the admin site.
"""

import django.db.models.deletion
import simple_history.models
from django.conf import settings
from django.db import migrations, models

ADMIN_ROLE = "admin"  # core.access.roles.ADMIN; literal here so the migration does not change if the module does
SOURCE = (
    "Kepkaban BPJPH 146/2025 (Juknis layanan sertifikasi halal bagi UMK berdasarkan pernyataan halal), Bab II A, Bab III A-C, Lampiran II; Kepkaban BPJPH 150/2022 as amended by Kepkaban 22/2023 (revoked by Kepkaban 146/2025 KEDUA); category names: Kepkaban BPJPH 141/2021 annex as reported by kompas.com (16 Mar 2022), holopis.com and antvklik.com"
)
CATEGORIES = [
    {
        "code": "simple_products",
        "name_id": "Produk dalam positive list / produk dengan proses atau material sederhana",
        "open": True,
        "verified": True,
        "condition": "Makanan dan minuman dari jenis produk Lampiran II Kepkaban 146/2025; bahan bersertifikat halal atau termasuk positive list KMA 1360/2021; proses sederhana manual/semi-otomatis (usaha rumahan); paling banyak 1 metode pengawetan; maks. 10 nama produk per pengajuan.",
        "verify_by": "",
    },
    {
        "code": "processed_food_chemical_microbial",
        "name_id": "Pangan olahan, produk kimiawi, produk mikrobial",
        "open": True,
        "verified": False,
        "condition": "Terbuka hanya untuk pangan olahan skala rumahan yang termasuk jenis produk Lampiran II dan memakai bahan yang sudah dipastikan kehalalannya (tanpa bahan tambahan kritis tanpa sertifikat), teknologi sederhana, pengawetan maks. 1 metode. Produk kimiawi dan produk mikrobial (mis. enzim, kultur, bahan tambahan pangan) tidak termasuk layanan makanan-minuman UMK → jalur reguler.",
        "verify_by": "Lampiran II of Kepkaban 146/2025 (product types), and whether Kepkaban 145/2025 (cited by p3jph.biz.id for the product-type list) is a separate decree",
    },
    {
        "code": "flavour_fragrance",
        "name_id": "Flavour (perisa) dan fragrance (pengharum)",
        "open": False,
        "verified": False,
        "condition": "Tertutup: perisa adalah bahan kritis dan bukan produk makanan/minuman siap konsumsi; jalur reguler.",
        "verify_by": "the official PDF of Kepkaban 146/2025 and its Lampiran II (product types)",
    },
    {
        "code": "gmo_products",
        "name_id": "Produk rekayasa genetika",
        "open": False,
        "verified": False,
        "condition": "Tertutup: tidak termasuk proses sederhana; jalur reguler.",
        "verify_by": "the official PDF of Kepkaban 146/2025 and its Lampiran II (product types)",
    },
    {
        "code": "drugs_cosmetics_biologics",
        "name_id": "Obat, kosmetik, produk biologi",
        "open": False,
        "verified": True,
        "condition": "Tertutup: self-declare hanya untuk jenis layanan makanan dan minuman (Kepkaban 146/2025 Bab III C).",
        "verify_by": "",
    },
    {
        "code": "vaccines",
        "name_id": "Vaksin",
        "open": False,
        "verified": True,
        "condition": "Tertutup: bukan makanan/minuman (Kepkaban 146/2025 Bab III C).",
        "verify_by": "",
    },
    {
        "code": "gelatin",
        "name_id": "Gelatin",
        "open": False,
        "verified": False,
        "condition": "Tertutup: gelatin adalah bahan kritis hewani; produksinya lewat jalur reguler.",
        "verify_by": "the official PDF of Kepkaban 146/2025 and its Lampiran II (product types)",
    },
    {
        "code": "consumer_goods_packaging",
        "name_id": "Barang gunaan dan kemasan",
        "open": False,
        "verified": True,
        "condition": "Tertutup: bukan makanan/minuman (Kepkaban 146/2025 Bab III C).",
        "verify_by": "",
    },
    {
        "code": "services",
        "name_id": "Jasa",
        "open": False,
        "verified": True,
        "condition": "Tertutup: produk harus berupa barang (Kepkaban 146/2025 Bab II A.8).",
        "verify_by": "",
    },
    {
        "code": "restaurant_catering_canteen",
        "name_id": "Restoran / katering / kantin",
        "open": False,
        "verified": False,
        "condition": "Restoran, katering (jasa boga) dan kantin: jalur reguler. PENGECUALIAN di Kepkaban 146/2025 Bab III A.3: warung tegal, warung sunda, warmindo dan sejenisnya boleh self-declare dengan maks. 30 menu per pengajuan. Aturan lama (2022-2023) menolak semua restoran, kantin, katering, kedai/rumah/warung makan.",
        "verify_by": "official PDF of Kepkaban 146/2025 and its Lampiran II (food-service product types)",
    },
    {
        "code": "slaughterhouse",
        "name_id": "Rumah potong hewan/unggas dan jasa sembelihan",
        "open": False,
        "verified": True,
        "condition": "Tertutup: jasa penyembelihan adalah jasa, dan self-declare justru mensyaratkan daging dari RPH/RPU bersertifikat halal (Kepkaban 146/2025 Bab II A.8, A.12).",
        "verify_by": "",
    },
]


def seed_categories(apps, schema_editor):
    SelfDeclareCategory = apps.get_model("certification", "SelfDeclareCategory")
    for row in CATEGORIES:
        fields = {k: v for k, v in row.items() if k != "code"}
        SelfDeclareCategory.objects.get_or_create(code=row["code"], defaults={**fields, "source": SOURCE})


def unseed_categories(apps, schema_editor):
    apps.get_model("certification", "SelfDeclareCategory").objects.all().delete()


def grant_admin(apps, schema_editor):
    # Permissions are normally created after all migrations ran; create ours now so they can be granted.
    from django.contrib.auth.management import create_permissions

    app_config = apps.get_app_config("certification")
    stub = getattr(app_config, "models_module", None) is None
    if stub:  # create_permissions skips app configs without a models module; a migration's stub has none
        app_config.models_module = True
    create_permissions(app_config, apps=apps, verbosity=0)
    if stub:
        app_config.models_module = None
    Group = apps.get_model("auth", "Group")
    Permission = apps.get_model("auth", "Permission")
    group, _created = Group.objects.get_or_create(name=ADMIN_ROLE)
    codenames = [f"{action}_selfdeclarecategory" for action in ("view", "add", "change")]
    group.permissions.add(*Permission.objects.filter(content_type__app_label="certification", codename__in=codenames))


def revoke_admin(apps, schema_editor):
    Group = apps.get_model("auth", "Group")
    Permission = apps.get_model("auth", "Permission")
    for group in Group.objects.filter(name=ADMIN_ROLE):
        group.permissions.remove(
            *Permission.objects.filter(content_type__app_label="certification", codename__endswith="selfdeclarecategory")
        )


def backfill_invoice_components(apps, schema_editor):
    Application = apps.get_model("certification", "Application")
    FeeTier = apps.get_model("fees", "FeeTier")
    # fee_components was just added: every row holds its default {}.
    invoiced = Application.objects.exclude(invoice_reference="").filter(fee_amount__isnull=False)
    tiers = {}
    for app in invoiced.only("pk", "fee_schedule_slug", "fee_schedule_version", "fee_tier_code", "fee_amount"):
        key = (app.fee_schedule_slug, app.fee_schedule_version, app.fee_tier_code)
        if key not in tiers:
            tier = FeeTier.objects.filter(schedule__slug=key[0], schedule__version=key[1], code=key[2]).first()
            tiers[key] = dict(tier.components) if tier is not None else {}
        components = tiers[key]
        if components and sum(components.values()) == app.fee_amount:
            Application.objects.filter(pk=app.pk).update(fee_components=components)


class Migration(migrations.Migration):

    dependencies = [
        ('certification', '0003_certificates'),
        ('fees', '0002_seed_schedules'),
        ('core', '0002_roles'),
        ('auth', '0012_alter_user_first_name_max_length'),
        ('contenttypes', '0002_remove_content_type_name'),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.CreateModel(
            name='SelfDeclareCategory',
            fields=[
                ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                ('code', models.CharField(choices=[('simple_products', 'Simple products'), ('processed_food_chemical_microbial', 'Processed food, chemical or microbial products'), ('flavour_fragrance', 'Flavours and fragrances'), ('gmo_products', 'Genetically modified products'), ('drugs_cosmetics_biologics', 'Drugs, cosmetics and biologics'), ('vaccines', 'Vaccines'), ('gelatin', 'Gelatin'), ('consumer_goods_packaging', 'Consumer goods and packaging'), ('services', 'Services'), ('restaurant_catering_canteen', 'Restaurant, catering or canteen'), ('slaughterhouse', 'Slaughterhouse')], max_length=40, unique=True, verbose_name='product category')),
                ('name_id', models.CharField(max_length=200, verbose_name='name in the BPJPH tariff annex')),
                ('open', models.BooleanField(default=False, verbose_name='open to self-declare')),
                ('condition', models.TextField(blank=True, help_text='When open only under a condition, or why closed; shown to owners.', verbose_name='condition')),
                ('source', models.TextField(verbose_name='source')),
                ('verified', models.BooleanField(default=False, help_text='Checked against the official text of the decree.', verbose_name='verified')),
                ('verify_by', models.TextField(blank=True, verbose_name='how to verify')),
                ('updated_at', models.DateTimeField(auto_now=True, verbose_name='updated at')),
            ],
            options={
                'verbose_name': 'self-declare product category',
                'verbose_name_plural': 'self-declare product categories',
                'ordering': ['code'],
            },
        ),
        migrations.AddField(
            model_name='application',
            name='fee_components',
            field=models.JSONField(blank=True, default=dict, editable=False, verbose_name='fee components'),
        ),
        migrations.AddField(
            model_name='application',
            name='fee_explanation',
            field=models.JSONField(blank=True, default=dict, editable=False, verbose_name='fee explanation'),
        ),
        migrations.CreateModel(
            name='HistoricalSelfDeclareCategory',
            fields=[
                ('id', models.BigIntegerField(auto_created=True, blank=True, db_index=True, verbose_name='ID')),
                ('code', models.CharField(choices=[('simple_products', 'Simple products'), ('processed_food_chemical_microbial', 'Processed food, chemical or microbial products'), ('flavour_fragrance', 'Flavours and fragrances'), ('gmo_products', 'Genetically modified products'), ('drugs_cosmetics_biologics', 'Drugs, cosmetics and biologics'), ('vaccines', 'Vaccines'), ('gelatin', 'Gelatin'), ('consumer_goods_packaging', 'Consumer goods and packaging'), ('services', 'Services'), ('restaurant_catering_canteen', 'Restaurant, catering or canteen'), ('slaughterhouse', 'Slaughterhouse')], db_index=True, max_length=40, verbose_name='product category')),
                ('name_id', models.CharField(max_length=200, verbose_name='name in the BPJPH tariff annex')),
                ('open', models.BooleanField(default=False, verbose_name='open to self-declare')),
                ('condition', models.TextField(blank=True, help_text='When open only under a condition, or why closed; shown to owners.', verbose_name='condition')),
                ('source', models.TextField(verbose_name='source')),
                ('verified', models.BooleanField(default=False, help_text='Checked against the official text of the decree.', verbose_name='verified')),
                ('verify_by', models.TextField(blank=True, verbose_name='how to verify')),
                ('updated_at', models.DateTimeField(blank=True, editable=False, verbose_name='updated at')),
                ('history_id', models.AutoField(primary_key=True, serialize=False)),
                ('history_date', models.DateTimeField(db_index=True)),
                ('history_change_reason', models.CharField(max_length=100, null=True)),
                ('history_type', models.CharField(choices=[('+', 'Created'), ('~', 'Changed'), ('-', 'Deleted')], max_length=1)),
                ('history_user', models.ForeignKey(null=True, on_delete=django.db.models.deletion.SET_NULL, related_name='+', to=settings.AUTH_USER_MODEL)),
            ],
            options={
                'verbose_name': 'historical self-declare product category',
                'verbose_name_plural': 'historical self-declare product categories',
                'ordering': ('-history_date', '-history_id'),
                'get_latest_by': ('history_date', 'history_id'),
            },
            bases=(simple_history.models.HistoricalChanges, models.Model),
        ),
        migrations.RunPython(seed_categories, unseed_categories),
        migrations.RunPython(grant_admin, revoke_admin),
        migrations.RunPython(backfill_invoice_components, migrations.RunPython.noop),
    ]
