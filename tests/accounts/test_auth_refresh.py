"""POST /api/v1/auth/refresh (SPEC §3): rotation, single use, and reuse detection."""

from datetime import timedelta

from django.utils import timezone

from accounts.models import Token
from accounts.services import user_update
from tests.common.assertions import assert_error, assert_success, assert_unauthorized

REFRESH_URL = "/api/v1/auth/refresh"
ME_URL = "/api/v1/auth/me"


def refresh(client, refresh_token):
    return client.post(REFRESH_URL, {"refresh_token": refresh_token})


def test_refresh_returns_a_new_pair_that_works(anon_client, client_with, token_pair, learner):
    old = token_pair(learner)

    new = assert_success(refresh(anon_client, old["refresh_token"]))

    assert set(new) == {"access_token", "refresh_token", "expires_in", "token_type"}
    assert new["token_type"] == "Bearer" and new["expires_in"] == 3600
    assert new["access_token"] != old["access_token"]
    assert new["refresh_token"] != old["refresh_token"]
    assert assert_success(client_with(new["access_token"]).get(ME_URL))["id"] == learner.id
    assert_success(refresh(anon_client, new["refresh_token"]))


def test_refresh_stays_in_the_same_login(anon_client, token_pair, learner):
    old = token_pair(learner)

    assert_success(refresh(anon_client, old["refresh_token"]))

    assert learner.logins.count() == 1
    assert Token.objects.filter(login__user=learner).count() == 4


def test_spent_refresh_token_cannot_be_used_again(anon_client, token_pair, learner):
    old = token_pair(learner)
    assert_success(refresh(anon_client, old["refresh_token"]))

    assert_unauthorized(refresh(anon_client, old["refresh_token"]))


def test_reusing_a_spent_refresh_token_revokes_the_whole_login(
    anon_client, client_with, token_pair, learner
):
    first = token_pair(learner)
    newest = assert_success(refresh(anon_client, first["refresh_token"]))
    newest_client = client_with(newest["access_token"])
    assert_success(newest_client.get(ME_URL))

    assert_unauthorized(refresh(anon_client, first["refresh_token"]))

    assert_unauthorized(newest_client.get(ME_URL))
    assert_unauthorized(client_with(first["access_token"]).get(ME_URL))
    assert_unauthorized(refresh(anon_client, newest["refresh_token"]))
    assert learner.logins.get().revoked_at is not None


def test_reuse_detection_leaves_other_logins_alone(anon_client, client_with, token_pair, learner):
    stolen = token_pair(learner)
    other = token_pair(learner)
    assert_success(refresh(anon_client, stolen["refresh_token"]))

    assert_unauthorized(refresh(anon_client, stolen["refresh_token"]))

    assert_success(client_with(other["access_token"]).get(ME_URL))
    assert_success(refresh(anon_client, other["refresh_token"]))


def test_expired_refresh_token_returns_401(anon_client, token_pair, learner):
    pair = token_pair(learner)
    Token.objects.filter(kind=Token.Kind.REFRESH).update(
        expires_at=timezone.now() - timedelta(seconds=1)
    )

    assert_unauthorized(refresh(anon_client, pair["refresh_token"]))


def test_refresh_token_lasts_thirty_days(monkeypatch, anon_client, token_pair, learner):
    pair = token_pair(learner)
    start = timezone.now()

    monkeypatch.setattr("django.utils.timezone.now", lambda: start + timedelta(days=30, seconds=1))
    assert_unauthorized(refresh(anon_client, pair["refresh_token"]))

    monkeypatch.setattr("django.utils.timezone.now", lambda: start + timedelta(days=29))
    assert_success(refresh(anon_client, pair["refresh_token"]))


def test_access_token_is_not_a_refresh_token(anon_client, token_pair, learner):
    pair = token_pair(learner)

    assert_unauthorized(refresh(anon_client, pair["access_token"]))
    assert_success(refresh(anon_client, pair["refresh_token"]))


def test_unknown_refresh_token_returns_401(anon_client, learner):
    assert_unauthorized(refresh(anon_client, "not-a-real-token"))


def test_refresh_after_logout_returns_401(anon_client, client_with, token_pair, learner):
    pair = token_pair(learner)
    assert client_with(pair["access_token"]).post("/api/v1/auth/logout").status_code == 204

    assert_unauthorized(refresh(anon_client, pair["refresh_token"]))


def test_deactivated_user_cannot_refresh(anon_client, token_pair, learner):
    pair = token_pair(learner)
    user_update(user=learner, is_active=False)

    assert_unauthorized(refresh(anon_client, pair["refresh_token"]))


def test_refresh_without_token_returns_422(anon_client):
    error = assert_error(anon_client.post(REFRESH_URL, {}), 422, "VALIDATION_ERROR")

    assert [d["field"] for d in error["details"]] == ["refresh_token"]


def test_refresh_needs_no_authorization_header(anon_client, token_pair, learner):
    pair = token_pair(learner)

    response = anon_client.post(
        REFRESH_URL,
        {"refresh_token": pair["refresh_token"]},
        HTTP_AUTHORIZATION="Bearer expired-or-garbage",
    )

    assert_success(response)
