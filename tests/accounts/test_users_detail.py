"""GET /api/v1/users/:id (SPEC §3): admins read anyone; others only themselves, and another
user's id is a 404 (nobody learns which ids exist)."""

import pytest

from tests.common.assertions import assert_error, assert_success, assert_unauthorized


def url(user_id):
    return f"/api/v1/users/{user_id}"


def test_anonymous_gets_401(anon_client, learner):
    assert_unauthorized(anon_client.get(url(learner.id)))


@pytest.mark.parametrize("persona", ["learner_client", "instructor_client"])
def test_reading_another_user_returns_404(request, persona, other_learner):
    assert_error(request.getfixturevalue(persona).get(url(other_learner.id)), 404, "NOT_FOUND")


@pytest.mark.parametrize("persona", ["learner_client", "instructor_client"])
def test_another_user_and_an_unknown_id_look_the_same(request, persona, other_learner):
    client = request.getfixturevalue(persona)

    existing = client.get(url(other_learner.id)).json()
    unknown = client.get(url("usr_doesnotexist0000000")).json()

    assert existing == unknown


@pytest.mark.parametrize("persona", ["learner", "instructor", "admin"])
def test_anyone_reads_themselves(request, api_client_for, persona):
    user = request.getfixturevalue(persona)

    response = api_client_for(user).get(url(user.id))

    data = assert_success(response)
    assert response.json()["meta"] is None
    assert data["id"] == user.id and data["email"] == user.email and data["role"] == persona


def test_admin_reads_anyone(admin_client, learner):
    assert assert_success(admin_client.get(url(learner.id)))["id"] == learner.id


def test_admin_reading_an_unknown_id_gets_404(admin_client):
    assert_error(admin_client.get(url("usr_doesnotexist0000000")), 404, "NOT_FOUND")
