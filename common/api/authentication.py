from typing import Any

from rest_framework.authentication import BaseAuthentication, get_authorization_header
from rest_framework.exceptions import AuthenticationFailed
from rest_framework.request import Request

from accounts.services import access_token_authenticate


class BearerTokenAuthentication(BaseAuthentication):
    """`Authorization: Bearer <access_token>`. A missing header leaves the request anonymous (the
    permission check then answers 401); a malformed, unknown, expired or revoked token is a 401."""

    keyword = b"bearer"

    def authenticate(self, request: Request) -> tuple[Any, Any] | None:
        header = get_authorization_header(request)
        if not header:
            return None
        parts = header.split()
        if len(parts) != 2 or parts[0].lower() != self.keyword:
            raise AuthenticationFailed("Malformed Authorization header; use 'Bearer <token>'.")
        try:
            raw = parts[1].decode("ascii")
        except UnicodeDecodeError:
            raise AuthenticationFailed("Malformed access token.") from None
        token = access_token_authenticate(raw_token=raw)
        if token is None:
            raise AuthenticationFailed("The access token is invalid, expired or revoked.")
        return token.login.user, token

    def authenticate_header(self, request: Request) -> str:
        return 'Bearer realm="api"'
