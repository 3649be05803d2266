"""Every error the API can produce is the error envelope (SPEC §2): one test per status."""

import pytest
from django.test import Client
from rest_framework.test import APIClient

from tests.common.assertions import assert_error, assert_unauthorized, detail_fields

LOGIN_URL = "/api/v1/auth/login"


def test_malformed_json_returns_400(anon_client):
    response = anon_client.post(LOGIN_URL, data='{"email": ', content_type="application/json")

    error = assert_error(response, 400, "BAD_REQUEST")
    assert error["details"] == []
    assert "JSON" in error["message"]


@pytest.mark.parametrize("body", ['[{"email": "a@b.c"}]', '"a string"', "42", "null"])
def test_json_that_is_not_an_object_returns_400(anon_client, body):
    response = anon_client.post(LOGIN_URL, data=body, content_type="application/json")

    error = assert_error(response, 400, "BAD_REQUEST")
    assert "object" in error["message"]


def test_json_with_nan_returns_400(anon_client):
    response = anon_client.post(
        LOGIN_URL, data='{"email": NaN, "password": "x"}', content_type="application/json"
    )

    assert_error(response, 400, "BAD_REQUEST")


def test_body_that_is_not_utf8_returns_400(anon_client):
    response = anon_client.post(LOGIN_URL, data=b"\xff\xfe{", content_type="application/json")

    assert_error(response, 400, "BAD_REQUEST")


def test_missing_token_returns_401(anon_client):
    assert_unauthorized(anon_client.get("/api/v1/users"))


def test_wrong_role_returns_403(learner_client):
    error = assert_error(learner_client.get("/api/v1/users"), 403, "FORBIDDEN")

    assert error["details"] == []


@pytest.mark.parametrize("method", ["get", "post", "delete"])
def test_unknown_api_route_returns_404_envelope(admin_client, method):
    response = getattr(admin_client, method)("/api/v1/no-such-thing")

    assert_error(response, 404, "NOT_FOUND")


@pytest.mark.parametrize("path", ["/api/v1/users/a/b", "/api/v2/users", "/api/", "/api/v1/"])
def test_unknown_api_paths_return_404_envelope(anon_client, path):
    assert_error(anon_client.get(path), 404, "NOT_FOUND")


def test_unknown_api_route_is_a_json_404_with_debug_on(settings, anon_client):
    settings.DEBUG = True

    assert_error(anon_client.get("/api/v1/no-such-thing"), 404, "NOT_FOUND")


def test_post_to_unknown_api_route_is_404_not_a_csrf_page(db):
    client = Client(enforce_csrf_checks=True)

    response = client.post("/api/v1/no-such-thing", data="{}", content_type="application/json")

    assert_error(response, 404, "NOT_FOUND")


def test_api_posts_need_no_csrf_token(learner):
    client = APIClient(enforce_csrf_checks=True)

    response = client.post(LOGIN_URL, {"email": learner.email, "password": "wrong-password"})

    assert_unauthorized(response)


def test_wrong_method_returns_405_with_allow_header(learner_client):
    response = learner_client.delete("/api/v1/auth/me")

    error = assert_error(response, 405, "METHOD_NOT_ALLOWED")
    assert "DELETE" in error["message"]
    assert "GET" in response["Allow"]


def test_wrong_method_on_login_returns_405(anon_client):
    assert_error(anon_client.get(LOGIN_URL), 405, "METHOD_NOT_ALLOWED")


def test_form_encoded_body_returns_415(anon_client, learner):
    response = anon_client.post(
        LOGIN_URL,
        data="email=lena%40example.com&password=x",
        content_type="application/x-www-form-urlencoded",
    )

    error = assert_error(response, 415, "UNSUPPORTED_MEDIA_TYPE")
    assert "JSON" in error["message"]


def test_multipart_body_returns_415(anon_client):
    response = anon_client.post(LOGIN_URL, {"email": "a@b.c", "password": "x"}, format="multipart")

    assert_error(response, 415, "UNSUPPORTED_MEDIA_TYPE")


def test_broken_field_rules_return_422_with_details(admin_client):
    response = admin_client.post("/api/v1/users", {"name": "N", "email": "nope", "password": "x"})

    error = assert_error(response, 422, "VALIDATION_ERROR")
    assert detail_fields(error) == {"name", "email", "password"}
    assert all(set(detail) == {"field", "issue"} for detail in error["details"])
    assert all(detail["issue"] for detail in error["details"])


def test_not_acceptable_is_still_an_envelope(learner_client):
    response = learner_client.get("/api/v1/auth/me", HTTP_ACCEPT="text/html")

    assert_error(response, 406, "NOT_ACCEPTABLE")


def test_request_for_an_unknown_host_is_a_400_envelope(anon_client):
    response = anon_client.get("/api/v1/auth/me", HTTP_HOST="evil.example")

    assert_error(response, 400, "BAD_REQUEST")
