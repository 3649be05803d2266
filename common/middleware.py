"""Request ids and rate-limit headers, added to every response."""

import re
import secrets
from collections.abc import Callable

from django.http import HttpRequest, HttpResponse

from common.logging import current_request_id

REQUEST_ID_HEADER = "X-Request-ID"
_INCOMING_ID = re.compile(r"[A-Za-z0-9._-]{8,64}")


class RequestIdMiddleware:
    """Gives each request an id (or keeps a well-formed `X-Request-ID` sent by a proxy), puts it
    in the log records and echoes it in the response's `X-Request-ID` header."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        incoming = request.headers.get(REQUEST_ID_HEADER, "")
        if _INCOMING_ID.fullmatch(incoming):
            request_id = incoming
        else:
            request_id = f"req_{secrets.token_hex(12)}"
        request.request_id = request_id  # type: ignore[attr-defined]  # our own attribute
        token = current_request_id.set(request_id)
        try:
            response = self.get_response(request)
        finally:
            current_request_id.reset(token)
        response[REQUEST_ID_HEADER] = request_id
        return response


class RateLimitHeadersMiddleware:
    """Copies the API throttle's numbers (see common.api.throttling) into the response headers."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        response = self.get_response(request)
        state = getattr(request, "rate_limit", None)
        if state is not None:
            response["X-RateLimit-Limit"] = str(state.limit)
            response["X-RateLimit-Remaining"] = str(state.remaining)
            response["X-RateLimit-Reset"] = str(state.reset_at)
        return response
