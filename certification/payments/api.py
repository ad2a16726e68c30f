"""`/api/v1/applications/{id}/payment/`: the bill of a regular case (staff record it, the owner and staff read it),
`.../payment/proof/` (the owner uploads the proof), `.../payment/confirm/` (staff confirm; the case moves on).

Whoever may not see the case gets 404; a refused value answers 400 with the message in the user's language.
"""

from __future__ import annotations

from typing import Any

from django.http import Http404
from django.urls import reverse
from django.utils.translation import gettext as _
from drf_spectacular.utils import extend_schema
from rest_framework import serializers
from rest_framework.parsers import FormParser, JSONParser, MultiPartParser
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from certification import selectors
from certification.models import Application, Bill
from certification.payments import services


class BillSerializer(serializers.ModelSerializer):
    application = serializers.IntegerField(source="application_id", read_only=True)
    proof_url = serializers.SerializerMethodField()

    class Meta:
        model = Bill
        fields = [
            "application",
            "amount",
            "channel",
            "code",
            "bank",
            "due_on",
            "recorded_at",
            "proof_name",
            "proof_uploaded_at",
            "proof_url",
            "confirmed_at",
        ]
        read_only_fields = fields

    def get_proof_url(self, obj: Bill) -> str | None:
        if not obj.proof:
            return None
        return reverse("certification:payment-proof-file", args=[obj.application_id])


class BillInputSerializer(serializers.Serializer):
    """Plain values: the service checks each and answers in the user's language."""

    amount = serializers.CharField(help_text="Whole rupiah, more than 0.")
    channel = serializers.ChoiceField(choices=Bill.Channel.choices)
    code = serializers.CharField(help_text="SIMPONI: 15 digits; virtual account: 10 to 20 digits.")
    bank = serializers.CharField(required=False, allow_blank=True, help_text="The virtual account's bank.")
    due_on = serializers.CharField(help_text="YYYY-MM-DD, today or later.")


class ProofInputSerializer(serializers.Serializer):
    proof = serializers.FileField(help_text="PDF, JPEG or PNG.")


class ConfirmInputSerializer(serializers.Serializer):
    note = serializers.CharField(required=False, allow_blank=True)


def _case(request: Request, pk: int) -> Application:
    application = selectors.applications_for(request.user).filter(pk=pk).first()
    if application is None:
        raise Http404
    return application


def _bill_of(application: Application) -> Bill:
    bill = Bill.objects.filter(application=application).first()
    if bill is None:
        raise Http404(_("The office has not recorded a bill for this application."))
    return bill


class PaymentView(APIView):
    """GET the bill (owner and staff); PUT records or corrects it (staff of the case's region)."""

    parser_classes = [JSONParser, FormParser, MultiPartParser]

    @extend_schema(responses={200: BillSerializer})
    def get(self, request: Request, pk: int) -> Response:
        return Response(BillSerializer(_bill_of(_case(request, pk))).data)

    @extend_schema(request=BillInputSerializer, responses={200: BillSerializer})
    def put(self, request: Request, pk: int) -> Response:
        application = _case(request, pk)
        form = BillInputSerializer(data=request.data)
        form.is_valid(raise_exception=True)
        data: dict[str, Any] = dict(form.validated_data)
        bill = services.bill_record(application_id=application.pk, actor=request.user, **data)
        return Response(BillSerializer(bill).data)


class PaymentProofView(APIView):
    """POST the proof of payment (multipart, field `proof`): the owner of the business."""

    parser_classes = [MultiPartParser, FormParser]

    @extend_schema(request={"multipart/form-data": ProofInputSerializer}, responses={200: BillSerializer})
    def post(self, request: Request, pk: int) -> Response:
        application = _case(request, pk)
        form = ProofInputSerializer(data=request.data)
        form.is_valid(raise_exception=True)
        bill = services.payment_proof_upload(
            application_id=application.pk, actor=request.user, proof=form.validated_data["proof"]
        )
        return Response(BillSerializer(bill).data)


class PaymentConfirmView(APIView):
    """POST: staff confirm the owner's proof; the case moves on to the LPH audit (`record_payment`)."""

    parser_classes = [JSONParser, FormParser]

    @extend_schema(request=ConfirmInputSerializer, responses={200: BillSerializer})
    def post(self, request: Request, pk: int) -> Response:
        application = _case(request, pk)
        form = ConfirmInputSerializer(data=request.data)
        form.is_valid(raise_exception=True)
        services.payment_confirm(
            application_id=application.pk, actor=request.user, note=form.validated_data.get("note", "")
        )
        return Response(BillSerializer(_bill_of(application)).data)
