"""Auth and users bodies take JSON types at their word (SPEC §2): a number where a string goes
or a string where a boolean goes is a `422 VALIDATION_ERROR` naming the field, never coerced."""

import pytest

from accounts.models import User
from accounts.services import login_start
from tests.accounts.factories import PASSWORD
from tests.common.assertions import assert_error, assert_success

USERS_URL = "/api/v1/users"
LOGIN_URL = "/api/v1/auth/login"
REFRESH_URL = "/api/v1/auth/refresh"
NOT_STRINGS = [12345, 1.5, True, ["text"], {"text": "x"}]
NOT_BOOLEANS = ["yes", "no", "true", "false", "1", "0", 1, 0]


def user_url(user: User) -> str:
    return f"{USERS_URL}/{user.pk}"


def assert_wrong_type(response, field: str, issue: str) -> None:
    error = assert_error(response, 422, "VALIDATION_ERROR")
    assert error["details"] == [{"field": field, "issue": issue}]


def new_user(**changes) -> dict:
    return {"name": "Nina New", "email": "nina@example.com", "password": PASSWORD, **changes}


# --- POST /users ----------------------------------------------------------------------------------


@pytest.mark.parametrize("value", NOT_STRINGS)
@pytest.mark.parametrize("field", ["name", "email", "password"])
def test_create_user_with_a_non_string_returns_422(admin_client, field, value):
    response = admin_client.post(USERS_URL, new_user(**{field: value}))

    assert_wrong_type(response, field, "Must be a string.")
    assert not User.objects.filter(name="Nina New").exists()


@pytest.mark.parametrize("value", [1, True, ["learner"]])
def test_create_user_with_a_non_string_role_returns_422(admin_client, value):
    response = admin_client.post(USERS_URL, new_user(role=value))

    error = assert_error(response, 422, "VALIDATION_ERROR")
    assert [detail["field"] for detail in error["details"]] == ["role"]


def test_create_user_with_strings_still_works(admin_client):
    data = assert_success(admin_client.post(USERS_URL, new_user(role="instructor")), 201)

    assert (data["name"], data["role"]) == ("Nina New", "instructor")


# --- PUT/PATCH /users/:id -------------------------------------------------------------------------


@pytest.mark.parametrize("value", NOT_BOOLEANS)
def test_is_active_that_is_not_a_json_boolean_returns_422(admin_client, learner, value):
    response = admin_client.patch(user_url(learner), {"is_active": value})

    assert_wrong_type(response, "is_active", "Must be a boolean.")
    learner.refresh_from_db()
    assert learner.is_active is True


def test_own_is_active_that_is_not_a_json_boolean_returns_422(admin_client, admin):
    response = admin_client.patch(user_url(admin), {"is_active": "yes"})

    assert_wrong_type(response, "is_active", "Must be a boolean.")


def test_is_active_false_deactivates(admin_client, learner):
    data = assert_success(admin_client.patch(user_url(learner), {"is_active": False}))

    assert data["is_active"] is False


@pytest.mark.parametrize("value", NOT_STRINGS)
@pytest.mark.parametrize("field", ["name", "email", "password"])
def test_patch_user_with_a_non_string_returns_422(learner_client, learner, field, value):
    response = learner_client.patch(user_url(learner), {field: value})

    assert_wrong_type(response, field, "Must be a string.")
    learner.refresh_from_db()
    assert learner.name == "Lena Learner"


def test_put_user_with_a_numeric_name_returns_422(admin_client, learner):
    response = admin_client.put(user_url(learner), {"name": 12345, "email": learner.email})

    assert_wrong_type(response, "name", "Must be a string.")


def test_patch_user_with_a_numeric_role_returns_422(admin_client, learner):
    response = admin_client.patch(user_url(learner), {"role": 2})

    error = assert_error(response, 422, "VALIDATION_ERROR")
    assert [detail["field"] for detail in error["details"]] == ["role"]


# --- login and refresh ----------------------------------------------------------------------------


@pytest.mark.parametrize("value", NOT_STRINGS)
@pytest.mark.parametrize("field", ["email", "password"])
def test_login_with_a_non_string_returns_422(anon_client, learner, field, value):
    body = {"email": learner.email, "password": PASSWORD, field: value}

    assert_wrong_type(anon_client.post(LOGIN_URL, body), field, "Must be a string.")


@pytest.mark.parametrize("value", NOT_STRINGS)
def test_refresh_with_a_non_string_token_returns_422(anon_client, value):
    response = anon_client.post(REFRESH_URL, {"refresh_token": value})

    assert_wrong_type(response, "refresh_token", "Must be a string.")


def test_refresh_with_a_string_token_still_works(anon_client, learner):
    pair = login_start(user=learner)

    data = assert_success(anon_client.post(REFRESH_URL, {"refresh_token": pair.refresh_token}))

    assert data["token_type"] == "Bearer"
