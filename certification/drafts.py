"""`POST /api/v1/applications/{id}/pathway/`: the owner switches a draft between self-declare and regular, as the
application page allows (`certification.services.application_pathway_change`, the page's service)."""

from __future__ import annotations

from django.http import Http404
from drf_spectacular.utils import extend_schema
from rest_framework import serializers
from rest_framework.parsers import FormParser, JSONParser
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from certification import selectors, services
from certification.api import ApplicationDetailSerializer, _scoped
from certification.workflow import table as wf
from core.access import roles


class PathwayChangeSerializer(serializers.Serializer):
    # A plain string: the service refuses another value with its own message, in the user's language.
    pathway = serializers.CharField(help_text=f"{wf.SELF_DECLARE} or {wf.REGULAR}")
    lph = serializers.IntegerField(required=False, allow_null=True, help_text="The chosen LPH (regular only)")


class ApplicationPathwayView(APIView):
    """The owner switches a draft between self-declare and regular, as the application page allows (the same
    service: self-declare only for an eligible business; the pledge, chosen assistant or LPH of the other pathway are
    cleared). Anyone but the business's owner: 404."""

    parser_classes = [JSONParser, FormParser]

    @extend_schema(request=PathwayChangeSerializer, responses={200: ApplicationDetailSerializer})
    def post(self, request: Request, pk: int) -> Response:
        owned = selectors.applications_for(request.user).filter(business__owner=request.user)
        if not roles.has_role(request.user, roles.OWNER) or not owned.filter(pk=pk).exists():
            raise Http404
        form = PathwayChangeSerializer(data=request.data)
        form.is_valid(raise_exception=True)
        services.application_pathway_change(
            application_id=pk,
            actor=request.user,
            pathway=form.validated_data["pathway"],
            lph_id=form.validated_data.get("lph"),
        )
        application = _scoped(request).get(pk=pk)
        return Response(ApplicationDetailSerializer(application, context={"request": request}).data)
