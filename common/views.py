"""Project-wide views: the health check, and JSON error pages for `/api/` paths."""

import contextlib
from typing import Any

from django.db import connection
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.views import defaults
from django.views.decorators.http import require_safe
from rest_framework import exceptions
from rest_framework.permissions import AllowAny
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from common.api.envelope import error_body
from common.api.exceptions import bad_request_error


@require_safe
def healthz(request: HttpRequest) -> JsonResponse:
    """`200 {"status": "ok"}` when the database answers, `503` otherwise (GET or HEAD)."""
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
            cursor.fetchone()
    except Exception:  # noqa: BLE001 - any database failure means "not healthy"
        return JsonResponse({"status": "unavailable", "database": "unreachable"}, status=503)
    return JsonResponse({"status": "ok", "database": "ok"})


def _is_api(request: HttpRequest) -> bool:
    return request.path.startswith("/api/")


def _api_error(status: int, code: str, message: str) -> JsonResponse:
    return JsonResponse(error_body(code, message), status=status)


class ApiRouteNotFound(APIView):
    """Any `/api/` path no route matches, with any method: `404 NOT_FOUND` in the envelope. It
    is counted against the rate limit and carries its headers like every `/api/` request (per
    token when a valid one is sent, else per client IP); a missing or bad token does not turn
    the 404 into a 401. CSRF-exempt like every API view: the API uses bearer tokens, never
    cookies."""

    permission_classes = [AllowAny]

    def perform_authentication(self, request: Request) -> None:
        # Authenticates, so that a valid token is counted as such; a bad one leaves the request
        # anonymous, counted per IP.
        with contextlib.suppress(exceptions.AuthenticationFailed):
            request.user  # noqa: B018

    def initial(self, request: Request, *args: Any, **kwargs: Any) -> None:
        super().initial(request, *args, **kwargs)
        raise exceptions.NotFound("No API route matches this path.")

    def http_method_not_allowed(self, request: HttpRequest, *args: Any, **kwargs: Any) -> Response:
        raise exceptions.NotFound("No API route matches this path.")

    @property
    def default_response_headers(self) -> dict[str, str]:
        return {"Vary": "Accept"}  # no `Allow`: no method is allowed on a path that is not there


api_route_not_found = ApiRouteNotFound.as_view()


def bad_request(request: HttpRequest, exception: Exception) -> HttpResponse:
    """Django answers its `SuspiciousOperation` family (an unknown `Host`, a body or a query
    string too large to read) with this view when one is raised outside the API views."""
    if _is_api(request):
        return _api_error(*bad_request_error(exception))
    return defaults.bad_request(request, exception)


def permission_denied(request: HttpRequest, exception: Exception) -> HttpResponse:
    if _is_api(request):
        return _api_error(403, "FORBIDDEN", "You do not have permission to perform this action.")
    return defaults.permission_denied(request, exception)


def page_not_found(request: HttpRequest, exception: Exception) -> HttpResponse:
    if _is_api(request):
        return _api_error(404, "NOT_FOUND", "No API route matches this path.")
    return defaults.page_not_found(request, exception)


def server_error(request: HttpRequest) -> HttpResponse:
    if _is_api(request):
        return _api_error(
            500,
            "INTERNAL_ERROR",
            f"An unexpected error occurred. Request id: {getattr(request, 'request_id', '-')}.",
        )
    return defaults.server_error(request)
