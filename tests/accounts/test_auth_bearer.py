"""`Authorization: Bearer <access_token>` on protected routes (SPEC §2, §3): anything but a live
access token of an active user is a 401 in the envelope with a `WWW-Authenticate` challenge."""

from datetime import timedelta

import pytest
from django.utils import timezone

from accounts.models import Token, User
from accounts.services import user_update
from tests.common.assertions import assert_success, assert_unauthorized

ME_URL = "/api/v1/auth/me"


def test_live_access_token_authenticates(client_with, token_pair, learner):
    data = assert_success(client_with(token_pair(learner)["access_token"]).get(ME_URL))

    assert data["id"] == learner.id


def test_scheme_name_is_case_insensitive(anon_client, token_pair, learner):
    token = token_pair(learner)["access_token"]

    assert_success(anon_client.get(ME_URL, HTTP_AUTHORIZATION=f"bearer {token}"))


def test_missing_authorization_header_returns_401_with_challenge(anon_client):
    error = assert_unauthorized(anon_client.get(ME_URL))

    assert error["details"] == []


@pytest.mark.parametrize(
    "header",
    [
        "Basic x",
        "Basic dXNlcjpwYXNz",
        "Bearer",
        "Bearer ",
        "Bearer two parts",
        "Token abc",
        "Bearer tökén",
        "Bearer 令牌",
    ],
)
def test_malformed_authorization_header_returns_401(anon_client, learner, header):
    assert_unauthorized(anon_client.get(ME_URL, HTTP_AUTHORIZATION=header))


def test_unknown_access_token_returns_401(anon_client, learner):
    assert_unauthorized(anon_client.get(ME_URL, HTTP_AUTHORIZATION="Bearer " + "x" * 43))


def test_refresh_token_is_not_an_access_token(anon_client, token_pair, learner):
    refresh = token_pair(learner)["refresh_token"]

    assert_unauthorized(anon_client.get(ME_URL, HTTP_AUTHORIZATION=f"Bearer {refresh}"))


def test_access_token_past_its_expiry_returns_401(client_with, token_pair, learner):
    client = client_with(token_pair(learner)["access_token"])
    Token.objects.filter(kind=Token.Kind.ACCESS).update(
        expires_at=timezone.now() - timedelta(seconds=1)
    )

    assert_unauthorized(client.get(ME_URL))


def test_access_token_works_for_an_hour_then_stops(monkeypatch, client_with, token_pair, learner):
    client = client_with(token_pair(learner)["access_token"])
    start = timezone.now()

    monkeypatch.setattr("django.utils.timezone.now", lambda: start + timedelta(minutes=59))
    assert_success(client.get(ME_URL))

    monkeypatch.setattr("django.utils.timezone.now", lambda: start + timedelta(minutes=61))
    assert_unauthorized(client.get(ME_URL))


def test_revoked_login_tokens_return_401(client_with, token_pair, learner):
    client = client_with(token_pair(learner)["access_token"])
    learner.logins.update(revoked_at=timezone.now())

    assert_unauthorized(client.get(ME_URL))


def test_deactivation_stops_existing_access_and_refresh_tokens(
    anon_client, client_with, token_pair, learner
):
    pair = token_pair(learner)
    client = client_with(pair["access_token"])
    assert_success(client.get(ME_URL))

    user_update(user=learner, is_active=False)

    assert_unauthorized(client.get(ME_URL))
    assert_unauthorized(
        anon_client.post("/api/v1/auth/refresh", {"refresh_token": pair["refresh_token"]})
    )


def test_inactive_user_tokens_fail_even_without_revocation(client_with, token_pair, learner):
    # A flag flipped directly in the database (not through the service) still locks them out.
    client = client_with(token_pair(learner)["access_token"])
    User.objects.filter(pk=learner.pk).update(is_active=False)

    assert_unauthorized(client.get(ME_URL))


def test_authentication_takes_one_query(
    client_with, token_pair, learner, django_assert_num_queries
):
    client = client_with(token_pair(learner)["access_token"])

    with django_assert_num_queries(1):
        assert_success(client.get(ME_URL))
