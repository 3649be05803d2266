"""POST /api/v1/auth/logout (SPEC §3): ends the caller's login, and only that one."""

from tests.common.assertions import assert_success, assert_unauthorized

LOGOUT_URL = "/api/v1/auth/logout"
ME_URL = "/api/v1/auth/me"


def test_logout_returns_204_without_body(client_with, token_pair, learner):
    response = client_with(token_pair(learner)["access_token"]).post(LOGOUT_URL)

    assert response.status_code == 204
    assert response.content == b""


def test_logout_revokes_the_login_access_and_refresh_tokens(
    anon_client, client_with, token_pair, learner
):
    pair = token_pair(learner)
    client = client_with(pair["access_token"])

    assert client.post(LOGOUT_URL).status_code == 204

    assert_unauthorized(client.get(ME_URL))
    assert_unauthorized(
        anon_client.post("/api/v1/auth/refresh", {"refresh_token": pair["refresh_token"]})
    )


def test_logout_leaves_other_logins_of_the_same_user_alone(
    anon_client, client_with, token_pair, learner
):
    phone, laptop = token_pair(learner), token_pair(learner)

    assert client_with(phone["access_token"]).post(LOGOUT_URL).status_code == 204

    assert_success(client_with(laptop["access_token"]).get(ME_URL))
    assert_success(
        anon_client.post("/api/v1/auth/refresh", {"refresh_token": laptop["refresh_token"]})
    )


def test_logout_twice_returns_401_the_second_time(client_with, token_pair, learner):
    client = client_with(token_pair(learner)["access_token"])

    assert client.post(LOGOUT_URL).status_code == 204
    assert_unauthorized(client.post(LOGOUT_URL))


def test_logout_without_token_returns_401(anon_client):
    assert_unauthorized(anon_client.post(LOGOUT_URL))


def test_logout_get_returns_405(client_with, token_pair, learner):
    response = client_with(token_pair(learner)["access_token"]).get(LOGOUT_URL)

    assert response.status_code == 405
    assert response.json()["error"]["code"] == "METHOD_NOT_ALLOWED"
