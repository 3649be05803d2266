import pytest

from courses.models import Course
from enrollments import services
from enrollments.errors import AlreadyEnrolled
from enrollments.models import Enrollment
from tests.accounts.factories import InstructorFactory, LearnerFactory
from tests.courses.factories import CourseFactory
from tests.enrollments.factories import EnrollmentFactory

URL = "/api/v1/enrollments"
ENROLLMENT_FIELDS = {
    "id",
    "user_id",
    "course_id",
    "status",
    "progress_percent",
    "enrolled_at",
    "completed_at",
}


@pytest.fixture
def course(instructor):
    return CourseFactory(instructor=instructor)


@pytest.fixture
def draft(instructor):
    return CourseFactory(instructor=instructor, status=Course.Status.DRAFT)


def error(response) -> dict:
    return response.json()["error"]


# --- the ladder -------------------------------------------------------------------------------


def test_anonymous_enrol_returns_401(anon_client, course):
    assert anon_client.post(URL, {"course_id": course.id}).status_code == 401
    assert not Enrollment.objects.exists()


def test_learner_enrols_themselves_in_a_published_course(learner_client, learner, course):
    response = learner_client.post(URL, {"course_id": course.id})

    assert response.status_code == 201
    body = response.json()["data"]
    assert set(body) == ENROLLMENT_FIELDS
    assert body["id"].startswith("enr_")
    assert response["Location"] == f"/api/v1/enrollments/{body['id']}"
    assert body["user_id"] == learner.id
    assert body["course_id"] == course.id
    assert body["status"] == "active"
    assert body["progress_percent"] == 0
    assert body["completed_at"] is None
    assert body["enrolled_at"].endswith("Z")
    assert Enrollment.objects.get(pk=body["id"]).user == learner


def test_learner_may_name_themselves(learner_client, learner, course):
    response = learner_client.post(URL, {"course_id": course.id, "user_id": learner.id})

    assert response.status_code == 201


def test_learner_enrolling_in_a_draft_course_returns_404(learner_client, draft):
    response = learner_client.post(URL, {"course_id": draft.id})

    assert response.status_code == 404
    assert not Enrollment.objects.exists()


def test_learner_enrolling_in_an_unknown_course_returns_404(learner_client):
    assert learner_client.post(URL, {"course_id": "crs_doesnotexist"}).status_code == 404


def test_learner_enrolling_someone_else_returns_403(learner_client, other_learner, course):
    response = learner_client.post(URL, {"course_id": course.id, "user_id": other_learner.id})

    assert response.status_code == 403
    assert error(response)["code"] == "FORBIDDEN"
    assert not Enrollment.objects.exists()


def test_instructor_enrols_a_learner_in_their_own_course(instructor_client, learner, course):
    response = instructor_client.post(URL, {"course_id": course.id, "user_id": learner.id})

    assert response.status_code == 201
    assert response.json()["data"]["user_id"] == learner.id


def test_instructor_may_enrol_learners_in_their_draft_course(instructor_client, learner, draft):
    response = instructor_client.post(URL, {"course_id": draft.id, "user_id": learner.id})

    assert response.status_code == 201


def test_instructor_enrolling_in_another_instructors_course_returns_404(
    other_instructor_client, learner, course
):
    response = other_instructor_client.post(URL, {"course_id": course.id, "user_id": learner.id})

    assert response.status_code == 404
    assert not Enrollment.objects.exists()


def test_admin_enrols_anyone_in_any_course(admin_client, learner, draft):
    response = admin_client.post(URL, {"course_id": draft.id, "user_id": learner.id})

    assert response.status_code == 201


# --- validation ---------------------------------------------------------------------------------


def test_missing_course_id_returns_422(learner_client, db):
    response = learner_client.post(URL, {})

    assert response.status_code == 422
    assert error(response)["details"][0]["field"] == "course_id"


def test_staff_must_name_the_learner(instructor_client, course):
    response = instructor_client.post(URL, {"course_id": course.id})

    assert response.status_code == 422
    assert error(response)["details"][0]["field"] == "user_id"


@pytest.mark.parametrize("who", ["instructor", "admin", "unknown", "inactive_learner"])
def test_enrolling_anyone_but_an_active_learner_returns_422(admin_client, admin, course, who):
    user_id = {
        "instructor": lambda: InstructorFactory().id,
        "admin": lambda: admin.id,
        "unknown": lambda: "usr_doesnotexist",
        "inactive_learner": lambda: LearnerFactory(is_active=False).id,
    }[who]()

    response = admin_client.post(URL, {"course_id": course.id, "user_id": user_id})

    assert response.status_code == 422
    assert error(response)["code"] == "VALIDATION_ERROR"
    assert error(response)["details"][0]["field"] == "user_id"
    assert not Enrollment.objects.exists()


def test_instructor_enrolling_themselves_returns_422(instructor_client, instructor, course):
    response = instructor_client.post(URL, {"course_id": course.id, "user_id": instructor.id})

    assert response.status_code == 422


# --- one live enrolment -------------------------------------------------------------------------


@pytest.mark.parametrize("status", [Enrollment.Status.ACTIVE, Enrollment.Status.COMPLETED])
def test_second_enrolment_while_one_is_live_returns_409_already_enrolled(
    learner_client, learner, course, status
):
    EnrollmentFactory(user=learner, course=course, status=status)

    response = learner_client.post(URL, {"course_id": course.id})

    assert response.status_code == 409
    assert error(response)["code"] == "ALREADY_ENROLLED"
    assert Enrollment.objects.filter(user=learner, course=course).count() == 1


def test_enrolling_again_after_dropping_creates_a_new_enrolment(learner_client, learner, course):
    dropped = EnrollmentFactory(user=learner, course=course, status=Enrollment.Status.DROPPED)

    response = learner_client.post(URL, {"course_id": course.id})

    assert response.status_code == 201
    assert response.json()["data"]["id"] != dropped.id
    statuses = set(Enrollment.objects.filter(user=learner).values_list("status", flat=True))
    assert statuses == {"active", "dropped"}


def test_same_learner_may_enrol_in_two_courses(learner_client, course, instructor):
    other = CourseFactory(instructor=instructor)

    assert learner_client.post(URL, {"course_id": course.id}).status_code == 201
    assert learner_client.post(URL, {"course_id": other.id}).status_code == 201


def test_database_constraint_refuses_a_duplicate_the_check_missed(
    monkeypatch, instructor, learner, course
):
    """Two racing requests both pass the check; the constraint decides, inside a savepoint."""
    existing = EnrollmentFactory(user=learner, course=course)
    monkeypatch.setattr(services, "enrollment_create_check", lambda **kwargs: None)

    with pytest.raises(AlreadyEnrolled):
        services.enrollment_create(actor=instructor, course=course, user=learner)

    assert list(Enrollment.objects.filter(user=learner, course=course)) == [existing]
