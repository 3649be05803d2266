"""Project-wide views: the health check, and JSON error pages for `/api/` paths."""

from django.db import connection
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.views import defaults
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_safe

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


@csrf_exempt  # the API uses bearer tokens, never cookies: a POST here is a 404, not a CSRF 403
def api_route_not_found(request: HttpRequest) -> JsonResponse:
    return _api_error(404, "NOT_FOUND", "No API route matches this path.")


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
        return api_route_not_found(request)
    return defaults.page_not_found(request, exception)


def server_error(request: HttpRequest) -> HttpResponse:
    if _is_api(request):
        return _api_error(
            500,
            "INTERNAL_ERROR",
            f"An unexpected error occurred. Request id: {getattr(request, 'request_id', '-')}.",
        )
    return defaults.server_error(request)
