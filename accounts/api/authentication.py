from typing import Any

from rest_framework.authentication import BaseAuthentication
from rest_framework.exceptions import AuthenticationFailed
from rest_framework.request import Request

from accounts.services import access_token_authenticate
from common.api.envelope import BEARER_CHALLENGE


class BearerTokenAuthentication(BaseAuthentication):
    """`Authorization: Bearer <access_token>`. A missing header leaves the request anonymous (the
    permission check then answers 401); a malformed, unknown, expired or revoked token is a 401."""

    keyword = "bearer"

    def authenticate(self, request: Request) -> tuple[Any, Any] | None:
        header = request.META.get("HTTP_AUTHORIZATION", "")
        if not header:
            return None
        parts = header.split()
        if len(parts) != 2 or parts[0].lower() != self.keyword:
            raise AuthenticationFailed("Malformed Authorization header; use 'Bearer <token>'.")
        raw = parts[1]
        if not raw.isascii():
            raise AuthenticationFailed("Malformed access token.")
        token = access_token_authenticate(raw_token=raw)
        if token is None:
            raise AuthenticationFailed("The access token is invalid, expired or revoked.")
        return token.login.user, token

    def authenticate_header(self, request: Request) -> str:
        return BEARER_CHALLENGE
