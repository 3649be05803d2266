"""The response envelope of every API answer, success or error (SPEC §2)."""

from collections.abc import Sequence
from typing import Any

from common.validation import Issue

# The `WWW-Authenticate` challenge every 401 carries (RFC 9110 requires one).
BEARER_CHALLENGE = 'Bearer realm="api"'


def success_body(data: Any, meta: dict[str, Any] | None = None) -> dict[str, Any]:
    return {"data": data, "meta": meta, "error": None}


def error_body(code: str, message: str, details: Sequence[Issue] | None = None) -> dict[str, Any]:
    return {
        "data": None,
        "meta": None,
        "error": {"code": code, "message": message, "details": list(details or [])},
    }
