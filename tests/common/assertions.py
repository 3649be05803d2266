"""Assertions on the API envelope (SPEC §2), for tests of every app."""

import json
from typing import Any

BEARER_CHALLENGE_PREFIX = "Bearer"


def assert_success(response: Any, status: int = 200) -> Any:
    """The response is a success envelope with `status`; returns its `data`."""
    assert response.status_code == status, response.content
    body = response.json()
    assert set(body) == {"data", "meta", "error"}
    assert body["error"] is None
    return body["data"]


def assert_error(response: Any, status: int, code: str) -> dict[str, Any]:
    """The response is an error envelope with `status` and `code`; returns its `error`."""
    assert response.status_code == status, response.content
    assert response["Content-Type"].startswith("application/json")
    body = json.loads(response.content)
    assert set(body) == {"data", "meta", "error"}
    assert body["data"] is None and body["meta"] is None
    error = body["error"]
    assert set(error) == {"code", "message", "details"}
    assert error["code"] == code
    assert isinstance(error["message"], str) and error["message"]
    assert isinstance(error["details"], list)
    if status != 422:
        assert error["details"] == [], "details name fields on a 422 only (SPEC §2)"
    return error


def assert_unauthorized(response: Any) -> dict[str, Any]:
    """A 401 in the envelope that carries the `WWW-Authenticate: Bearer` challenge."""
    error = assert_error(response, 401, "UNAUTHORIZED")
    assert response["WWW-Authenticate"].startswith(BEARER_CHALLENGE_PREFIX)
    return error


def detail_fields(error: dict[str, Any]) -> set[str]:
    return {detail["field"] for detail in error["details"]}
