"""The schema (`/api/v1/schema/`) and the docs (`/api/v1/docs/`) answer errors in the JSON
envelope like every API route (SPEC §2), and their successful answers are drf-spectacular's own."""

import re

import pytest
from django.test import RequestFactory
from drf_spectacular.views import SpectacularAPIView, SpectacularSwaggerView

from common.api.schema_views import SchemaView, SwaggerDocsView
from tests.common.assertions import assert_error

SCHEMA_URL = "/api/v1/schema/"
DOCS_URL = "/api/v1/docs/"
CSRF_TOKEN = re.compile(rb'(request\.headers\["X-CSRFTOKEN"\] = ")[^"]+"')


def without_csrf_token(page: bytes) -> bytes:
    """The page with its CSRF token (different for every request) blanked."""
    blanked, count = CSRF_TOKEN.subn(rb'\1"', page)
    assert count == 1
    return blanked


@pytest.mark.parametrize("method", ["post", "put", "patch", "delete"])
@pytest.mark.parametrize("url", [SCHEMA_URL, DOCS_URL])
def test_wrong_method_returns_405_envelope(anon_client, db, url, method):
    response = getattr(anon_client, method)(url)

    error = assert_error(response, 405, "METHOD_NOT_ALLOWED")
    assert method.upper() in error["message"]
    assert "GET" in response["Allow"]


@pytest.mark.parametrize("url", [SCHEMA_URL, DOCS_URL])
def test_unacceptable_accept_header_returns_406_envelope(anon_client, db, url):
    assert_error(anon_client.get(url, HTTP_ACCEPT="application/xml"), 406, "NOT_ACCEPTABLE")


def test_unknown_schema_format_returns_404_envelope(anon_client, db):
    assert_error(anon_client.get(SCHEMA_URL, {"format": "xml"}), 404, "NOT_FOUND")


@pytest.mark.parametrize("url", [SCHEMA_URL, f"{SCHEMA_URL}?format=json", DOCS_URL])
def test_throttled_schema_and_docs_return_429_envelope(settings, anon_client, db, url, clock):
    settings.API_RATE_LIMIT = "1/minute"
    assert anon_client.get(url).status_code == 200

    response = anon_client.get(url)

    assert_error(response, 429, "RATE_LIMITED")
    assert "Retry-After" in response


@pytest.mark.parametrize(
    ("query", "content_type"),
    [
        ({}, "application/vnd.oai.openapi; charset=utf-8"),
        ({"format": "json"}, "application/vnd.oai.openapi+json"),
    ],
)
def test_schema_is_served_exactly_as_drf_spectacular_serves_it(db, query, content_type):
    def fetch(view):
        response = view(RequestFactory().get(SCHEMA_URL, query))
        response.render()
        return response

    ours = fetch(SchemaView.as_view())
    theirs = fetch(SpectacularAPIView.as_view())

    assert ours.status_code == theirs.status_code == 200
    assert ours["Content-Type"] == theirs["Content-Type"] == content_type
    assert ours["Content-Disposition"] == theirs["Content-Disposition"]
    assert ours.content == theirs.content


def test_docs_page_is_served_exactly_as_drf_spectacular_serves_it(db):
    def fetch(view):
        response = view(RequestFactory().get(DOCS_URL))
        response.render()
        return response

    ours = fetch(SwaggerDocsView.as_view(url_name="api-schema"))
    theirs = fetch(SpectacularSwaggerView.as_view(url_name="api-schema"))

    assert ours.status_code == theirs.status_code == 200
    assert ours["Content-Type"] == theirs["Content-Type"]
    assert ours["Content-Type"].startswith("text/html")
    assert without_csrf_token(ours.content) == without_csrf_token(theirs.content)


def test_the_project_serves_the_envelope_errors_views(anon_client, db):
    schema = anon_client.get(SCHEMA_URL)
    docs = anon_client.get(DOCS_URL)

    assert schema.status_code == docs.status_code == 200
    assert schema.resolver_match.func.view_class is SchemaView
    assert docs.resolver_match.func.view_class is SwaggerDocsView
