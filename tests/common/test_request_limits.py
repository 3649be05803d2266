"""Requests too large or too deep to read are client errors in the envelope, never a 500
(SPEC §2): a body over `DATA_UPLOAD_MAX_MEMORY_SIZE` is `413 PAYLOAD_TOO_LARGE`; too many query
parameters and JSON nested too deeply are `400 BAD_REQUEST`; inside the API views as outside."""

import json
import logging

import pytest
from django.conf import settings
from django.core.exceptions import RequestDataTooBig, TooManyFieldsSent
from django.test import Client, RequestFactory
from rest_framework.test import APIClient

from common.views import bad_request
from courses.models import Course
from tests.common.assertions import assert_error, assert_unauthorized, detail_fields

LOGIN_URL = "/api/v1/auth/login"


def too_big_course() -> str:
    """A course whose description alone is one byte over the upload limit (2.5 MB)."""
    description = "x" * (settings.DATA_UPLOAD_MAX_MEMORY_SIZE + 1)
    return json.dumps({"title": "A large course", "description": description})


def too_many_parameters() -> str:
    return "&".join(f"p{n}=1" for n in range(settings.DATA_UPLOAD_MAX_NUMBER_FIELDS + 1))


def nested(depth: int, key: str = "email") -> str:
    return f'{{"{key}": {"[" * depth}{"]" * depth}}}'


# --- bodies over the upload limit -----------------------------------------------------------------


def test_body_over_the_upload_limit_returns_413(instructor_client):
    response = instructor_client.post(
        "/api/v1/courses", data=too_big_course(), content_type="application/json"
    )

    error = assert_error(response, 413, "PAYLOAD_TOO_LARGE")
    assert error["message"] == "The request body is too large."
    assert error["details"] == []
    assert not Course.objects.exists()


def test_body_over_the_upload_limit_is_logged_as_a_security_event(instructor_client, caplog):
    with caplog.at_level(logging.ERROR):
        response = instructor_client.post(
            "/api/v1/courses", data=too_big_course(), content_type="application/json"
        )

    assert response.status_code == 413
    [record] = [r for r in caplog.records if r.name.startswith("django.security")]
    assert record.name == "django.security.RequestDataTooBig"
    assert response["X-Request-ID"] in record.getMessage()
    assert not [r for r in caplog.records if r.name == "common.api.exceptions"]  # not a 500


# --- too many query parameters --------------------------------------------------------------------


def test_too_many_query_parameters_return_400_for_an_anonymous_caller(db):
    response = APIClient().get(f"/api/v1/users?{too_many_parameters()}")

    error = assert_error(response, 400, "BAD_REQUEST")
    assert error["message"] == "The request has too many parameters."


def test_too_many_query_parameters_return_400_on_a_list(admin_client):
    assert_error(admin_client.get(f"/api/v1/users?{too_many_parameters()}"), 400, "BAD_REQUEST")


def test_query_parameters_up_to_the_limit_are_read(admin_client):
    parameters = "&".join(f"p{n}=1" for n in range(settings.DATA_UPLOAD_MAX_NUMBER_FIELDS))

    assert admin_client.get(f"/api/v1/users?{parameters}").status_code == 200


# --- JSON nested too deeply -----------------------------------------------------------------------


@pytest.mark.parametrize(
    "body",
    [
        nested(100_000),
        '{"email": ' + '{"a": ' * 100_000 + "1" + "}" * 100_000 + "}",
    ],
    ids=["arrays", "objects"],
)
def test_json_nested_too_deeply_returns_400(anon_client, body):
    response = anon_client.post(LOGIN_URL, data=body, content_type="application/json")

    error = assert_error(response, 400, "BAD_REQUEST")
    assert error["message"] == "The request body is nested too deeply."


def test_json_nested_too_deeply_returns_400_on_an_authenticated_route(instructor_client):
    response = instructor_client.post(
        "/api/v1/courses", data=nested(100_000, "title"), content_type="application/json"
    )

    assert_error(response, 400, "BAD_REQUEST")
    assert not Course.objects.exists()


def test_json_nested_within_reason_is_validated_as_usual(anon_client):
    response = anon_client.post(LOGIN_URL, data=nested(50), content_type="application/json")

    error = assert_error(response, 422, "VALIDATION_ERROR")
    assert detail_fields(error) == {"email", "password"}


# --- outside the API views ------------------------------------------------------------------------


@pytest.fixture
def raw_views(settings, db):
    """Plain Django views under /api/ that read the body and the query string themselves."""
    settings.ROOT_URLCONF = "tests.common.raw_urls"


def test_body_over_the_limit_outside_the_api_views_returns_413(raw_views):
    client = Client()
    small = client.post("/api/v1/raw/body", data="{}", content_type="application/json")
    assert small.content == b"2 bytes"

    response = client.post(
        "/api/v1/raw/body", data=too_big_course(), content_type="application/json"
    )

    assert_error(response, 413, "PAYLOAD_TOO_LARGE")


def test_too_many_parameters_outside_the_api_views_return_400(raw_views):
    client = Client()
    assert client.get("/api/v1/raw/query?a=1&b=2").content == b"2 parameters"

    response = client.get(f"/api/v1/raw/query?{too_many_parameters()}")

    error = assert_error(response, 400, "BAD_REQUEST")
    assert error["message"] == "The request has too many parameters."


def test_the_project_400_handler_answers_api_paths_with_the_envelope():
    request = RequestFactory().post("/api/v1/courses")

    assert_error(bad_request(request, RequestDataTooBig()), 413, "PAYLOAD_TOO_LARGE")
    assert_error(bad_request(request, TooManyFieldsSent()), 400, "BAD_REQUEST")


def test_the_project_400_handler_leaves_pages_to_django():
    response = bad_request(RequestFactory().post("/login/"), RequestDataTooBig())

    assert response.status_code == 400
    assert not response["Content-Type"].startswith("application/json")


def test_a_missing_token_still_comes_before_reading_the_body(anon_client):
    response = anon_client.post(
        "/api/v1/courses", data=too_big_course(), content_type="application/json"
    )

    assert_unauthorized(response)
