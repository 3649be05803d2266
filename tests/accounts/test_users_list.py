"""GET /api/v1/users (SPEC §3): admins only; filter `?role=`; paginated (edges in
tests/common/test_pagination.py)."""

import pytest

from accounts.models import User
from tests.accounts.factories import InstructorFactory, LearnerFactory
from tests.common.assertions import assert_error, assert_success, assert_unauthorized

URL = "/api/v1/users"


def test_anonymous_gets_401(anon_client):
    assert_unauthorized(anon_client.get(URL))


@pytest.mark.parametrize("persona", ["learner_client", "instructor_client"])
def test_learners_and_instructors_get_403(request, persona):
    assert_error(request.getfixturevalue(persona).get(URL), 403, "FORBIDDEN")


def test_admin_lists_everyone_in_creation_order(admin_client, admin, instructor, learner):
    response = admin_client.get(URL)

    data = assert_success(response)
    expected = list(User.objects.order_by("created_at", "id").values_list("id", flat=True))
    assert [user["id"] for user in data] == expected
    assert {admin.id, instructor.id, learner.id} == set(expected)
    assert response.json()["meta"] == {"total": 3, "page": 1, "per_page": 20}
    assert all("password" not in user for user in data)


@pytest.mark.parametrize("role", ["admin", "instructor", "learner"])
def test_admin_filters_by_role(admin_client, admin, instructor, learner, other_learner, role):
    response = admin_client.get(URL, {"role": role})

    data = assert_success(response)
    assert [user["role"] for user in data] == [role] * len(data)
    expected = set(User.objects.filter(role=role).values_list("id", flat=True))
    assert {user["id"] for user in data} == expected
    assert response.json()["meta"]["total"] == len(expected)


def test_bad_role_filter_returns_422_naming_role(admin_client):
    error = assert_error(admin_client.get(URL, {"role": "superhero"}), 422, "VALIDATION_ERROR")

    assert [d["field"] for d in error["details"]] == ["role"]


@pytest.mark.parametrize("extra_users", [5, 50])
def test_list_query_count_does_not_grow_with_users(
    admin_client, django_assert_num_queries, extra_users
):
    LearnerFactory.create_batch(extra_users)
    InstructorFactory.create_batch(2)

    # token lookup, count, page
    with django_assert_num_queries(3):
        assert_success(admin_client.get(URL, {"per_page": 100}))
