"""Course bodies take JSON types at their word (SPEC §2): a number, boolean, list or object
where a string goes is a `422 VALIDATION_ERROR` naming the field, never turned into text."""

import pytest

from courses.models import Course
from tests.common.assertions import assert_error, assert_success
from tests.courses.factories import CourseFactory

URL = "/api/v1/courses"
NOT_STRINGS = [12345, 1.5, True, ["text"], {"text": "x"}]
STRING_FIELDS = ["title", "description", "category", "instructor_id"]


@pytest.fixture
def course(instructor):
    return CourseFactory(instructor=instructor, title="Statistics", category="Data")


def assert_wrong_type(response, field: str, issue: str = "Must be a string.") -> None:
    error = assert_error(response, 422, "VALIDATION_ERROR")
    assert error["details"] == [{"field": field, "issue": issue}]


def test_numeric_title_returns_422_and_creates_nothing(instructor_client):
    response = instructor_client.post(URL, {"title": 12345})

    assert_wrong_type(response, "title")
    assert not Course.objects.exists()


@pytest.mark.parametrize("value", NOT_STRINGS)
@pytest.mark.parametrize("field", STRING_FIELDS)
def test_create_with_a_non_string_returns_422(admin_client, instructor, field, value):
    body = {"title": "Statistics", "instructor_id": instructor.pk, field: value}

    assert_wrong_type(admin_client.post(URL, body), field)
    assert not Course.objects.exists()


@pytest.mark.parametrize("value", [1, True, ["published"]])
def test_create_with_a_non_string_status_returns_422(instructor_client, value):
    response = instructor_client.post(URL, {"title": "Statistics", "status": value})

    error = assert_error(response, 422, "VALIDATION_ERROR")
    assert [detail["field"] for detail in error["details"]] == ["status"]
    assert not Course.objects.exists()


@pytest.mark.parametrize("value", NOT_STRINGS)
@pytest.mark.parametrize("field", STRING_FIELDS)
def test_patch_with_a_non_string_returns_422(admin_client, course, field, value):
    assert_wrong_type(admin_client.patch(f"{URL}/{course.pk}", {field: value}), field)
    course.refresh_from_db()
    assert (course.title, course.category) == ("Statistics", "Data")


def test_put_with_a_numeric_title_returns_422(instructor_client, course):
    assert_wrong_type(instructor_client.put(f"{URL}/{course.pk}", {"title": 12345}), "title")


def test_every_wrong_type_is_reported_at_once(instructor_client):
    response = instructor_client.post(URL, {"title": 1, "description": 2, "category": False})

    error = assert_error(response, 422, "VALIDATION_ERROR")
    assert {detail["field"] for detail in error["details"]} == {"title", "description", "category"}


def test_strings_still_work(instructor_client):
    body = {"title": "12345", "description": "", "category": "Data", "status": "published"}

    data = assert_success(instructor_client.post(URL, body), 201)

    assert (data["title"], data["status"]) == ("12345", "published")
