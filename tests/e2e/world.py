"""A small world for the permission matrix and the hardening tests: owner A's objects, owner B's objects, a case
assigned to the PPH, a training with owner A's business enrolled and a follow-up with evidence."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from typing import Any

from django.core.files.base import ContentFile
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone

from applicants.models import AnnualFigures, Business, Document, Product
from certification.conversation import case_message_post
from certification.document_services import case_document_render
from certification.models import Application, CaseDocument, CaseMessage, Certificate
from tests.certification import factories as cf
from tests.training.factories import EnrollmentFactory, FollowUpFactory, ProgramFactory
from training.messaging import program_message_post
from training.models import Enrollment, FollowUp, Program, ProgramMessage


@dataclass
class World:
    business: Business
    figures: AnnualFigures
    product: Product
    document: Document
    application: Application
    program: Program
    enrollment: Enrollment
    follow_up: FollowUp
    other_business: Business
    certificate: Certificate
    case_message: CaseMessage
    program_message: ProgramMessage


def build_world(*, alice: Any, bob: Any, pat: Any, rina: Any, oscar: Any) -> World:
    """Owner A (alice) owns everything probed; owner B (bob) owns a business of his own so he is a real owner."""
    cf.national_quota(places=100)
    business = cf.business(alice, phone="081234567321")
    figures = AnnualFigures.objects.get(business=business)
    product = cf.product(business)
    documents = cf.documents(business)
    application = cf.services.application_create(
        actor=alice,
        business_id=business.pk,
        pathway="self_declare",
        product_ids=[product.pk],
        document_ids=[d.pk for d in documents],
    )
    cf.services.pledge_sign(application_id=application.pk, actor=alice)
    application = cf.drive(application, "pph_verification", cf.Cast(owner=alice, reviewer=rina, pph=pat))
    program = ProgramFactory(responsible_officer=oscar, end_date=date(2026, 1, 7))
    enrollment = EnrollmentFactory(program=program, business=business)
    follow_up = FollowUpFactory(enrollment=enrollment, done_on=date(2026, 1, 12))
    follow_up.evidence.save("evidence.pdf", ContentFile(cf.PDF), save=False)
    follow_up.evidence_name = "evidence.pdf"
    follow_up.evidence_content_type = "application/pdf"
    follow_up.save(update_fields=["evidence", "evidence_name", "evidence_content_type"])
    other_business = cf.business(bob)
    certificate = Certificate.objects.get(application=cf.issued(cf.Cast(owner=alice, reviewer=rina, pph=pat)))
    for letter in CaseDocument.objects.filter(application=certificate.application):  # the STTD, as a worker would
        case_document_render(document_id=letter.pk)
    case_message = case_message_post(
        application=application, author=alice, body="Pertanyaan", attachment=SimpleUploadedFile("q.pdf", cf.PDF)
    )
    program_message = program_message_post(
        program=program, author=alice, body="Pertanyaan", attachment=SimpleUploadedFile("q.pdf", cf.PDF)
    )
    assert timezone.localdate()  # aware dates everywhere
    return World(
        business=business,
        figures=figures,
        product=product,
        document=documents[0],
        application=application,
        program=program,
        enrollment=enrollment,
        follow_up=follow_up,
        other_business=other_business,
        certificate=certificate,
        case_message=case_message,
        program_message=program_message,
    )
