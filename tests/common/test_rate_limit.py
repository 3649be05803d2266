"""Rate limits (SPEC §2): per access token, per client IP when anonymous (including requests
refused for their credentials); `X-RateLimit-*` on every counted response, `429 RATE_LIMITED`
with `Retry-After` over the limit."""

import json

import pytest
from rest_framework.test import APIClient

from tests.common.assertions import assert_error, assert_unauthorized
from tests.common.conftest import WINDOW_START

ME_URL = "/api/v1/auth/me"
LOGIN_URL = "/api/v1/auth/login"


@pytest.fixture(autouse=True)
def three_per_minute(settings, clock):
    settings.API_RATE_LIMIT = "3/minute"


def bad_login(client, **extra):
    return client.post(LOGIN_URL, {"email": "x@example.com", "password": "nope"}, **extra)


def test_normal_responses_carry_rate_limit_headers(learner_client):
    remaining = []
    for _ in range(3):
        response = learner_client.get(ME_URL)
        assert response.status_code == 200
        assert response["X-RateLimit-Limit"] == "3"
        assert response["X-RateLimit-Reset"] == str(WINDOW_START + 60)
        remaining.append(response["X-RateLimit-Remaining"])

    assert remaining == ["2", "1", "0"]


def test_over_the_limit_returns_429_with_retry_after(learner_client):
    for _ in range(3):
        assert learner_client.get(ME_URL).status_code == 200

    response = learner_client.get(ME_URL)

    error = assert_error(response, 429, "RATE_LIMITED")
    assert error["details"] == []
    assert response["Retry-After"] == "50"
    assert response["X-RateLimit-Remaining"] == "0"
    assert response["X-RateLimit-Reset"] == str(WINDOW_START + 60)


def test_limit_resets_with_the_next_window(learner_client, clock):
    for _ in range(4):
        learner_client.get(ME_URL)

    clock.now = WINDOW_START + 61

    response = learner_client.get(ME_URL)
    assert response.status_code == 200
    assert response["X-RateLimit-Remaining"] == "2"


def test_two_tokens_of_the_same_user_have_separate_counters(api_client_for, learner):
    first, second = api_client_for(learner), api_client_for(learner)
    for _ in range(3):
        assert first.get(ME_URL).status_code == 200
    assert first.get(ME_URL).status_code == 429

    response = second.get(ME_URL)

    assert response.status_code == 200
    assert response["X-RateLimit-Remaining"] == "2"


def test_anonymous_requests_are_counted_per_ip(db):
    client = APIClient()
    for _ in range(3):
        assert bad_login(client, REMOTE_ADDR="10.0.0.1").status_code == 401
    assert_error(bad_login(client, REMOTE_ADDR="10.0.0.1"), 429, "RATE_LIMITED")

    response = bad_login(client, REMOTE_ADDR="10.0.0.2")

    assert response.status_code == 401
    assert response["X-RateLimit-Remaining"] == "2"


def test_anonymous_limit_cannot_be_dodged_with_x_forwarded_for(db):
    client = APIClient()
    statuses = [
        bad_login(client, REMOTE_ADDR="10.0.0.1", HTTP_X_FORWARDED_FOR=f"192.0.2.{n}").status_code
        for n in range(4)
    ]

    assert statuses == [401, 401, 401, 429]


def test_behind_a_proxy_the_client_address_comes_from_x_forwarded_for(settings, db):
    settings.REST_FRAMEWORK = {**settings.REST_FRAMEWORK, "NUM_PROXIES": 1}
    client = APIClient()
    proxy = {"REMOTE_ADDR": "10.0.0.254"}
    for _ in range(3):
        assert (
            bad_login(client, HTTP_X_FORWARDED_FOR="spoofed, 192.0.2.7", **proxy).status_code == 401
        )
    assert bad_login(client, HTTP_X_FORWARDED_FOR="192.0.2.7", **proxy).status_code == 429

    response = bad_login(client, HTTP_X_FORWARDED_FOR="192.0.2.8", **proxy)

    assert response.status_code == 401


def test_token_users_do_not_share_the_anonymous_counter_of_their_ip(learner_client, db):
    anonymous = APIClient()
    for _ in range(4):
        bad_login(anonymous)

    assert learner_client.get(ME_URL).status_code == 200


def test_login_attempts_are_limited(learner):
    client = APIClient()
    for _ in range(3):
        assert bad_login(client).status_code == 401

    response = client.post(LOGIN_URL, {"email": learner.email, "password": "correct-horse-battery"})

    assert_error(response, 429, "RATE_LIMITED")


def test_throttled_schema_download_is_still_an_error_envelope(settings, anon_client, db):
    settings.API_RATE_LIMIT = "1/minute"
    assert anon_client.get("/api/v1/schema/?format=json").status_code == 200

    response = anon_client.get("/api/v1/schema/?format=json")

    assert response.status_code == 429
    body = json.loads(response.content)
    assert body["data"] is None and body["error"]["code"] == "RATE_LIMITED"


# --- requests refused for their credentials -------------------------------------------------------


def test_bogus_tokens_from_one_ip_are_limited(db):
    client = APIClient(HTTP_AUTHORIZATION="Bearer not-a-token", REMOTE_ADDR="10.0.0.1")
    for _ in range(3):
        assert_unauthorized(client.get(ME_URL))

    response = client.get(ME_URL)

    error = assert_error(response, 429, "RATE_LIMITED")
    assert error["details"] == []
    assert response["Retry-After"] == "50"
    assert response["X-RateLimit-Remaining"] == "0"
    assert "WWW-Authenticate" not in response


@pytest.mark.parametrize(
    "headers",
    [{}, {"HTTP_AUTHORIZATION": "Bearer not-a-token"}, {"HTTP_AUTHORIZATION": "Basic dXNlcjpw"}],
    ids=["no token", "unknown token", "other scheme"],
)
def test_401s_carry_rate_limit_headers_and_count_once(db, headers):
    remaining = []
    for _ in range(3):
        response = APIClient().get(ME_URL, **headers)
        assert_unauthorized(response)
        assert response["X-RateLimit-Limit"] == "3"
        assert response["X-RateLimit-Reset"] == str(WINDOW_START + 60)
        remaining.append(response["X-RateLimit-Remaining"])

    assert remaining == ["2", "1", "0"]


def test_revoked_tokens_are_counted_against_the_ip(learner_client):
    assert learner_client.post("/api/v1/auth/logout").status_code == 204  # 1 on the token

    statuses = [learner_client.get(ME_URL).status_code for _ in range(4)]

    assert statuses == [401, 401, 401, 429]


def test_bad_logins_are_counted_once_each(db):
    client = APIClient()

    remaining = [bad_login(client)["X-RateLimit-Remaining"] for _ in range(3)]

    assert remaining == ["2", "1", "0"]


def test_bogus_tokens_and_bad_logins_share_the_ip_counter(db):
    client = APIClient()
    assert bad_login(client).status_code == 401
    assert client.get(ME_URL, HTTP_AUTHORIZATION="Bearer not-a-token").status_code == 401
    assert client.get(ME_URL).status_code == 401

    assert_error(bad_login(client), 429, "RATE_LIMITED")


def test_a_valid_token_keeps_its_own_counter_when_its_ip_is_over_the_limit(learner_client):
    bogus = APIClient(HTTP_AUTHORIZATION="Bearer not-a-token")
    for _ in range(4):
        bogus.get(ME_URL)
    assert bogus.get(ME_URL).status_code == 429

    response = learner_client.get(ME_URL)

    assert response.status_code == 200
    assert response["X-RateLimit-Remaining"] == "2"


def test_another_ip_is_not_limited_by_the_bogus_tokens_of_one(db):
    for _ in range(4):
        APIClient(REMOTE_ADDR="10.0.0.1").get(ME_URL, HTTP_AUTHORIZATION="Bearer not-a-token")

    response = APIClient(REMOTE_ADDR="10.0.0.2").get(
        ME_URL, HTTP_AUTHORIZATION="Bearer not-a-token"
    )

    assert_unauthorized(response)
    assert response["X-RateLimit-Remaining"] == "2"


@pytest.mark.parametrize(
    ("extra", "status"),
    [
        ({"path": "/api/v1/courses?" + "&".join(f"p{i}=1" for i in range(1001))}, 400),
        ({"path": "/api/v1/courses", "HTTP_ACCEPT": "text/csv"}, 406),
    ],
)
def test_requests_refused_before_authentication_are_counted_per_ip(db, extra, status):
    client = APIClient()
    path = extra.pop("path")

    statuses = [client.get(path, **extra).status_code for _ in range(4)]

    assert statuses == [status, status, status, 429]
    assert client.get("/api/v1/courses").status_code == 429  # the same IP's bucket


def test_refused_request_with_a_valid_token_counts_against_the_token(learner_client):
    for _ in range(3):
        assert learner_client.get(ME_URL, HTTP_ACCEPT="text/csv").status_code == 406

    response = learner_client.get(ME_URL)

    assert_error(response, 429, "RATE_LIMITED")
    assert APIClient().get(ME_URL).status_code == 401  # the IP's anonymous bucket is untouched


def test_api_keeps_serving_when_the_shared_cache_is_down(learner_client, settings, caplog):
    # With REDIS_URL set and Redis unreachable the cache raises; requests go on, uncounted.
    settings.CACHES = {
        "default": {
            "BACKEND": "django.core.cache.backends.redis.RedisCache",
            "LOCATION": "redis://127.0.0.1:1/0",  # nothing listens on port 1
        }
    }

    response = learner_client.get(ME_URL)

    assert response.status_code == 200
    assert "X-RateLimit-Limit" not in response
    assert "Rate limit not applied" in caplog.text


# --- unknown /api/ routes count too (SPEC §2) -------------------------------------------------


def test_unknown_api_routes_carry_the_headers_and_count_per_token(learner_client):
    remaining = []
    for method in ("get", "post", "delete"):
        response = getattr(learner_client, method)("/api/v1/no-such-route")
        assert_error(response, 404, "NOT_FOUND")
        assert response["X-RateLimit-Limit"] == "3"
        remaining.append(response["X-RateLimit-Remaining"])

    assert remaining == ["2", "1", "0"]
    assert_error(learner_client.get(ME_URL), 429, "RATE_LIMITED")  # the same token's bucket


def test_unknown_api_routes_count_per_ip_when_the_token_is_missing_or_bad(db):
    anonymous = APIClient()
    bad = APIClient()
    bad.credentials(HTTP_AUTHORIZATION="Bearer not-a-token")

    first = anonymous.get("/api/v1/no-such-route")
    second = bad.get("/api/v1/elsewhere/deeper")  # still a 404: a bad token is not a 401 here

    assert_error(first, 404, "NOT_FOUND")
    assert_error(second, 404, "NOT_FOUND")
    assert [first["X-RateLimit-Remaining"], second["X-RateLimit-Remaining"]] == ["2", "1"]
    assert "Allow" not in second
