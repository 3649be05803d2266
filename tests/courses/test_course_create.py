import pytest

from courses.models import Course
from tests.accounts.factories import InstructorFactory

URL = "/api/v1/courses"


def error_fields(response) -> set[str]:
    return {detail["field"] for detail in response.json()["error"]["details"]}


def test_anonymous_create_returns_401(anon_client, db):
    response = anon_client.post(URL, {"title": "Statistics"})

    assert response.status_code == 401
    assert not Course.objects.exists()


def test_learner_create_returns_403(learner_client):
    response = learner_client.post(URL, {"title": "Statistics"})

    assert response.status_code == 403
    assert response.json()["error"]["code"] == "FORBIDDEN"
    assert not Course.objects.exists()


def test_instructor_creates_a_draft_course_they_teach(instructor_client, instructor):
    response = instructor_client.post(
        URL, {"title": "  Statistics  ", "description": "Means.", "category": "Data"}
    )

    assert response.status_code == 201
    body = response.json()["data"]
    assert response["Location"] == f"/api/v1/courses/{body['id']}"
    assert body["title"] == "Statistics"
    assert body["description"] == "Means."
    assert body["category"] == "Data"
    assert body["status"] == "draft"
    assert body["instructor_id"] == instructor.id
    assert body["enrollment_count"] == 0
    course = Course.objects.get(pk=body["id"])
    assert course.instructor == instructor and course.title == "Statistics"


def test_instructor_may_name_themselves_as_instructor(instructor_client, instructor):
    response = instructor_client.post(
        URL, {"title": "Statistics", "status": "published", "instructor_id": instructor.id}
    )

    assert response.status_code == 201
    assert response.json()["data"]["status"] == "published"


def test_instructor_naming_another_instructor_returns_403(instructor_client, other_instructor):
    response = instructor_client.post(
        URL, {"title": "Statistics", "instructor_id": other_instructor.id}
    )

    assert response.status_code == 403
    assert not Course.objects.exists()


def test_admin_creates_a_course_for_an_instructor(admin_client, instructor):
    response = admin_client.post(URL, {"title": "Statistics", "instructor_id": instructor.id})

    assert response.status_code == 201
    assert response.json()["data"]["instructor_id"] == instructor.id


def test_admin_must_name_the_instructor(admin_client):
    response = admin_client.post(URL, {"title": "Statistics"})

    assert response.status_code == 422
    assert error_fields(response) == {"instructor_id"}


@pytest.mark.parametrize("who", ["learner", "admin", "unknown", "inactive"])
def test_admin_naming_a_non_instructor_returns_422(admin_client, learner, admin, who):
    instructor_id = {
        "learner": lambda: learner.id,
        "admin": lambda: admin.id,
        "unknown": lambda: "usr_doesnotexist",
        "inactive": lambda: InstructorFactory(is_active=False).id,
    }[who]()

    response = admin_client.post(URL, {"title": "Statistics", "instructor_id": instructor_id})

    assert response.status_code == 422
    assert response.json()["error"]["code"] == "VALIDATION_ERROR"
    assert error_fields(response) == {"instructor_id"}
    assert not Course.objects.exists()


@pytest.mark.parametrize("title", ["ab", "   ab   ", "x" * 201, "", None])
def test_title_outside_3_to_200_characters_returns_422(instructor_client, title):
    response = instructor_client.post(URL, {"title": title})

    assert response.status_code == 422
    assert error_fields(response) == {"title"}


def test_missing_title_returns_422(instructor_client):
    response = instructor_client.post(URL, {"category": "Data"})

    assert response.status_code == 422
    assert error_fields(response) == {"title"}


@pytest.mark.parametrize("title", ["abc", "x" * 200])
def test_title_of_3_or_200_characters_is_accepted(instructor_client, title):
    response = instructor_client.post(URL, {"title": title})

    assert response.status_code == 201
    assert response.json()["data"]["title"] == title


def test_unknown_status_returns_422(instructor_client):
    response = instructor_client.post(URL, {"title": "Statistics", "status": "archived"})

    assert response.status_code == 422
    assert error_fields(response) == {"status"}


def test_long_category_returns_422(instructor_client):
    response = instructor_client.post(URL, {"title": "Statistics", "category": "c" * 101})

    assert response.status_code == 422
    assert error_fields(response) == {"category"}
