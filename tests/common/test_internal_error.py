"""Unexpected exceptions (SPEC §2): `500 INTERNAL_ERROR` in the envelope, no traceback or SQL,
logged with the request id that the message quotes and the `X-Request-ID` header carries."""

import logging

import pytest
from django.test import Client, RequestFactory

from accounts.api.views import AuthViewSet
from common.views import server_error
from tests.common.assertions import assert_error

SECRET = "SELECT password FROM accounts_user WHERE id = 'usr_x'"


@pytest.fixture
def broken_me(monkeypatch):
    def boom(self, request):
        raise RuntimeError(SECRET)

    monkeypatch.setattr(AuthViewSet, "me", boom)


def test_unhandled_exception_returns_500_envelope_quoting_the_request_id(broken_me, learner_client):
    response = learner_client.get("/api/v1/auth/me")

    error = assert_error(response, 500, "INTERNAL_ERROR")
    request_id = response["X-Request-ID"]
    assert request_id in error["message"]
    assert error["details"] == []


@pytest.mark.parametrize("debug", [False, True])
def test_500_body_has_no_traceback_or_sql(settings, broken_me, learner_client, debug):
    settings.DEBUG = debug

    body = learner_client.get("/api/v1/auth/me").content.decode()

    for leak in ("Traceback", "RuntimeError", "SELECT", "accounts_user", 'File "'):
        assert leak not in body


def test_500_is_logged_with_the_request_id_and_traceback(broken_me, learner_client, caplog):
    with caplog.at_level(logging.ERROR, logger="common.api.exceptions"):
        response = learner_client.get("/api/v1/auth/me")

    request_id = response["X-Request-ID"]
    [record] = [r for r in caplog.records if r.name == "common.api.exceptions"]
    assert request_id in record.getMessage()
    assert record.exc_info is not None and SECRET in str(record.exc_info[1])


def test_500_is_logged_once(broken_me, learner_client, caplog):
    with caplog.at_level(logging.INFO):
        learner_client.get("/api/v1/auth/me")

    errors = [r for r in caplog.records if r.levelno >= logging.ERROR]
    assert [r.name for r in errors] == ["common.api.exceptions"]


def test_500_outside_the_api_views_is_still_logged_by_django(settings, caplog):
    settings.MIDDLEWARE = [*settings.MIDDLEWARE, "tests.common.test_internal_error.Explode"]
    client = Client(raise_request_exception=False)

    with caplog.at_level(logging.INFO):
        response = client.get("/api/v1/auth/me")

    error = assert_error(response, 500, "INTERNAL_ERROR")
    assert response["X-Request-ID"] in error["message"]
    [record] = [r for r in caplog.records if r.levelno >= logging.ERROR]
    assert record.name == "django.request"
    assert record.exc_info is not None and SECRET in str(record.exc_info[1])


class Explode:
    """A middleware that fails on every request, before any view runs."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        raise RuntimeError(SECRET)


def test_incoming_request_id_is_quoted_in_the_500(broken_me, learner_client):
    response = learner_client.get("/api/v1/auth/me", HTTP_X_REQUEST_ID="trace-1234abcd")

    assert response["X-Request-ID"] == "trace-1234abcd"
    assert "trace-1234abcd" in response.json()["error"]["message"]


def test_project_500_handler_answers_api_paths_with_the_envelope():
    request = RequestFactory().get("/api/v1/anything")
    request.request_id = "req_0123456789abcdef"

    response = server_error(request)

    assert response.status_code == 500
    error = assert_error(response, 500, "INTERNAL_ERROR")
    assert "req_0123456789abcdef" in error["message"]


def test_project_500_handler_leaves_pages_to_django():
    response = server_error(RequestFactory().get("/dashboard"))

    assert response.status_code == 500
    assert not response["Content-Type"].startswith("application/json")
