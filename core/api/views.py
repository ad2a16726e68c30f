"""core's own API endpoints besides the calendar: the token and the signed-in user."""

from __future__ import annotations

from typing import Any

from django.contrib.auth import authenticate
from django.utils.translation import gettext_lazy as _
from drf_spectacular.utils import extend_schema, inline_serializer
from rest_framework import exceptions, serializers, status
from rest_framework.permissions import AllowAny
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from core.access.throttling import ClientScopedRateThrottle
from core.api.tokens import api_token_create, api_tokens_revoke


class TokenRequestSerializer(serializers.Serializer):
    email = serializers.EmailField()
    password = serializers.CharField(trim_whitespace=False, style={"input_type": "password"})


class ObtainTokenView(APIView):
    """Exchange an e-mail and password for an API token (`Authorization: Token <token>`).

    Each exchange makes a new token (django-rest-knox): stored only as a SHA-512 digest, valid for API_TOKEN_DAYS
    days (`expires_at`), revocable (`auth/token/revoke/`, `auth/token/revoke-all/`, or an administrator in the admin
    site). A person holds at most API_TOKENS_PER_USER tokens at once.
    """

    permission_classes = [AllowAny]
    authentication_classes: list[Any] = []
    throttle_classes = [ClientScopedRateThrottle]
    throttle_scope = "token"

    @extend_schema(
        request=TokenRequestSerializer,
        responses={
            200: inline_serializer(
                "TokenResponse", {"token": serializers.CharField(), "expires_at": serializers.DateTimeField()}
            )
        },
    )
    def post(self, request: Request) -> Response:
        form = TokenRequestSerializer(data=request.data)
        form.is_valid(raise_exception=True)
        user = authenticate(
            request,
            email=form.validated_data["email"].lower(),
            password=form.validated_data["password"],
        )
        if user is None or not user.is_active:
            raise exceptions.ValidationError(
                {"non_field_errors": [_("Unable to log in with the e-mail address and password given.")]}
            )
        token, expires_at = api_token_create(user=user)
        return Response({"token": token, "expires_at": expires_at}, status=status.HTTP_200_OK)


class RevokeTokenView(APIView):
    """Revoke the token this request carries (`all`: every token of the person). Answers 204."""

    revoke_all = False

    @extend_schema(request=None, responses={204: None})
    def post(self, request: Request) -> Response:
        api_tokens_revoke(user=request.user, token=None if self.revoke_all else request.auth)
        return Response(status=status.HTTP_204_NO_CONTENT)


class MeSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    email = serializers.EmailField()
    full_name = serializers.CharField()
    roles = serializers.ListField(child=serializers.CharField())


class MeView(APIView):
    """The signed-in user and the roles they hold."""

    @extend_schema(responses=MeSerializer)
    def get(self, request: Request) -> Response:
        user: Any = request.user  # authenticated (IsAuthenticated): a core.User
        data = {"id": user.pk, "email": user.email, "full_name": user.full_name, "roles": sorted(user.roles)}
        return Response(MeSerializer(data).data)
