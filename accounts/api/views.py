from functools import partial as partial_function
from typing import Any

from drf_spectacular.utils import extend_schema
from rest_framework import status, viewsets
from rest_framework.decorators import action
from rest_framework.permissions import AllowAny
from rest_framework.request import Request
from rest_framework.response import Response

from accounts import selectors, services
from accounts.api.filters import UserFilter
from accounts.api.requests import AuthenticatedRequest
from accounts.api.serializers import (
    LoginSerializer,
    RefreshSerializer,
    TokenPairSerializer,
    UserCreateSerializer,
    UserSerializer,
    UserUpdateSerializer,
)
from accounts.permissions import check_user_change, require_admin, user_for_actor
from common.api.bodies import parse_body
from common.api.pagination import paginated_response
from common.api.schema import ERROR_RESPONSE, filter_parameters


def _pair_body(pair: services.TokenPair) -> dict[str, Any]:
    return TokenPairSerializer(pair).data


class AuthViewSet(viewsets.ViewSet):
    def finalize_response(
        self, request: Request, response: Response, *args: Any, **kwargs: Any
    ) -> Response:
        """Token responses, and refusals of them, are never stored by a cache (RFC 6749 §5.1)."""
        response = super().finalize_response(request, response, *args, **kwargs)
        if self.action in ("login", "refresh"):
            response["Cache-Control"] = "no-store"
            response["Pragma"] = "no-cache"
        return response

    # Signing in and refreshing need no token: no authentication, no permission.
    @extend_schema(request=LoginSerializer, responses={200: TokenPairSerializer}, tags=["auth"])
    @action(
        detail=False, methods=["post"], authentication_classes=[], permission_classes=[AllowAny]
    )
    def login(self, request: Request) -> Response:
        body = LoginSerializer(data=request.data)
        body.is_valid(raise_exception=True)
        return Response(_pair_body(services.login_create(**body.validated_data)))

    @extend_schema(request=RefreshSerializer, responses={200: TokenPairSerializer}, tags=["auth"])
    @action(
        detail=False, methods=["post"], authentication_classes=[], permission_classes=[AllowAny]
    )
    def refresh(self, request: Request) -> Response:
        body = RefreshSerializer(data=request.data)
        body.is_valid(raise_exception=True)
        pair = services.login_refresh(raw_refresh_token=body.validated_data["refresh_token"])
        return Response(_pair_body(pair))

    @extend_schema(request=None, responses={204: None}, tags=["auth"])
    @action(detail=False, methods=["post"])
    def logout(self, request: AuthenticatedRequest) -> Response:
        services.login_revoke(login=request.auth.login)
        return Response(status=status.HTTP_204_NO_CONTENT)

    @extend_schema(responses={200: UserSerializer}, tags=["auth"])
    @action(detail=False, methods=["get"])
    def me(self, request: AuthenticatedRequest) -> Response:
        return Response(UserSerializer(request.user).data)


class UserViewSet(viewsets.ViewSet):
    lookup_url_kwarg = "user_id"
    lookup_value_converter = "id"

    @extend_schema(
        parameters=filter_parameters(UserFilter),
        responses={200: UserSerializer(many=True), 403: ERROR_RESPONSE},
        tags=["users"],
    )
    def list(self, request: AuthenticatedRequest) -> Response:
        require_admin(request.user)
        return paginated_response(
            request, selectors.user_list(), UserSerializer, filterset_class=UserFilter
        )

    @extend_schema(
        request=UserCreateSerializer,
        responses={201: UserSerializer, 403: ERROR_RESPONSE},
        tags=["users"],
    )
    def create(self, request: AuthenticatedRequest) -> Response:
        require_admin(request.user)
        body = UserCreateSerializer(data=request.data)
        user = services.user_create(
            **parse_body(body, partial_function(services.user_field_issues, user=None))
        )
        return Response(
            UserSerializer(user).data,
            status=status.HTTP_201_CREATED,
            headers={"Location": f"/api/v1/users/{user.pk}"},
        )

    @extend_schema(responses={200: UserSerializer}, tags=["users"])
    def retrieve(self, request: AuthenticatedRequest, user_id: str) -> Response:
        user = user_for_actor(actor=request.user, user_id=user_id)
        return Response(UserSerializer(user).data)

    def _update(self, request: AuthenticatedRequest, user_id: str, *, partial: bool) -> Response:
        user = user_for_actor(actor=request.user, user_id=user_id)
        body = UserUpdateSerializer(data=request.data, partial=partial)
        fields = parse_body(body, partial_function(services.user_field_issues, user=user))
        changes = check_user_change(actor=request.user, user=user, changes=fields)
        own_login = request.auth.login if user.pk == request.user.pk else None
        user = services.user_update(user=user, keep_login=own_login, **changes)
        return Response(UserSerializer(user).data)

    @extend_schema(
        request=UserUpdateSerializer,
        responses={200: UserSerializer, 403: ERROR_RESPONSE},
        tags=["users"],
    )
    def update(self, request: AuthenticatedRequest, user_id: str) -> Response:
        return self._update(request, user_id, partial=False)

    @extend_schema(
        request=UserUpdateSerializer,
        responses={200: UserSerializer, 403: ERROR_RESPONSE},
        tags=["users"],
    )
    def partial_update(self, request: AuthenticatedRequest, user_id: str) -> Response:
        return self._update(request, user_id, partial=True)

    @extend_schema(responses={204: None, 403: ERROR_RESPONSE, 409: ERROR_RESPONSE}, tags=["users"])
    def destroy(self, request: AuthenticatedRequest, user_id: str) -> Response:
        user = user_for_actor(actor=request.user, user_id=user_id)
        require_admin(request.user)
        services.user_delete(user=user)
        return Response(status=status.HTTP_204_NO_CONTENT)
