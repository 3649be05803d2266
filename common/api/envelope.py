"""The response envelope of every API answer, success or error (SPEC §2)."""

from typing import Any

# The `WWW-Authenticate` challenge every 401 carries (RFC 9110 requires one).
BEARER_CHALLENGE = 'Bearer realm="api"'


def success_body(data: Any, meta: dict[str, Any] | None = None) -> dict[str, Any]:
    return {"data": data, "meta": meta, "error": None}


def error_body(code: str, message: str, details: list[dict[str, Any]] | None = None) -> dict:
    return {
        "data": None,
        "meta": None,
        "error": {"code": code, "message": message, "details": details or []},
    }
