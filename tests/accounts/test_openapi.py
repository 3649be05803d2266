"""The OpenAPI schema of the auth and users routes matches what they do (SPEC §2, §3)."""

from io import StringIO

import pytest
from django.core.management import call_command
from drf_spectacular.drainage import GENERATOR_STATS

from tests.common.assertions import assert_success

SCHEMA_URL = "/api/v1/schema/?format=json"
ACCOUNT_PATHS = {
    "/api/v1/auth/login": {"post"},
    "/api/v1/auth/refresh": {"post"},
    "/api/v1/auth/logout": {"post"},
    "/api/v1/auth/me": {"get"},
    "/api/v1/users": {"get", "post"},
    "/api/v1/users/{user_id}": {"get", "put", "patch", "delete"},
}


@pytest.fixture
def schema(anon_client, db):
    response = anon_client.get(SCHEMA_URL)
    assert response.status_code == 200
    return response.json()


def resolve(schema, node):
    while "$ref" in node:
        node = schema["components"]["schemas"][node["$ref"].rsplit("/", 1)[-1]]
    return node


def body_schema(schema, path, method, status):
    content = schema["paths"][path][method]["responses"][status]["content"]
    return resolve(schema, content["application/json"]["schema"])


def test_auth_and_users_views_generate_no_warnings_and_validate(db):
    GENERATOR_STATS.reset()  # count only the warnings of this generation

    call_command(
        "spectacular",
        "--validate",
        "--fail-on-warn",
        urlconf="tests.accounts.schema_urls",
        stdout=StringIO(),
        stderr=StringIO(),
    )


def test_schema_lists_every_auth_and_users_operation(schema):
    for path, methods in ACCOUNT_PATHS.items():
        operations = {
            m for m in schema["paths"][path] if m in {"get", "post", "put", "patch", "delete"}
        }
        assert operations == methods, path


def test_me_is_a_user_in_the_success_envelope(schema):
    body = body_schema(schema, "/api/v1/auth/me", "get", "200")

    assert set(body["required"]) == {"data", "meta", "error"}
    user = resolve(schema, body["properties"]["data"])
    assert set(user["properties"]) == {
        "id",
        "name",
        "email",
        "role",
        "is_active",
        "created_at",
        "last_login",
    }
    assert body["properties"]["error"]["nullable"] is True


def test_user_list_has_paginated_meta_and_role_filter(schema):
    operation = schema["paths"]["/api/v1/users"]["get"]
    body = body_schema(schema, "/api/v1/users", "get", "200")

    assert body["properties"]["data"]["type"] == "array"
    meta = body["properties"]["meta"]
    assert set(meta["required"]) == {"total", "page", "per_page"}
    parameters = {p["name"]: p for p in operation["parameters"]}
    assert {"page", "per_page", "role"} <= set(parameters)
    assert parameters["role"]["schema"]["enum"] == ["admin", "instructor", "learner"]


def test_login_needs_no_token_and_returns_a_token_pair(schema):
    operation = schema["paths"]["/api/v1/auth/login"]["post"]
    body = body_schema(schema, "/api/v1/auth/login", "post", "200")

    assert operation["security"] == [{}]
    pair = resolve(schema, body["properties"]["data"])
    assert set(pair["properties"]) == {"access_token", "refresh_token", "expires_in", "token_type"}


def test_protected_operations_require_the_bearer_scheme(schema):
    assert schema["components"]["securitySchemes"]["bearerAuth"] == {
        "type": "http",
        "scheme": "bearer",
        "description": "An access token from POST /api/v1/auth/login.",
    }
    assert schema["paths"]["/api/v1/users"]["get"]["security"] == [{"bearerAuth": []}]


def test_admin_only_operations_document_their_403(schema):
    assert "403" in schema["paths"]["/api/v1/users"]["get"]["responses"]
    assert "403" in schema["paths"]["/api/v1/users"]["post"]["responses"]
    assert "403" in schema["paths"]["/api/v1/users/{user_id}"]["patch"]["responses"]


def test_creations_and_deletions_document_their_statuses(schema):
    assert "201" in schema["paths"]["/api/v1/users"]["post"]["responses"]
    delete = schema["paths"]["/api/v1/users/{user_id}"]["delete"]["responses"]
    assert {"204", "403", "404", "409"} <= set(delete)
    assert "content" not in delete["204"]


def test_401_is_the_error_envelope(schema):
    body = body_schema(schema, "/api/v1/auth/me", "get", "401")

    assert set(body["properties"]) == {"data", "meta", "error"}
    error = resolve(schema, body["properties"]["error"])
    assert set(error["properties"]) == {"code", "message", "details"}


def test_body_errors_are_listed_only_where_a_body_is_read(schema):
    assert "400" not in schema["paths"]["/api/v1/auth/me"]["get"]["responses"]
    assert {"400", "415", "422"} <= set(schema["paths"]["/api/v1/users"]["post"]["responses"])


def test_served_schema_matches_a_real_response(schema, learner_client):
    data = assert_success(learner_client.get("/api/v1/auth/me"))
    user = resolve(
        schema, body_schema(schema, "/api/v1/auth/me", "get", "200")["properties"]["data"]
    )

    assert set(data) == set(user["properties"])
    assert set(user["required"]) <= set(data)


def test_interactive_docs_are_served(anon_client, db):
    response = anon_client.get("/api/v1/docs/")

    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/html")
    assert "swagger" in response.content.decode().lower()
