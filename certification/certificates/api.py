"""REST API of certificates: the public verification JSON, the PDF download, revocation."""

from __future__ import annotations

from typing import Any

from django.http import FileResponse, HttpResponse
from django.utils.translation import gettext as _
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, OpenApiResponse, extend_schema
from rest_framework import serializers
from rest_framework.exceptions import NotFound
from rest_framework.permissions import AllowAny, IsAuthenticated
from rest_framework.renderers import JSONRenderer
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from certification import selectors
from certification.certificates import selectors as certificate_selectors
from certification.certificates.services import cache_key, certificate_revoke, number_pattern
from certification.models import Certificate
from certification.workflow import table as wf
from core.access.throttling import FixedWindowRateThrottle, store
from core.api.permissions import HasRole
from core.errors import DomainError

PUBLIC_CACHE_SECONDS = 60


class PublicCertificateSerializer(serializers.Serializer):
    number = serializers.CharField()
    status = serializers.ChoiceField(choices=["valid", "revoked", "superseded"])
    issuer = serializers.ChoiceField(
        choices=["bpjph", "platform"],
        help_text="bpjph: issued by BPJPH through SIHALAL and recorded by this office; platform: issued by this "
        "deployment's authority (issuer_name)",
    )
    issuer_name = serializers.CharField(help_text="Who issued the certificate, by name")
    recorded_from_bpjph = serializers.BooleanField(
        help_text="True when this office recorded the certificate from BPJPH rather than issuing it"
    )
    business_name = serializers.CharField()
    products = serializers.ListField(child=serializers.CharField())
    issued_at = serializers.DateTimeField()
    revoked_at = serializers.DateTimeField(allow_null=True)
    reason = serializers.CharField(allow_null=True, help_text="The reason for revocation, when revoked.")


class RevokeSerializer(serializers.Serializer):
    reason = serializers.CharField(required=False, allow_blank=True, default="")


class CertificateStatusSerializer(serializers.Serializer):
    number = serializers.CharField()
    status = serializers.CharField()
    revoked_at = serializers.DateTimeField(allow_null=True)
    reason = serializers.CharField(allow_blank=True)


def _check_number(number: str) -> None:
    if not number_pattern().match(number):
        message = _("“%(number)s” is not a certificate number: it is ID followed by 17 digits.") % {"number": number}
        raise DomainError(message, errors={"number": [message]})


class PublicCertificateView(APIView):
    """Public verification of a certificate number (no login, cached for a minute, rate-limited)."""

    permission_classes = [AllowAny]
    authentication_classes: list[Any] = []
    renderer_classes = [JSONRenderer]  # no negotiation work on a budgeted hot path
    throttle_classes = [FixedWindowRateThrottle]  # counted in get(), together with the cache read
    throttle_scope = "public_verify"

    def get_throttles(self) -> list[Any]:
        return []  # get() counts the request and reads the cached answer in one Redis round trip

    @extend_schema(
        responses={
            200: PublicCertificateSerializer,
            400: OpenApiResponse(description="Not a certificate number"),
            404: OpenApiResponse(description="No such certificate"),
        },
        auth=[],
    )
    def get(self, request: Request, number: str) -> HttpResponse:
        key = cache_key(number) if number_pattern().match(number) else None  # a malformed number is never cached
        throttle = FixedWindowRateThrottle()
        allowed, body = throttle.allow_and_read(request, self, key)
        if not allowed:
            self.throttled(request, throttle.wait())
        if body is None:
            _check_number(number)  # a 400 for the malformed numbers that were not looked up
            data = certificate_selectors.certificate_public(number=number)
            if data is None:
                raise NotFound(_("No certificate with the number %(number)s was found.") % {"number": number})
            body = JSONRenderer().render(PublicCertificateSerializer(data).data)
            store().set(cache_key(number), body, PUBLIC_CACHE_SECONDS)
        # The cached answer is the rendered JSON: a hit skips serializing and rendering.
        return HttpResponse(body, content_type="application/json")


class CertificatePdfView(APIView):
    """The certificate PDF, for the owner of the business and staff; anyone else gets 404."""

    permission_classes = [IsAuthenticated]

    @extend_schema(
        parameters=[
            OpenApiParameter(
                "official",
                OpenApiTypes.BOOL,
                description="The official certificate PDF BPJPH issued (CERTIFICATE_ISSUER=bpjph), not the platform's",
            )
        ],
        responses={
            (200, "application/pdf"): OpenApiTypes.BINARY,
            404: OpenApiResponse(description="Not found, or the PDF is not rendered yet"),
        },
    )
    def get(self, request: Request, number: str) -> HttpResponse:
        official = request.query_params.get("official", "").lower() in ("1", "true")
        certificate = (
            selectors.certificates_for(request.user)
            .filter(number=number)
            .only("number", "pdf", "official_pdf", "issuer")
            .first()
        )
        if certificate is None:
            raise NotFound(_("Certificate not found."))
        document = certificate.official_pdf if official else certificate.pdf
        if official and not document:
            raise NotFound(_("This certificate has no official PDF from BPJPH."))
        if not document:
            raise NotFound(_("The certificate PDF is still being prepared. Try again in a minute."))
        prefix = "sertifikat-halal-bpjph" if official else "sertifikat-halal"
        if certificate.issuer == Certificate.Issuer.BPJPH and not official:
            prefix = "catatan-fasilitasi"
        response = FileResponse(
            document.open("rb"),
            as_attachment=True,
            filename=f"{prefix}-{certificate.number}.pdf",
            content_type="application/pdf",
        )
        response["X-Content-Type-Options"] = "nosniff"
        return response


class CertificateRevokeView(APIView):
    """A reviewer revokes a valid certificate; `reason` is required."""

    permission_classes = [HasRole.of(*wf.ACTOR_ROLES[wf.REVIEWER])]

    @extend_schema(request=RevokeSerializer, responses={200: CertificateStatusSerializer})
    def post(self, request: Request, number: str) -> Response:
        certificate = selectors.certificates_for(request.user).filter(number=number).first()
        if certificate is None:
            raise NotFound(_("Certificate not found."))
        body = RevokeSerializer(data=request.data)
        body.is_valid(raise_exception=True)
        certificate = certificate_revoke(
            certificate=certificate, actor=request.user, reason=body.validated_data["reason"]
        )
        return Response(
            CertificateStatusSerializer(
                {
                    "number": certificate.number,
                    "status": certificate.status,
                    "revoked_at": certificate.revoked_at,
                    "reason": certificate.revocation_reason,
                }
            ).data
        )
