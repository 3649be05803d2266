"""POST /api/v1/users (SPEC §3): admins create users; every field rule is a 422 naming it."""

import pytest

from accounts.models import Role, User
from accounts.services import INSTRUCTORS_GROUP
from tests.common.assertions import (
    assert_error,
    assert_success,
    assert_unauthorized,
    detail_fields,
)

URL = "/api/v1/users"
NEW_PASSWORD = "quiet-orchard-1987"


def body(**overrides):
    return {"name": "Nina New", "email": "nina@example.com", "password": NEW_PASSWORD, **overrides}


def test_anonymous_gets_401(anon_client):
    assert_unauthorized(anon_client.post(URL, body()))


@pytest.mark.parametrize("persona", ["learner_client", "instructor_client"])
def test_learners_and_instructors_get_403(request, persona):
    assert_error(request.getfixturevalue(persona).post(URL, body()), 403, "FORBIDDEN")
    assert not User.objects.filter(email="nina@example.com").exists()


def test_admin_creates_a_learner_by_default(admin_client, log_in):
    response = admin_client.post(URL, body(email="  Nina@Example.COM"))

    data = assert_success(response, 201)
    user = User.objects.get(pk=data["id"])
    assert response["Location"] == f"/api/v1/users/{user.pk}"
    assert data == {
        "id": user.pk,
        "name": "Nina New",
        "email": "nina@example.com",
        "role": "learner",
        "is_active": True,
        "created_at": data["created_at"],
        "last_login": None,
    }
    assert user.id.startswith("usr_")
    assert user.check_password(NEW_PASSWORD)
    assert_success(log_in("nina@example.com", NEW_PASSWORD))


def test_admin_creates_an_instructor_in_the_instructors_group(admin_client):
    data = assert_success(admin_client.post(URL, body(role="instructor")), 201)

    user = User.objects.get(pk=data["id"])
    assert user.role == Role.INSTRUCTOR and user.is_staff
    assert list(user.groups.values_list("name", flat=True)) == [INSTRUCTORS_GROUP]


def test_admin_creates_an_admin_who_is_superuser(admin_client):
    data = assert_success(admin_client.post(URL, body(role="admin")), 201)

    user = User.objects.get(pk=data["id"])
    assert user.is_superuser and user.is_staff
    assert not user.groups.exists()


def test_name_is_stored_trimmed(admin_client):
    data = assert_success(admin_client.post(URL, body(name="  Nina New  ")), 201)

    assert data["name"] == "Nina New"


@pytest.mark.parametrize(
    ("overrides", "field"),
    [
        ({"name": "N"}, "name"),
        ({"name": "   "}, "name"),
        ({"name": "  N  "}, "name"),
        ({"name": "N" * 101}, "name"),
        ({"email": "not-an-email"}, "email"),
        ({"email": "nina@"}, "email"),
        ({"email": ""}, "email"),
        ({"email": "n" * 250 + "@example.com"}, "email"),
        ({"password": "short1!"}, "password"),
        ({"password": "password"}, "password"),
        ({"password": "12345678901"}, "password"),
        ({"password": "nina@example.com"}, "password"),
        ({"role": "superhero"}, "role"),
    ],
)
def test_invalid_field_returns_422_naming_it(admin_client, overrides, field):
    response = admin_client.post(URL, body(**overrides))

    error = assert_error(response, 422, "VALIDATION_ERROR")
    assert detail_fields(error) == {field}
    assert not User.objects.filter(email="nina@example.com").exists()


def test_name_of_100_characters_is_accepted(admin_client):
    assert_success(admin_client.post(URL, body(name="N" * 100)), 201)


def test_password_of_8_characters_is_accepted(admin_client):
    assert_success(admin_client.post(URL, body(password="q7#Lm2xZ")), 201)


def test_password_like_the_name_is_refused(admin_client):
    response = admin_client.post(
        URL, body(name="Copperfieldmarmalade", password="copperfieldmarmalade")
    )

    error = assert_error(response, 422, "VALIDATION_ERROR")
    assert error["details"] == [
        {"field": "password", "issue": "The password is too similar to the name."}
    ]
    assert not User.objects.filter(email="nina@example.com").exists()


def test_common_password_is_refused_with_the_validator_message(admin_client):
    error = assert_error(admin_client.post(URL, body(password="password")), 422, "VALIDATION_ERROR")

    assert error["details"] == [{"field": "password", "issue": "This password is too common."}]


@pytest.mark.parametrize("email", ["lena@example.com", "LENA@EXAMPLE.COM", " Lena@Example.com "])
def test_email_taken_in_any_case_returns_422(admin_client, learner, email):
    error = assert_error(admin_client.post(URL, body(email=email)), 422, "VALIDATION_ERROR")

    assert error["details"] == [
        {"field": "email", "issue": "A user with this email already exists."}
    ]
    assert User.objects.filter(email__iexact="lena@example.com").count() == 1


def test_missing_fields_are_reported_together(admin_client):
    error = assert_error(admin_client.post(URL, {}), 422, "VALIDATION_ERROR")

    assert detail_fields(error) == {"name", "email", "password"}


def test_several_broken_rules_are_reported_together(admin_client):
    response = admin_client.post(URL, {"name": "N", "email": "bad", "password": "password"})

    error = assert_error(response, 422, "VALIDATION_ERROR")
    assert detail_fields(error) == {"name", "email", "password"}


def test_response_never_contains_the_password(admin_client):
    response = admin_client.post(URL, body())

    assert NEW_PASSWORD not in response.content.decode()
