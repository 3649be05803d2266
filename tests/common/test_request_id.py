"""`X-Request-ID` (SPEC §2): on every response; a well-formed incoming id is kept."""

import logging
import re

import pytest

from common.logging import RequestIdFilter, current_request_id

GENERATED = re.compile(r"^req_[0-9a-f]{24}$")


@pytest.mark.parametrize(
    ("path", "status"),
    [
        ("/api/v1/auth/me", 401),
        ("/api/v1/no-such-route", 404),
        ("/healthz", 200),
        ("/admin/login/", 200),
    ],
)
def test_every_response_carries_a_generated_request_id(anon_client, db, path, status):
    response = anon_client.get(path)

    assert response.status_code == status
    assert GENERATED.match(response["X-Request-ID"])


def test_success_responses_carry_a_request_id(learner_client):
    response = learner_client.get("/api/v1/auth/me")

    assert response.status_code == 200
    assert GENERATED.match(response["X-Request-ID"])


def test_each_request_gets_its_own_id(anon_client, db):
    ids = {anon_client.get("/healthz")["X-Request-ID"] for _ in range(5)}

    assert len(ids) == 5


@pytest.mark.parametrize(
    "incoming", ["abcdef12", "0f8fad5b-d9cb-469f-a165-70867728950e", "trace.id_42-x", "a" * 64]
)
def test_well_formed_incoming_request_id_is_echoed(anon_client, db, incoming):
    assert anon_client.get("/healthz", HTTP_X_REQUEST_ID=incoming)["X-Request-ID"] == incoming


@pytest.mark.parametrize(
    "incoming",
    [
        "short",
        "a" * 65,
        "has spaces in it",
        "semi;colon;id",
        "abcdefgh\n",
        "<script>alert</script>",
    ],
)
def test_malformed_incoming_request_id_is_replaced(anon_client, db, incoming):
    response = anon_client.get("/healthz", HTTP_X_REQUEST_ID=incoming)

    assert GENERATED.match(response["X-Request-ID"])


def test_log_records_carry_the_current_request_id():
    record = logging.LogRecord("x", logging.INFO, __file__, 1, "hello", None, None)
    token = current_request_id.set("req_abc")
    try:
        RequestIdFilter().filter(record)
    finally:
        current_request_id.reset(token)

    assert record.request_id == "req_abc"


def test_log_records_outside_a_request_get_a_dash():
    record = logging.LogRecord("x", logging.INFO, __file__, 1, "hello", None, None)

    RequestIdFilter().filter(record)

    assert record.request_id == "-"
