"""GET /api/v1/auth/me (SPEC §3): the caller."""

import re

from tests.common.assertions import assert_success, assert_unauthorized

ME_URL = "/api/v1/auth/me"
ISO_UTC = re.compile(r"^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d(\.\d+)?Z$")


def test_me_returns_the_caller(client_with, token_pair, instructor):
    response = client_with(token_pair(instructor)["access_token"]).get(ME_URL)

    data = assert_success(response)
    assert response.json()["meta"] is None
    assert set(data) == {"id", "name", "email", "role", "is_active", "created_at", "last_login"}
    assert data["id"] == instructor.id and data["id"].startswith("usr_")
    assert data["name"] == "Ivan Instructor"
    assert data["email"] == "ivan@example.com"
    assert data["role"] == "instructor"
    assert data["is_active"] is True
    assert ISO_UTC.match(data["created_at"])
    assert ISO_UTC.match(data["last_login"])


def test_me_never_shows_the_password(learner_client):
    data = assert_success(learner_client.get(ME_URL))

    assert "password" not in data


def test_me_without_token_returns_401(anon_client):
    assert_unauthorized(anon_client.get(ME_URL))
