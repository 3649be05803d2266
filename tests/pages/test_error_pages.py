"""Friendly error pages in the site's look; /api/ keeps its JSON envelope."""

import pytest
from django.db import OperationalError

pytestmark = pytest.mark.django_db


def test_unreachable_database_on_a_page_is_the_503_page(client_for, enrolled, quiz, monkeypatch):
    from assessments import views

    def down(**kwargs):
        raise OperationalError("could not connect to server: secret host")

    monkeypatch.setattr(views.taking, "submission_list", down)
    client = client_for(enrolled)
    client.raise_request_exception = False
    response = client.get(f"/assessments/{quiz.pk}/")
    assert response.status_code == 503
    assert response["Retry-After"] == "30"
    assert b"service is unavailable" in response.content
    assert b"secret host" not in response.content


def test_unknown_page_is_html_and_unknown_api_path_is_json(client_for, enrolled):
    client = client_for(enrolled)
    page = client.get("/no-such-page/")
    assert page.status_code == 404 and b"Page not found" in page.content
    api = client.get("/api/nothing-here")
    assert api.status_code == 404 and api.json()["error"]["code"] == "NOT_FOUND"


def test_pages_carry_a_csp_without_inline_script(client_for, enrolled):
    response = client_for(enrolled).get("/")
    policy = response["Content-Security-Policy"]
    assert "script-src 'self'" in policy and "unsafe-inline" not in policy
    assert "<script>" not in response.content.decode()
