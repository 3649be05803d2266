"""Token responses are never cached (RFC 6749 §5.1), and passwords over 1,000 characters
(SPEC §3) are refused as a 422 before anything hashes them."""

from unittest import mock

from tests.accounts.factories import PASSWORD
from tests.common.assertions import assert_error, assert_success

TOO_LONG = "p" * 1001


def test_login_and_refresh_answers_are_not_stored(learner, log_in, anon_client):
    logged_in = log_in(learner.email)
    pair = assert_success(logged_in)
    refreshed = anon_client.post("/api/v1/auth/refresh", {"refresh_token": pair["refresh_token"]})
    refused = log_in(learner.email, "not-the-password")

    assert_success(refreshed)
    assert_error(refused, 401, "UNAUTHORIZED")
    for response in (logged_in, refreshed, refused):
        assert response["Cache-Control"] == "no-store"
        assert response["Pragma"] == "no-cache"


def test_other_answers_keep_their_caching_headers(learner_client):
    assert "no-store" not in learner_client.get("/api/v1/auth/me").get("Cache-Control", "")


def test_a_password_over_1000_characters_is_a_422_and_never_hashed(
    admin_client, learner, learner_client, log_in
):
    with (
        mock.patch("django.contrib.auth.hashers.make_password") as make,
        mock.patch("django.contrib.auth.hashers.check_password") as check,
    ):
        created = admin_client.post(
            "/api/v1/users",
            {"name": "Long Pass", "email": "long@example.com", "password": TOO_LONG},
        )
        changed = learner_client.patch(f"/api/v1/users/{learner.pk}", {"password": TOO_LONG})
        login = log_in(learner.email, TOO_LONG)

    for response in (created, changed, login):
        error = assert_error(response, 422, "VALIDATION_ERROR")
        assert error["details"] == [
            {"field": "password", "issue": "Must be at most 1000 characters."}
        ]
    make.assert_not_called()
    check.assert_not_called()
    assert_success(log_in(learner.email, PASSWORD))  # unchanged


def test_a_password_of_1000_characters_is_accepted(admin_client, log_in):
    password = "Zq7!" * 250
    assert_success(
        admin_client.post(
            "/api/v1/users",
            {"name": "Long Pass", "email": "long@example.com", "password": password},
        ),
        201,
    )

    assert_success(log_in("long@example.com", password))
