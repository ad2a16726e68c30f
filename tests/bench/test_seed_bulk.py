"""seed_bulk writes the counts it is asked for, deterministically, on any database."""

from __future__ import annotations

from datetime import date, timedelta
from io import StringIO

import pytest
from django.contrib.auth.models import Group
from django.core.management import CommandError, call_command
from django.db import models, transaction

from applicants.models import AnnualFigures, Business, Product, Region
from bench.seeding.management.commands.seed_bulk import Command as SeedBulk
from core.access import roles
from core.models import User
from training.models import Enrollment, FollowUp, Program, ReminderLog


def seed(**options: int) -> str:
    out = StringIO()
    call_command(SeedBulk(), **options, stdout=out)
    return out.getvalue()


@pytest.mark.django_db
def test_seed_bulk_creates_owners_businesses_figures_and_products() -> None:
    output = seed(businesses=30, seed=7)
    assert "businesses: 30" in output
    assert Business.objects.count() == 30
    owners = User.objects.filter(email__endswith="@bulk.test")
    assert owners.count() == 30
    assert Group.objects.get(name=roles.OWNER).user_set.count() == 30
    provinces = set(Business.objects.values_list("region__parent__code", flat=True))
    assert len(provinces) > 1  # spread over Indonesia's regencies, not one province
    assert provinces <= set(Region.objects.filter(parent=None).values_list("code", flat=True))
    assert Region.objects.filter(businesses__isnull=False).exclude(parent=None).exists()
    per_business = {b.pk: (b.figures.count(), b.products.count()) for b in Business.objects.all()}
    assert all(1 <= figures <= 3 and 1 <= products <= 3 for figures, products in per_business.values())
    assert AnnualFigures.objects.count() == sum(f for f, _ in per_business.values())
    assert Product.objects.count() == sum(p for _, p in per_business.values())


@pytest.mark.django_db
def test_bulk_owners_share_one_password_hash_that_logs_in() -> None:
    seed(businesses=5)
    hashes = set(User.objects.filter(email__endswith="@bulk.test").values_list("password", flat=True))
    assert len(hashes) == 1
    owner = User.objects.filter(email__endswith="@bulk.test").first()
    assert owner.check_password("bulk-owner")


@pytest.mark.django_db
def test_seed_bulk_creates_programs_with_exactly_the_enrollments_asked_for() -> None:
    seed(businesses=40, programs=8, enrollments=100, seed=3)
    assert Program.objects.count() == 8
    assert Enrollment.objects.count() == 100
    assert FollowUp.objects.filter(enrollment__attended=True).count() == FollowUp.objects.count()
    assert FollowUp.objects.exists()
    for program in Program.objects.all():
        assert program.follow_up_due_on == program.end_date + timedelta(days=program.follow_up_window_days)
    # Reminders a daily scan would already have sent, never for programs not yet due.
    assert not ReminderLog.objects.filter(program__follow_up_due_on__gte=date.today()).exists()


@pytest.mark.django_db
def test_same_seed_writes_the_same_data() -> None:
    seed(businesses=10, programs=3, enrollments=20, seed=11)
    first = list(Business.objects.order_by("pk").values_list("name", "sector", "workforce"))
    enrolled = list(Enrollment.objects.order_by("pk").values_list("attended", flat=True))
    Enrollment.objects.all().delete()
    Program.objects.all().delete()
    AnnualFigures.objects.all().delete()
    Product.objects.all().delete()
    Business.objects.all().delete()
    seed(businesses=10, programs=3, enrollments=20, seed=11)
    assert list(Business.objects.order_by("pk").values_list("name", "sector", "workforce")) != []
    names = [row[0].rsplit(" ", 1)[0] for row in first]
    again = list(Business.objects.order_by("pk").values_list("name", "sector", "workforce"))
    assert [row[0].rsplit(" ", 1)[0] for row in again] == names
    assert [row[1:] for row in again] == [row[1:] for row in first]
    assert list(Enrollment.objects.order_by("pk").values_list("attended", flat=True)) == enrolled


@pytest.mark.django_db
def test_new_rows_after_a_bulk_load_get_fresh_ids() -> None:
    seed(businesses=3)
    owner = User.objects.create_user(email="late@example.test", password="x" * 12)
    assert owner.pk > User.objects.exclude(pk=owner.pk).order_by("-pk").first().pk


@pytest.mark.django_db
def test_enrollments_without_programs_are_refused_and_nothing_is_written() -> None:
    with pytest.raises(CommandError, match="--enrollments needs --programs"):
        seed(businesses=3, enrollments=10)
    assert Business.objects.count() == 0


@pytest.mark.django_db
def test_applications_are_written_in_both_pathways() -> None:
    from certification.models import Application, ApplicationEvent, SehatiClaim, SehatiQuota
    from certification.workflow import table as wf

    seed(businesses=20, applications=200, seed=5)
    assert Application.objects.count() == 200
    assert set(Application.objects.values_list("pathway", flat=True)) == {"self_declare", "regular"}
    assert Application.objects.values("state").distinct().count() >= 8
    assert ApplicationEvent.objects.filter(application__state="draft").count() == 0
    assert not Application.objects.exclude(state="draft").filter(events__isnull=True).exists()
    for quota in SehatiQuota.objects.all():
        assert quota.used == Application.objects.filter(sehati_quota=quota).count() <= quota.places
        assert quota.used == SehatiClaim.objects.filter(quota=quota, released_at__isnull=True).count()
    assert set(Application.objects.filter(state="returned").values_list("returned_from", flat=True)) <= set(
        wf.RESUMABLE
    )
    assert not Application.objects.filter(pathway="regular", state="submitted").exists()  # version 2: no intake step


@pytest.mark.django_db
def test_issued_bulk_applications_get_numbered_verifiable_certificates(client) -> None:
    from certification.models import Application, Certificate, CertificateCounter

    seed(businesses=20, applications=200, seed=5)
    issued = Application.objects.filter(state="issued")
    assert Certificate.objects.count() == issued.count() > 0
    numbers = list(Certificate.objects.values_list("number", flat=True))
    assert len(set(numbers)) == len(numbers)
    assert all(len(number) == 19 and number.startswith("ID") and number[4:6] == "11" for number in numbers)
    counters = dict(CertificateCounter.objects.values_list("province_code", "last_value"))
    assert {number[2:4] for number in numbers} == set(counters)  # numbered per province of the business
    assert sum(counters.values()) == len(numbers)
    certificate = Certificate.objects.first()
    body = client.get(f"/api/v1/public/certificates/{certificate.number}/").json()
    assert (body["status"], body["business_name"]) == ("valid", certificate.business_name)
    assert body["products"] == [certificate.products[0]["name"]]


def _schema_of(*tables: str) -> list[tuple[str, str]]:
    from django.db import connection

    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT indexdef, '' FROM pg_indexes WHERE tablename = ANY(%s) "
            "UNION ALL SELECT pg_get_constraintdef(oid), conname FROM pg_constraint "
            "WHERE conrelid = ANY(SELECT oid FROM pg_class WHERE relname = ANY(%s)) ORDER BY 1, 2",
            [list(tables), list(tables)],
        )
        return cursor.fetchall()


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_bulk_load_puts_back_every_index_and_foreign_key_and_the_keys_hold() -> None:
    """seed_bulk loads without secondary indexes and foreign keys (bulk_load); they must come back exactly."""
    from django.db import IntegrityError, transaction

    from bench.bulk import bulk_load
    from certification.models import Application, ApplicationEvent, Certificate

    tables = [m._meta.db_table for m in (Application, ApplicationEvent, Certificate, Program, Enrollment, FollowUp)]
    before = _schema_of(*tables)
    assert any("FOREIGN KEY" in definition for definition, _name in before)
    output = seed(businesses=40, applications=120, programs=6, enrollments=60, seed=5)
    assert "vacuum (analyze) in" in output  # outside a transaction the load ends with VACUUM (ANALYZE)
    assert _schema_of(*tables) == before
    assert Application.objects.count() == 120 and Enrollment.objects.count() == 60
    # The re-added keys are enforced.
    with pytest.raises(IntegrityError), transaction.atomic():
        ApplicationEvent.objects.create(application_id=10**9, from_state="", to_state="submitted", action="submit")
    # An error during a load leaves the indexes and keys where they were (DDL is transactional).
    with pytest.raises(RuntimeError), transaction.atomic(), bulk_load(ApplicationEvent):
        raise RuntimeError("load failed")
    assert _schema_of(*tables) == before


@pytest.mark.postgres  # this round's tables are seeded in PostgreSQL-only SQL
@pytest.mark.django_db
def test_seed_bulk_writes_this_rounds_records_in_proportion() -> None:
    """Dossiers (issue 16), appeals and yearly confirmations (issue 17) and notifications (issue 20) come with the
    businesses and applications, so the benchmark measures pages that read them at scale."""
    from applicants.models import Ingredient
    from applicants.models.dossier import Facility, Person, ProcessStep
    from certification.models import Appeal, Application, Certificate, CompositionCheck
    from core.models import Notification

    seed(businesses=60, applications=3000, seed=5, today=date(2026, 6, 1))
    assert Person.objects.filter(role="responsible").count() == 60
    # Every applicant names its halal supervisor (UU 33/2014 Ps 24(c)): the owner acts, one record per business.
    assert Person.objects.filter(role="supervisor", owner_acts=True).values("business").distinct().count() == 60
    assert Person.objects.filter(role="supervisor").count() == 60
    assert Facility.objects.filter(kind="production").count() == 60
    products = Product.objects.count()
    assert ProcessStep.objects.count() == 3 * products
    ingredients = Ingredient.objects.count()
    assert 3 * products <= ingredients <= 4 * products
    doubtful = Ingredient.objects.filter(Ingredient.doubtful_q(date(2026, 6, 1))).count()
    assert 0 < doubtful < products  # about one product in ten has one
    appeals = Appeal.objects.count()
    assert appeals == Application.objects.filter(state="appeal").count() > 0
    assert appeals < Application.objects.filter(state="rejected").count()
    submitted = Application.objects.exclude(state="draft").count()
    assert Notification.objects.filter(kind="application_status").count() == submitted
    checks = CompositionCheck.objects.all()
    assert checks.exists()
    assert set(checks.values_list("answer", flat=True)) == {"unchanged", "changed", ""}
    assert all(c.anniversary <= date(2026, 6, 1) for c in checks)
    assert checks.values("certificate").distinct().count() <= Certificate.objects.count()


def _round_tables_counts() -> dict[str, int]:
    from applicants.models import DistributionPermit, ProductListing
    from applicants.models.dossier import Person
    from certification.models import Bill, EvidenceSnapshot, Verification, VerificationItem

    return {
        "permits": DistributionPermit.objects.count(),
        "listings": ProductListing.objects.count(),
        "snapshots": EvidenceSnapshot.objects.count(),
        "verifications": Verification.objects.count(),
        "items": VerificationItem.objects.count(),
        "bills": Bill.objects.count(),
        "supervisors": Person.objects.filter(role="supervisor").count(),
    }


@pytest.mark.postgres  # this round's tables are seeded in PostgreSQL-only SQL
@pytest.mark.django_db
def test_seed_bulk_freezes_one_snapshot_per_submitted_case_that_its_hash_and_the_integrity_check_accept() -> None:
    from certification.apps import snapshot_integrity
    from certification.evidence.services import build_content, content_hash
    from certification.models import Application, Certificate, EvidenceSnapshot

    seed(businesses=40, applications=600, seed=11, today=date(2026, 6, 1))
    submitted = Application.objects.filter(submitted_at__isnull=False)
    assert EvidenceSnapshot.objects.count() == submitted.count() > 0
    assert not Application.objects.filter(submitted_at__isnull=True, evidence__isnull=False).exists()
    assert not submitted.filter(evidence__isnull=True).exists()
    assert not submitted.exclude(evidence__application=models.F("pk")).exists()
    assert set(EvidenceSnapshot.objects.values_list("number", "kind").distinct()) == {(1, "submission")}
    assert not Certificate.objects.filter(evidence__isnull=True).exists()
    assert not Certificate.objects.exclude(evidence=models.F("application__evidence")).exists()
    assert snapshot_integrity() == []
    # The content is what the submission service freezes from the same dossier.
    case = submitted.filter(products__isnull=False).order_by("pk").first()
    snapshot = EvidenceSnapshot.objects.get(application=case)
    assert snapshot.content == build_content(case, today=date(2026, 6, 1))
    assert snapshot.content_hash == content_hash(snapshot.content)
    # The seeder splices each business's and product's JSON; every snapshot's hash is still the service's hash of the
    # service's canonical JSON of what was stored.
    stored = EvidenceSnapshot.objects.values_list("content", "content_hash")
    assert all(content_hash(content) == digest for content, digest in stored)


@pytest.mark.postgres  # this round's tables are seeded in PostgreSQL-only SQL
@pytest.mark.django_db
def test_seed_bulk_writes_permits_listings_verifications_and_bills_in_proportion() -> None:
    from applicants.models import DistributionPermit, ProductListing
    from applicants.models.permits import MD_PATTERN, PIRT_PATTERN
    from certification.models import Application, Bill, Verification

    seed(businesses=80, applications=1500, seed=4, today=date(2026, 6, 1))
    products = Product.objects.count()
    pirt = DistributionPermit.objects.filter(kind="pirt")
    md = DistributionPermit.objects.filter(kind="bpom_md")
    assert 0.3 < pirt.count() / products < 0.5
    assert 0 < md.count() / products < 0.2
    assert all(PIRT_PATTERN.match(p.number) and int(p.number[-2:]) == p.expires_on.year % 100 for p in pirt)
    assert all(MD_PATTERN.match(p.number) for p in md)
    assert all(p.expires_on > p.issued_on for p in DistributionPermit.objects.all())
    certified = Product.objects.filter(applications__state="issued").distinct()
    listed = ProductListing.objects.all()
    assert set(listed.values_list("product_id", flat=True)) <= set(certified.values_list("pk", flat=True))
    assert 0.2 < listed.count() / certified.count() < 0.5
    assert listed.filter(published=True).count() > listed.filter(published=False).count()
    validated = Application.objects.filter(pathway="self_declare", events__action="pph_validate")
    assert Verification.objects.count() == validated.count() > 0
    record = Verification.objects.filter(application__products__isnull=False).first()
    keys = set(record.items.values_list("key", flat=True))
    assert {k for k in keys if k.startswith("p-")} and {k for k in keys if k.startswith("s-")}
    assert {k for k in keys if k.startswith("i-")}
    assert set(record.items.values_list("verdict", flat=True)) == {"conforms"}
    reached_payment = Application.objects.filter(pathway="regular", events__action="appoint_lph")
    assert Bill.objects.count() == reached_payment.count() > 0
    paid = Bill.objects.filter(application__paid_at__isnull=False)
    assert paid.exists() and not paid.filter(confirmed_at__isnull=True).exists()
    assert not Bill.objects.filter(application__paid_at__isnull=True, confirmed_at__isnull=False).exists()


@pytest.mark.postgres  # this round's tables are seeded in PostgreSQL-only SQL
@pytest.mark.django_db
def test_a_top_up_fills_only_what_is_missing_and_a_second_top_up_writes_nothing() -> None:
    seed(businesses=30, applications=300, seed=2, today=date(2026, 6, 1))
    first = _round_tables_counts()
    output = seed(**{"top_up": True})
    assert _round_tables_counts() == first
    assert "snapshots: 0" in output and "permits: 0" in output
    seed(applications=200, seed=3, today=date(2026, 6, 1))
    grown = _round_tables_counts()
    assert all(grown[name] >= first[name] for name in first)
    assert grown["snapshots"] > first["snapshots"]


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_the_snapshot_guard_still_refuses_changes_after_a_bulk_seed() -> None:
    from django.db import DatabaseError, connection

    from certification.models import EvidenceSnapshot

    seed(businesses=10, applications=60, seed=1, today=date(2026, 6, 1))
    pk = EvidenceSnapshot.objects.values_list("pk", flat=True).first()
    for sql in (
        "UPDATE certification_evidencesnapshot SET kind = 'x' WHERE id = %s",
        "DELETE FROM certification_evidencesnapshot WHERE id = %s",
    ):
        with (
            pytest.raises(DatabaseError, match="never changed or deleted"),
            transaction.atomic(),
            connection.cursor() as cursor,
        ):
            cursor.execute(sql, [pk])


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_snapshots_load_in_threads_without_per_row_key_checks_and_every_reference_is_then_checked(monkeypatch) -> None:
    """Outside a transaction the snapshots load in two threads on their own connections, foreign-key triggers off
    (session_replication_role = replica, as a superuser); the content is still the service's, every pointer is set,
    and the set-based check that replaces the per-row ones refuses a dangling reference."""
    from django.db import connection

    from bench.bulk import snapshots
    from certification.apps import snapshot_integrity
    from certification.evidence.services import content_hash
    from certification.models import Application, EvidenceSnapshot

    monkeypatch.setattr(snapshots, "SNAPSHOT_CHUNK", 40)  # several chunks for each of the two threads
    threads: set[str] = set()
    chunk = snapshots._snapshot_chunk

    def spy(*args, **kwargs):  # type: ignore[no-untyped-def]
        import threading

        threads.add(threading.current_thread().name)
        assert kwargs["unchecked"] is True
        return chunk(*args, **kwargs)

    monkeypatch.setattr(snapshots, "_snapshot_chunk", spy)
    seed(businesses=30, applications=400, seed=7, today=date(2026, 6, 1))
    assert len(threads) == 2 and "MainThread" not in threads
    submitted = Application.objects.filter(submitted_at__isnull=False)
    assert EvidenceSnapshot.objects.count() == submitted.count() > 100
    assert not submitted.filter(evidence__isnull=True).exists()
    assert not submitted.exclude(evidence__application=models.F("pk")).exists()
    assert all(content_hash(c) == h for c, h in EvidenceSnapshot.objects.values_list("content", "content_hash"))
    assert snapshot_integrity() == []
    snapshots._check_references(first_id=1)  # nothing dangles
    # A pointer at no snapshot, written with the triggers off, is what the check is there to find.
    case = submitted.first()
    with transaction.atomic(), connection.cursor() as cursor:
        cursor.execute("SET LOCAL session_replication_role = replica")
        cursor.execute("UPDATE certification_application SET evidence_id = %s WHERE id = %s", [10**9, case.pk])
    with pytest.raises(RuntimeError, match="1 rows of certification_application.evidence_id point at no row"):
        snapshots._check_references(first_id=1)
