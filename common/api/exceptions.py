"""The one place where exceptions become API error responses (SPEC §2)."""

import logging
import math
from collections.abc import Iterator, Sequence
from typing import Any

from django.core.exceptions import (
    BadRequest,
    RequestDataTooBig,
    SuspiciousOperation,
    TooManyFieldsSent,
    TooManyFilesSent,
)
from django.core.exceptions import PermissionDenied as DjangoPermissionDenied
from django.core.exceptions import ValidationError as DjangoValidationError
from django.db import DatabaseError, InterfaceError, OperationalError
from django.http import Http404
from django.utils.log import log_response
from rest_framework import exceptions, status
from rest_framework.response import Response
from rest_framework.settings import api_settings
from rest_framework.views import set_rollback

from common.api.envelope import BEARER_CHALLENGE, error_body
from common.api.throttling import count_refused_request
from common.errors import ApplicationError
from common.logging import current_request_id
from common.validation import Issue

logger = logging.getLogger(__name__)

# DRF's exception classes, by the code this API gives them. The status is DRF's own, except that
# field validation answers 422 rather than 400.
_CODES: list[tuple[type[exceptions.APIException], str]] = [
    (exceptions.ParseError, "BAD_REQUEST"),
    (exceptions.AuthenticationFailed, "UNAUTHORIZED"),
    (exceptions.NotAuthenticated, "UNAUTHORIZED"),
    (exceptions.PermissionDenied, "FORBIDDEN"),
    (exceptions.NotFound, "NOT_FOUND"),
    (exceptions.MethodNotAllowed, "METHOD_NOT_ALLOWED"),
    (exceptions.NotAcceptable, "NOT_ACCEPTABLE"),
    (exceptions.UnsupportedMediaType, "UNSUPPORTED_MEDIA_TYPE"),
    (exceptions.Throttled, "RATE_LIMITED"),
    (exceptions.ValidationError, "VALIDATION_ERROR"),
]

_MESSAGES = {
    "UNAUTHORIZED": "Authentication credentials were missing or invalid.",
    "VALIDATION_ERROR": "The request has invalid fields.",
    "RATE_LIMITED": "Too many requests. Retry after the time given in Retry-After.",
    "UNSUPPORTED_MEDIA_TYPE": "Send the request body as JSON (Content-Type: application/json).",
    "NOT_FOUND": "The requested resource was not found.",
}


def error_response(
    status_code: int,
    code: str,
    message: str,
    details: Sequence[Issue] | None = None,
    headers: dict[str, str] | None = None,
) -> Response:
    # The whole envelope, so that views with their own renderers (the OpenAPI schema) answer
    # errors in it too; `EnvelopeJSONRenderer` passes it through unchanged.
    return Response(error_body(code, message, details), status=status_code, headers=headers)


# How long a client waits before retrying while the database is unreachable (a restart takes a
# few seconds).
RETRY_AFTER_UNAVAILABLE_SECONDS = 5


def database_unreachable(exc: DatabaseError) -> bool:
    """Whether a database error means the database cannot be reached (refused, gone away, shut
    down, connection cut), as opposed to a bug or a constraint."""
    if isinstance(exc, InterfaceError):
        return True  # the connection is closed or broken
    if not isinstance(exc, OperationalError):
        return False
    # psycopg's `OperationalError` covers lost connections and server shutdowns; its subclasses
    # for other conditions (a deadlock, a lock timeout, ...) are not outages.
    cause = exc.__cause__
    return cause is None or type(cause).__name__ in _UNREACHABLE_ERRORS


_UNREACHABLE_ERRORS = frozenset(
    {"OperationalError", "AdminShutdown", "CrashShutdown", "CannotConnectNow", "ConnectionTimeout"}
)


def service_unavailable(request: Any, exc: Exception) -> Response:
    """`503 SERVICE_UNAVAILABLE` with `Retry-After`: the database is unreachable, and a retry
    in a few seconds will likely succeed. Logged as a warning, without a traceback."""
    set_rollback()
    logger.warning(
        "Database unreachable (request id %s): %s", current_request_id.get(), exc.__class__.__name__
    )
    return error_response(
        status.HTTP_503_SERVICE_UNAVAILABLE,
        "SERVICE_UNAVAILABLE",
        "The service is briefly unavailable. Retry after the time given in Retry-After.",
        headers={"Retry-After": str(RETRY_AFTER_UNAVAILABLE_SECONDS)},
    )


def validation_details(detail: Any, prefix: str = "") -> Iterator[Issue]:
    """Flattens DRF's nested error structure into `{"field": "answers[2].question_id", ...}`."""
    if isinstance(detail, dict):
        for key, value in detail.items():
            if key == api_settings.NON_FIELD_ERRORS_KEY:
                name = prefix or key
            elif isinstance(key, int):  # a list's item (DRF reports list errors by index)
                name = f"{prefix}[{key}]"
            else:
                name = f"{prefix}.{key}" if prefix else str(key)
            yield from validation_details(value, name)
    elif isinstance(detail, list):
        if all(isinstance(item, str) for item in detail):
            for item in detail:
                yield {"field": prefix or api_settings.NON_FIELD_ERRORS_KEY, "issue": str(item)}
        else:
            for index, item in enumerate(detail):
                yield from validation_details(item, f"{prefix}[{index}]")
    else:
        yield {"field": prefix or api_settings.NON_FIELD_ERRORS_KEY, "issue": str(detail)}


def _describe_api_exception(exc: exceptions.APIException) -> tuple[str, int, str, list[Issue]]:
    code = next((code for cls, code in _CODES if isinstance(exc, cls)), None)
    code = code or str(exc.default_code).upper()
    if isinstance(exc, exceptions.ValidationError):
        return code, 422, _MESSAGES[code], list(validation_details(exc.detail))
    if code == "UNAUTHORIZED" and exc.status_code == 403:
        code = "FORBIDDEN"  # DRF answers 403 where no authenticator offers a challenge.
    message = str(exc.detail) if isinstance(exc.detail, str) else _MESSAGES.get(code, code)
    if code == "UNSUPPORTED_MEDIA_TYPE":
        message = f"{message} {_MESSAGES[code]}"  # say what to send instead
    return code, exc.status_code, message, []


def bad_request_error(exc: Exception) -> tuple[int, str, str]:
    """`(status, code, message)` for the request Django itself refuses to read: a body over
    `DATA_UPLOAD_MAX_MEMORY_SIZE` is `413 PAYLOAD_TOO_LARGE`; too many query parameters
    (`DATA_UPLOAD_MAX_NUMBER_FIELDS`) or files, an unknown `Host` and the rest of Django's
    `SuspiciousOperation` family (and Django's `BadRequest`) are `400 BAD_REQUEST`. Also used
    by `common.views.bad_request` for the same errors raised outside the API views."""
    if isinstance(exc, RequestDataTooBig):
        return 413, "PAYLOAD_TOO_LARGE", "The request body is too large."
    if isinstance(exc, TooManyFieldsSent):
        return 400, "BAD_REQUEST", "The request has too many parameters."
    if isinstance(exc, TooManyFilesSent):
        return 400, "BAD_REQUEST", "The request has too many files."
    return 400, "BAD_REQUEST", "The request could not be understood."


def _status_of(exc: Exception) -> int | None:
    if isinstance(exc, ApplicationError):
        return exc.status
    if isinstance(exc, exceptions.APIException):
        return exc.status_code
    return None


def envelope_exception_handler(exc: Exception, context: dict[str, Any]) -> Response:
    status_code = _status_of(exc)
    if isinstance(exc, (SuspiciousOperation, BadRequest)):
        status_code = 400
    if status_code is not None and 400 <= status_code < 500 and status_code != 429:
        # Refused before the view's throttles ran (bad credentials, too many parameters, an
        # unacceptable Accept header...): still counted against the rate limit, per client IP.
        exc = count_refused_request(context.get("request"), context.get("view")) or exc

    if isinstance(exc, SuspiciousOperation):
        # Django's own checks on the request, raised when a view reads the body or the query;
        # logged where Django logs them.
        logging.getLogger(f"django.security.{type(exc).__name__}").error(
            "%s (request id %s)", exc, current_request_id.get()
        )
    if isinstance(exc, (SuspiciousOperation, BadRequest)):
        set_rollback()
        return error_response(*bad_request_error(exc))
    if isinstance(exc, ApplicationError):
        set_rollback()
        challenge = {"WWW-Authenticate": BEARER_CHALLENGE} if exc.status == 401 else None
        return error_response(exc.status, exc.code, exc.message, exc.details, challenge)
    if isinstance(exc, Http404):
        exc = exceptions.NotFound()
    elif isinstance(exc, DjangoPermissionDenied):
        exc = exceptions.PermissionDenied()
    elif isinstance(exc, DjangoValidationError):
        exc = exceptions.ValidationError(
            exc.message_dict if hasattr(exc, "error_dict") else {"non_field_errors": exc.messages}
        )

    if isinstance(exc, exceptions.APIException):
        headers: dict[str, str] = {}
        auth_header = getattr(exc, "auth_header", None)  # set by DRF on 401s
        if auth_header:
            headers["WWW-Authenticate"] = auth_header
        wait = getattr(exc, "wait", None)  # set by DRF on `Throttled`
        if wait is not None:
            headers["Retry-After"] = str(max(1, math.ceil(wait)))
        set_rollback()
        code, status_code, message, details = _describe_api_exception(exc)
        return error_response(status_code, code, message, details, headers)

    if isinstance(exc, DatabaseError) and database_unreachable(exc):
        return service_unavailable(context.get("request"), exc)

    request_id = current_request_id.get()
    set_rollback()
    response = error_response(
        status.HTTP_500_INTERNAL_SERVER_ERROR,
        "INTERNAL_ERROR",
        f"An unexpected error occurred. Request id: {request_id}.",
    )
    # Logged once, here, with the traceback and the request id, through Django's own
    # `log_response`: it marks the response logged, so Django's request logger does not add a
    # second line ("Internal Server Error: /api/...") that has neither.
    log_response(
        "Unhandled exception in API view (request id %s)",
        request_id,
        response=response,
        request=context.get("request"),
        logger=logger,
        exception=exc,
    )
    return response
