"""Enrolment bodies take JSON types at their word (SPEC §2): ids are strings, and a number,
boolean, list or object in their place is a `422 VALIDATION_ERROR` naming the field."""

import pytest

from enrollments.models import Enrollment
from tests.common.assertions import assert_error, assert_success
from tests.courses.factories import CourseFactory
from tests.enrollments.factories import EnrollmentFactory

URL = "/api/v1/enrollments"
NOT_STRINGS = [12345, 1.5, True, ["crs_x"], {"id": "crs_x"}]


@pytest.fixture
def course(instructor):
    return CourseFactory(instructor=instructor)


@pytest.fixture
def enrollment(learner, course):
    return EnrollmentFactory(user=learner, course=course)


def assert_wrong_type(response, field: str, issue: str = "Must be a string.") -> None:
    error = assert_error(response, 422, "VALIDATION_ERROR")
    assert error["details"] == [{"field": field, "issue": issue}]


@pytest.mark.parametrize("value", NOT_STRINGS)
def test_non_string_course_id_returns_422(learner_client, value):
    assert_wrong_type(learner_client.post(URL, {"course_id": value}), "course_id")
    assert not Enrollment.objects.exists()


@pytest.mark.parametrize("value", NOT_STRINGS)
def test_non_string_user_id_returns_422(admin_client, course, value):
    response = admin_client.post(URL, {"course_id": course.pk, "user_id": value})

    assert_wrong_type(response, "user_id")
    assert not Enrollment.objects.exists()


def test_both_wrong_ids_are_reported_at_once(admin_client):
    response = admin_client.post(URL, {"course_id": 1, "user_id": 2})

    error = assert_error(response, 422, "VALIDATION_ERROR")
    assert {detail["field"] for detail in error["details"]} == {"course_id", "user_id"}


@pytest.mark.parametrize("method", ["put", "patch"])
@pytest.mark.parametrize("value", [0, 1, True, ["dropped"]])
def test_non_string_status_returns_422(learner_client, enrollment, method, value):
    response = getattr(learner_client, method)(f"{URL}/{enrollment.pk}", {"status": value})

    error = assert_error(response, 422, "VALIDATION_ERROR")
    assert [detail["field"] for detail in error["details"]] == ["status"]
    enrollment.refresh_from_db()
    assert enrollment.status == Enrollment.Status.ACTIVE


def test_string_ids_still_work(admin_client, learner, course):
    response = admin_client.post(URL, {"course_id": course.pk, "user_id": learner.pk})

    assert assert_success(response, 201)["user_id"] == learner.pk
