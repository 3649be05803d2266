"""The schema (`/api/v1/schema/`) and the docs (`/api/v1/docs/`) answer errors in the JSON
envelope like every API route (SPEC §2), and their successful answers are drf-spectacular's own."""

import re

import pytest
from django.test import RequestFactory
from drf_spectacular.views import SpectacularAPIView, SpectacularSwaggerSplitView

from common.api.schema_views import SchemaView, SwaggerDocsView
from tests.common.assertions import assert_error

SCHEMA_URL = "/api/v1/schema/"
DOCS_URL = "/api/v1/docs/"


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


def test_docs_page_is_drf_spectacular_split_view_with_no_inline_script_and_no_cdn(db):
    """The docs page is drf-spectacular's own split view (Swagger UI's start-up script served
    at `?script`, not inline), with Swagger UI from our static files, under the site's CSP."""

    def fetch(view, query=""):
        response = view(RequestFactory().get(DOCS_URL + query))
        response.render()
        return response

    ours = fetch(SwaggerDocsView.as_view(url_name="api-schema"))
    theirs = fetch(SpectacularSwaggerSplitView.as_view(url_name="api-schema"))
    page = ours.content.decode()

    assert ours.status_code == theirs.status_code == 200
    assert ours["Content-Type"].startswith("text/html")
    assert ours.content == theirs.content  # the CSRF token moved to `?script`
    scripts = re.findall(r"<script([^>]*)>(.*?)</script>", page, flags=re.S)
    assert scripts and all("src=" in attrs and not body.strip() for attrs, body in scripts)
    assert "<style" not in page and "cdn" not in page.lower()
    policy = ours["Content-Security-Policy"]
    assert "script-src 'self'" in policy and "unsafe-inline" not in policy
    script = fetch(SwaggerDocsView.as_view(url_name="api-schema"), "?script=")
    assert script.status_code == 200
    assert script["Content-Type"].startswith("application/javascript")
    assert "SwaggerUIBundle" in script.content.decode()


def test_the_project_serves_the_envelope_errors_views(anon_client, db):
    schema = anon_client.get(SCHEMA_URL)
    docs = anon_client.get(DOCS_URL)

    assert schema.status_code == docs.status_code == 200
    assert schema.resolver_match.func.view_class is SchemaView
    assert docs.resolver_match.func.view_class is SwaggerDocsView
