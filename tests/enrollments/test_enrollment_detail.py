from decimal import Decimal

import pytest
from django.utils import timezone

from accounts.models import Role
from accounts.services import user_update
from common.errors import NotFound
from courses.models import Course
from enrollments import services
from enrollments.errors import AlreadyEnrolled
from enrollments.models import Enrollment
from tests.assessments.factories import SubmissionFactory
from tests.courses.factories import CourseFactory
from tests.enrollments.factories import EnrollmentFactory


def url(enrollment_or_id) -> str:
    return f"/api/v1/enrollments/{getattr(enrollment_or_id, 'id', enrollment_or_id)}"


@pytest.fixture
def course(instructor):
    return CourseFactory(instructor=instructor)


@pytest.fixture
def enrollment(learner, course):
    return EnrollmentFactory(user=learner, course=course)


@pytest.fixture
def completed(learner, instructor):
    return EnrollmentFactory(
        user=learner,
        course=CourseFactory(instructor=instructor),
        status=Enrollment.Status.COMPLETED,
        progress_percent=Decimal("100"),
        completed_at=timezone.now(),
    )


def status_of(enrollment: Enrollment) -> str:
    enrollment.refresh_from_db()
    return enrollment.status


# --- GET ----------------------------------------------------------------------------------------


def test_anonymous_get_returns_401(anon_client, enrollment):
    assert anon_client.get(url(enrollment)).status_code == 401


def test_learner_gets_their_own_enrolment(learner_client, enrollment, learner, course):
    response = learner_client.get(url(enrollment))

    assert response.status_code == 200
    assert response.json()["data"] == {
        "id": enrollment.id,
        "user_id": learner.id,
        "course_id": course.id,
        "status": "active",
        "progress_percent": 0,
        "enrolled_at": enrollment.enrolled_at.strftime("%Y-%m-%dT%H:%M:%S.%fZ"),
        "completed_at": None,
    }


def test_completed_enrolment_shows_progress_and_completion(learner_client, completed):
    body = learner_client.get(url(completed)).json()["data"]

    assert body["status"] == "completed"
    assert body["progress_percent"] == 100
    assert body["completed_at"] is not None


def test_other_learner_get_returns_404(other_learner_client, enrollment):
    assert other_learner_client.get(url(enrollment)).status_code == 404


def test_other_instructor_get_returns_404(other_instructor_client, enrollment):
    assert other_instructor_client.get(url(enrollment)).status_code == 404


def test_course_instructor_and_admin_get_it(instructor_client, admin_client, enrollment):
    assert instructor_client.get(url(enrollment)).status_code == 200
    assert admin_client.get(url(enrollment)).status_code == 200


def test_unknown_enrolment_returns_404(admin_client, db):
    assert admin_client.get(url("enr_doesnotexist")).status_code == 404


# --- PUT / PATCH --------------------------------------------------------------------------------


def test_anonymous_patch_returns_401(anon_client, enrollment):
    assert anon_client.patch(url(enrollment), {"status": "dropped"}).status_code == 401


def test_other_learner_patch_returns_404(other_learner_client, enrollment):
    assert other_learner_client.patch(url(enrollment), {"status": "dropped"}).status_code == 404
    assert status_of(enrollment) == "active"


def test_other_instructor_patch_returns_404(other_instructor_client, enrollment):
    assert other_instructor_client.put(url(enrollment), {"status": "dropped"}).status_code == 404
    assert status_of(enrollment) == "active"


def test_learner_drops_their_own_enrolment(learner_client, enrollment):
    response = learner_client.patch(url(enrollment), {"status": "dropped"})

    assert response.status_code == 200
    assert response.json()["data"]["status"] == "dropped"
    assert status_of(enrollment) == "dropped"


@pytest.mark.parametrize("client_name", ["instructor_client", "admin_client"])
def test_staff_drop_and_reactivate_an_enrolment(request, client_name, enrollment):
    client = request.getfixturevalue(client_name)

    assert client.put(url(enrollment), {"status": "dropped"}).status_code == 200
    assert status_of(enrollment) == "dropped"
    assert client.put(url(enrollment), {"status": "active"}).status_code == 200
    assert status_of(enrollment) == "active"


def test_learner_reactivates_a_dropped_enrolment(learner_client, learner, course):
    dropped = EnrollmentFactory(user=learner, course=course, status=Enrollment.Status.DROPPED)

    response = learner_client.patch(url(dropped), {"status": "active"})

    assert response.status_code == 200
    assert status_of(dropped) == "active"


def test_learner_reactivating_in_a_course_no_longer_published_returns_403(
    learner_client, learner, instructor
):
    course = CourseFactory(instructor=instructor, status=Course.Status.DRAFT)
    dropped = EnrollmentFactory(user=learner, course=course, status=Enrollment.Status.DROPPED)

    response = learner_client.patch(url(dropped), {"status": "active"})

    assert response.status_code == 403
    assert status_of(dropped) == "dropped"


def test_setting_the_current_status_again_changes_nothing(learner_client, enrollment):
    response = learner_client.put(url(enrollment), {"status": "active"})

    assert response.status_code == 200
    assert status_of(enrollment) == "active"


def test_empty_patch_returns_the_enrolment_unchanged(learner_client, completed):
    response = learner_client.patch(url(completed), {})

    assert response.status_code == 200
    assert response.json()["data"]["status"] == "completed"


def test_put_without_status_returns_422(learner_client, enrollment):
    response = learner_client.put(url(enrollment), {})

    assert response.status_code == 422
    assert response.json()["error"]["details"][0]["field"] == "status"


def test_active_to_completed_is_refused_with_422(admin_client, enrollment):
    response = admin_client.patch(url(enrollment), {"status": "completed"})

    assert response.status_code == 422
    detail = response.json()["error"]["details"][0]
    assert detail["field"] == "status"
    assert "set by the system" in detail["issue"]
    assert status_of(enrollment) == "active"


@pytest.mark.parametrize("new_status", ["active", "dropped", "completed"])
def test_a_completed_enrolment_cannot_be_changed(admin_client, completed, new_status):
    response = admin_client.put(url(completed), {"status": new_status})

    assert response.status_code == 422
    assert response.json()["error"]["code"] == "VALIDATION_ERROR"
    assert response.json()["error"]["details"][0]["field"] == "status"
    assert status_of(completed) == "completed"


def test_learner_cannot_drop_a_completed_enrolment(learner_client, completed):
    response = learner_client.patch(url(completed), {"status": "dropped"})

    assert response.status_code == 422
    assert "final" in response.json()["error"]["details"][0]["issue"]
    assert status_of(completed) == "completed"


def test_unknown_status_returns_422(admin_client, enrollment):
    response = admin_client.patch(url(enrollment), {"status": "paused"})

    assert response.status_code == 422
    error = response.json()["error"]
    assert error["code"] == "VALIDATION_ERROR"
    assert error["details"] == [
        {
            "field": "status",
            "issue": 'Must be "active" or "dropped"; "completed" is set by the system when the '
            "learner has passed every assessment of the course.",
        }
    ]
    assert status_of(enrollment) == "active"


@pytest.mark.parametrize("method", ["put", "patch"])
def test_learner_cannot_set_progress_completion_user_or_course(
    learner_client, enrollment, learner, course, other_learner, method
):
    body = {
        "status": "active",
        "progress_percent": 100,
        "completed_at": "2026-01-01T00:00:00Z",
        "user_id": other_learner.id,
        "course_id": CourseFactory().id,
    }

    response = getattr(learner_client, method)(url(enrollment), body)

    assert response.status_code == 200
    data = response.json()["data"]
    assert (data["progress_percent"], data["completed_at"]) == (0, None)
    assert (data["user_id"], data["course_id"], data["status"]) == (learner.id, course.id, "active")
    enrollment.refresh_from_db()
    assert enrollment.progress_percent == 0 and enrollment.completed_at is None
    assert (enrollment.user_id, enrollment.course_id) == (learner.id, course.id)


def test_user_and_course_cannot_be_moved(admin_client, enrollment, learner, course):
    other_course = CourseFactory()

    response = admin_client.patch(url(enrollment), {"course_id": other_course.id})

    assert response.status_code == 200
    enrollment.refresh_from_db()
    assert enrollment.course == course and enrollment.user == learner


@pytest.mark.parametrize("live", [Enrollment.Status.ACTIVE, Enrollment.Status.COMPLETED])
def test_reactivating_while_another_enrolment_is_live_returns_409(
    learner_client, learner, course, live
):
    dropped = EnrollmentFactory(user=learner, course=course, status=Enrollment.Status.DROPPED)
    EnrollmentFactory(user=learner, course=course, status=live)

    response = learner_client.patch(url(dropped), {"status": "active"})

    assert response.status_code == 409
    assert response.json()["error"]["code"] == "ALREADY_ENROLLED"
    assert status_of(dropped) == "dropped"


def test_database_constraint_decides_a_reactivation_the_check_missed(
    monkeypatch, instructor, learner, course
):
    dropped = EnrollmentFactory(user=learner, course=course, status=Enrollment.Status.DROPPED)
    EnrollmentFactory(user=learner, course=course)
    monkeypatch.setattr(services, "enrollment_status_check", lambda **kwargs: None)

    with pytest.raises(AlreadyEnrolled):
        services.enrollment_update(actor=instructor, enrollment=dropped, status="active")

    assert status_of(dropped) == "dropped"


def test_reactivating_for_a_user_who_is_no_longer_a_learner_returns_422(
    admin_client, learner, course
):
    dropped = EnrollmentFactory(user=learner, course=course, status=Enrollment.Status.DROPPED)
    user_update(user=learner, role=Role.INSTRUCTOR)

    response = admin_client.patch(url(dropped), {"status": "active"})

    assert response.status_code == 422
    assert response.json()["error"]["details"] == [
        {"field": "status", "issue": "Only users with the learner role can be enrolled."}
    ]
    assert status_of(dropped) == "dropped"


def test_stale_enrolment_keeps_progress_recorded_meanwhile(instructor, enrollment):
    stale = Enrollment.objects.get(pk=enrollment.pk)
    Enrollment.objects.filter(pk=enrollment.pk).update(progress_percent=Decimal("50"))

    saved = services.enrollment_update(actor=instructor, enrollment=stale, status="dropped")

    enrollment.refresh_from_db()
    assert (enrollment.status, enrollment.progress_percent) == ("dropped", Decimal("50"))
    assert saved.progress_percent == Decimal("50")


def test_updating_an_enrolment_deleted_meanwhile_returns_not_found(instructor, enrollment):
    Enrollment.objects.filter(pk=enrollment.pk).delete()

    with pytest.raises(NotFound):
        services.enrollment_update(actor=instructor, enrollment=enrollment, status="dropped")


# --- DELETE -------------------------------------------------------------------------------------


def test_anonymous_delete_returns_401(anon_client, enrollment):
    assert anon_client.delete(url(enrollment)).status_code == 401
    assert Enrollment.objects.filter(pk=enrollment.pk).exists()


def test_other_learner_delete_returns_404(other_learner_client, enrollment):
    assert other_learner_client.delete(url(enrollment)).status_code == 404


def test_other_instructor_delete_returns_404(other_instructor_client, enrollment):
    assert other_instructor_client.delete(url(enrollment)).status_code == 404
    assert Enrollment.objects.filter(pk=enrollment.pk).exists()


def test_learner_deleting_their_own_enrolment_returns_403(learner_client, enrollment):
    response = learner_client.delete(url(enrollment))

    assert response.status_code == 403
    assert "dropped" in response.json()["error"]["message"]
    assert Enrollment.objects.filter(pk=enrollment.pk).exists()


@pytest.mark.parametrize("client_name", ["instructor_client", "admin_client"])
def test_staff_delete_an_enrolment_without_submissions(request, client_name, enrollment):
    response = request.getfixturevalue(client_name).delete(url(enrollment))

    assert response.status_code == 204
    assert not Enrollment.objects.filter(pk=enrollment.pk).exists()


def test_delete_of_an_enrolment_with_submissions_returns_409(
    admin_client, enrollment, learner, course
):
    SubmissionFactory(user=learner, assessment__course=course)

    response = admin_client.delete(url(enrollment))

    assert response.status_code == 409
    assert response.json()["error"]["code"] == "RESOURCE_IN_USE"
    assert Enrollment.objects.filter(pk=enrollment.pk).exists()


def test_submissions_in_another_course_do_not_block_the_delete(admin_client, enrollment, learner):
    SubmissionFactory(user=learner, assessment__course=CourseFactory())

    assert admin_client.delete(url(enrollment)).status_code == 204


def test_reactivating_a_dropped_enrolment_of_a_deactivated_learner_returns_422(
    admin_client, learner
):
    from accounts.services import user_update
    from tests.enrollments.factories import EnrollmentFactory

    enrollment = EnrollmentFactory(user=learner, status="dropped")
    user_update(user=learner, is_active=False)

    response = admin_client.patch(f"/api/v1/enrollments/{enrollment.pk}", {"status": "active"})

    assert response.status_code == 422
    assert response.json()["error"]["details"] == [
        {"field": "status", "issue": "This user is deactivated."}
    ]
    enrollment.refresh_from_db()
    assert enrollment.status == "dropped"
