"""DELETE /api/v1/users/:id (SPEC §3): admins only; a user with records is kept (409), also
when the record arrives while the delete runs."""

import pytest
from django.db import IntegrityError

from accounts.models import Login, Token, User
from accounts.services import user_delete
from common.errors import ResourceInUse
from courses.models import Course
from enrollments.models import Enrollment
from tests.common.assertions import assert_error, assert_unauthorized
from tests.enrollments.factories import while_deleting


def url(user_id):
    return f"/api/v1/users/{user_id}"


def test_anonymous_gets_401(anon_client, learner):
    assert_unauthorized(anon_client.delete(url(learner.id)))
    assert User.objects.filter(pk=learner.pk).exists()


@pytest.mark.parametrize("persona", ["learner_client", "instructor_client"])
def test_deleting_another_user_returns_404(request, persona, other_learner):
    assert_error(request.getfixturevalue(persona).delete(url(other_learner.id)), 404, "NOT_FOUND")
    assert User.objects.filter(pk=other_learner.pk).exists()


@pytest.mark.parametrize("persona", ["learner", "instructor"])
def test_deleting_yourself_without_admin_role_returns_403(request, api_client_for, persona):
    user = request.getfixturevalue(persona)

    assert_error(api_client_for(user).delete(url(user.id)), 403, "FORBIDDEN")
    assert User.objects.filter(pk=user.pk).exists()


def test_admin_deletes_a_user_without_records(admin_client, token_pair, learner):
    token_pair(learner)

    response = admin_client.delete(url(learner.id))

    assert response.status_code == 204
    assert response.content == b""
    assert not User.objects.filter(pk=learner.pk).exists()
    assert not Login.objects.filter(user_id=learner.pk).exists()
    assert not Token.objects.filter(login__user_id=learner.pk).exists()


def test_deleting_a_user_with_an_enrolment_returns_409_and_keeps_them(
    admin_client, instructor, learner
):
    course = Course.objects.create(title="Intro", instructor=instructor)
    enrollment = Enrollment.objects.create(user=learner, course=course)

    error = assert_error(admin_client.delete(url(learner.id)), 409, "RESOURCE_IN_USE")

    assert "is_active" in error["message"]
    assert User.objects.filter(pk=learner.pk).exists()
    assert Enrollment.objects.filter(pk=enrollment.pk).exists()


def test_deleting_an_instructor_who_owns_courses_returns_409(admin_client, instructor):
    Course.objects.create(title="Intro", instructor=instructor)

    assert_error(admin_client.delete(url(instructor.id)), 409, "RESOURCE_IN_USE")
    assert User.objects.filter(pk=instructor.pk).exists()


def test_deleting_an_unknown_user_returns_404(admin_client):
    assert_error(admin_client.delete(url("usr_doesnotexist0000000")), 404, "NOT_FOUND")


@pytest.fixture
def enrol_while_deleting(instructor):
    """An enrolment of the user being deleted, stored after Django's check for their records."""
    course = Course.objects.create(title="Intro", instructor=instructor)
    enrol = lambda user: Enrollment.objects.create(user=user, course=course)  # noqa: E731
    with while_deleting(User, enrol):
        yield


def test_record_stored_during_the_delete_returns_409_and_keeps_the_user(
    admin_client, learner, enrol_while_deleting
):
    error = assert_error(admin_client.delete(url(learner.id)), 409, "RESOURCE_IN_USE")

    assert "is_active" in error["message"]
    assert User.objects.filter(pk=learner.pk).exists()


def test_record_stored_during_the_delete_is_refused_by_the_database(learner, enrol_while_deleting):
    with pytest.raises(ResourceInUse) as refused:
        user_delete(user=learner)

    # Django's PROTECT check passed; the database's foreign key refused the delete.
    assert isinstance(refused.value.__context__, IntegrityError)
    assert learner.pk is not None
    assert User.objects.filter(pk=learner.pk).exists()
