import pytest

from enrollments.models import Enrollment
from tests.accounts.factories import LearnerFactory
from tests.courses.factories import CourseFactory
from tests.enrollments.factories import EnrollmentFactory

URL = "/api/v1/enrollments"


def ids(response) -> list[str]:
    return [enrollment["id"] for enrollment in response.json()["data"]]


@pytest.fixture
def world(instructor, other_instructor, learner, other_learner):
    own_course = CourseFactory(instructor=instructor)
    other_course = CourseFactory(instructor=other_instructor)
    return {
        "own_course": own_course,
        "other_course": other_course,
        "learner_own": EnrollmentFactory(user=learner, course=own_course),
        "other_learner_own": EnrollmentFactory(
            user=other_learner, course=own_course, status=Enrollment.Status.DROPPED
        ),
        "learner_other": EnrollmentFactory(user=learner, course=other_course),
        "other_learner_other": EnrollmentFactory(user=other_learner, course=other_course),
    }


def test_anonymous_list_returns_401(anon_client, db):
    assert anon_client.get(URL).status_code == 401


def test_learner_lists_only_their_own_enrolments(learner_client, world):
    response = learner_client.get(URL)

    assert response.status_code == 200
    assert ids(response) == [world["learner_own"].id, world["learner_other"].id]
    assert response.json()["meta"] == {"total": 2, "page": 1, "per_page": 20}


def test_learner_filtering_by_another_user_gets_nothing(learner_client, world, other_learner):
    assert ids(learner_client.get(URL, {"user_id": other_learner.id})) == []


def test_instructor_lists_the_enrolments_of_their_courses(instructor_client, world):
    response = instructor_client.get(URL)

    assert ids(response) == [world["learner_own"].id, world["other_learner_own"].id]


def test_admin_lists_every_enrolment(admin_client, world):
    assert ids(admin_client.get(URL)) == [enrollment.id for enrollment in list(world.values())[2:]]


def test_filter_by_user_id(admin_client, world, other_learner):
    response = admin_client.get(URL, {"user_id": other_learner.id})

    assert ids(response) == [world["other_learner_own"].id, world["other_learner_other"].id]


def test_filter_by_course_id(admin_client, world):
    response = admin_client.get(URL, {"course_id": world["other_course"].id})

    assert ids(response) == [world["learner_other"].id, world["other_learner_other"].id]


def test_filter_by_status(admin_client, world):
    assert ids(admin_client.get(URL, {"status": "dropped"})) == [world["other_learner_own"].id]


def test_filters_combine(instructor_client, world, learner):
    response = instructor_client.get(URL, {"user_id": learner.id, "status": "active"})

    assert ids(response) == [world["learner_own"].id]


def test_unknown_status_filter_returns_422(admin_client, db):
    response = admin_client.get(URL, {"status": "paused"})

    assert response.status_code == 422
    assert response.json()["error"]["details"][0]["field"] == "status"


@pytest.mark.parametrize("rows", [5, 60])
def test_list_query_count_does_not_grow_with_enrolments(
    instructor_client, instructor, django_assert_num_queries, rows
):
    course = CourseFactory(instructor=instructor)
    for _ in range(rows):
        EnrollmentFactory(course=course, user=LearnerFactory())

    # token, count, page
    with django_assert_num_queries(3):
        response = instructor_client.get(URL, {"per_page": 100})

    assert len(response.json()["data"]) == rows
