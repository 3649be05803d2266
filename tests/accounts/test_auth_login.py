"""POST /api/v1/auth/login (SPEC §3)."""

import hashlib
from datetime import timedelta

from django.utils import timezone

from accounts.models import Token
from tests.accounts.factories import PASSWORD, LearnerFactory
from tests.common.assertions import assert_error, assert_success, assert_unauthorized


def test_login_returns_bearer_pair_and_accepts_any_email_case(log_in, learner):
    response = log_in("  LENA@Example.COM ")

    data = assert_success(response)
    assert response.json()["meta"] is None
    assert set(data) == {"access_token", "refresh_token", "expires_in", "token_type"}
    assert data["token_type"] == "Bearer"
    assert data["expires_in"] == 3600
    assert data["access_token"] != data["refresh_token"]
    assert len(data["access_token"]) >= 40 and len(data["refresh_token"]) >= 40


def test_login_sets_last_login(log_in, learner):
    assert learner.last_login is None

    assert_success(log_in(learner.email))

    learner.refresh_from_db()
    assert learner.last_login is not None
    assert abs(timezone.now() - learner.last_login) < timedelta(seconds=30)


def test_login_tokens_live_one_hour_and_thirty_days(log_in, learner):
    before = timezone.now()
    assert_success(log_in(learner.email))

    access = Token.objects.get(login__user=learner, kind=Token.Kind.ACCESS)
    refresh = Token.objects.get(login__user=learner, kind=Token.Kind.REFRESH)
    assert timedelta(minutes=59) < access.expires_at - before <= timedelta(hours=1, seconds=5)
    assert timedelta(days=29) < refresh.expires_at - before <= timedelta(days=30, seconds=5)


def test_login_stores_only_hashes_of_the_tokens(log_in, learner):
    data = assert_success(log_in(learner.email))

    stored = list(Token.objects.values_list("token_hash", flat=True))
    assert len(stored) == 2
    for raw in (data["access_token"], data["refresh_token"]):
        assert raw not in stored
        assert not Token.objects.filter(token_hash__contains=raw).exists()
        assert hashlib.sha256(raw.encode()).hexdigest() in stored


def test_each_login_issues_new_tokens(log_in, learner):
    first = assert_success(log_in(learner.email))
    second = assert_success(log_in(learner.email))

    assert first["access_token"] != second["access_token"]
    assert first["refresh_token"] != second["refresh_token"]
    assert learner.logins.count() == 2


def test_login_with_wrong_password_returns_401(log_in, learner):
    error = assert_unauthorized(log_in(learner.email, "not-the-password"))

    assert error["details"] == []
    assert not Token.objects.exists()


def test_login_with_unknown_email_returns_the_same_401_as_a_wrong_password(log_in, learner):
    unknown = assert_unauthorized(log_in("nobody@example.com"))
    wrong = assert_unauthorized(log_in(learner.email, "not-the-password"))

    assert unknown == wrong


def test_deactivated_user_cannot_log_in(log_in):
    user = LearnerFactory(is_active=False)

    error = assert_unauthorized(log_in(user.email))

    assert "deactivated" in error["message"]
    assert not Token.objects.exists()


def test_login_without_fields_returns_422_naming_them(anon_client):
    error = assert_error(anon_client.post("/api/v1/auth/login", {}), 422, "VALIDATION_ERROR")

    assert {d["field"] for d in error["details"]} == {"email", "password"}


def test_login_with_blank_password_returns_422(anon_client, learner):
    response = anon_client.post("/api/v1/auth/login", {"email": learner.email, "password": ""})

    error = assert_error(response, 422, "VALIDATION_ERROR")
    assert [d["field"] for d in error["details"]] == ["password"]


def test_login_ignores_a_bad_authorization_header(anon_client, learner):
    response = anon_client.post(
        "/api/v1/auth/login",
        {"email": learner.email, "password": PASSWORD},
        HTTP_AUTHORIZATION="Bearer not-a-token",
    )

    assert_success(response)
