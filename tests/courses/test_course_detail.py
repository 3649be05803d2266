import pytest
from django.db import IntegrityError

from common.errors import NotFound
from courses import services
from courses.errors import CourseInUse
from courses.models import Course
from enrollments.models import Enrollment
from tests.accounts.factories import InstructorFactory
from tests.assessments.factories import AssessmentFactory, SubmissionFactory
from tests.courses.factories import CourseFactory
from tests.enrollments.factories import EnrollmentFactory, while_deleting


def url(course_or_id) -> str:
    return f"/api/v1/courses/{getattr(course_or_id, 'id', course_or_id)}"


@pytest.fixture
def course(instructor):
    return CourseFactory(instructor=instructor, title="Statistics", category="Data")


@pytest.fixture
def draft(instructor):
    return CourseFactory(instructor=instructor, status=Course.Status.DRAFT)


# --- GET -------------------------------------------------------------------------------------


def test_anonymous_get_returns_401(anon_client, course):
    assert anon_client.get(url(course)).status_code == 401


def test_learner_gets_a_published_course(learner_client, course):
    response = learner_client.get(url(course))

    assert response.status_code == 200
    assert response.json()["data"]["id"] == course.id
    assert response.json()["meta"] is None


def test_learner_get_of_a_draft_course_returns_404(learner_client, draft):
    response = learner_client.get(url(draft))

    assert response.status_code == 404
    assert response.json()["error"]["code"] == "NOT_FOUND"


def test_other_instructor_get_returns_404(other_instructor_client, course):
    assert other_instructor_client.get(url(course)).status_code == 404


def test_owner_and_admin_get_a_draft_course(instructor_client, admin_client, draft):
    assert instructor_client.get(url(draft)).status_code == 200
    assert admin_client.get(url(draft)).status_code == 200


def test_unknown_course_returns_404(admin_client, db):
    assert admin_client.get(url("crs_doesnotexist")).status_code == 404


def test_detail_carries_the_enrollment_count(learner_client, course, django_assert_num_queries):
    EnrollmentFactory.create_batch(3, course=course)
    EnrollmentFactory(course=course, status=Enrollment.Status.DROPPED)

    with django_assert_num_queries(2):  # token, course with its count
        response = learner_client.get(url(course))

    assert response.json()["data"]["enrollment_count"] == 3


# --- PUT / PATCH ------------------------------------------------------------------------------


def test_anonymous_patch_returns_401(anon_client, course):
    assert anon_client.patch(url(course), {"title": "New"}).status_code == 401


def test_other_instructor_patch_returns_404(other_instructor_client, course):
    response = other_instructor_client.patch(url(course), {"title": "Taken over"})

    assert response.status_code == 404
    course.refresh_from_db()
    assert course.title == "Statistics"


def test_learner_patch_of_a_published_course_returns_403(learner_client, course):
    response = learner_client.patch(url(course), {"title": "Mine now"})

    assert response.status_code == 403
    course.refresh_from_db()
    assert course.title == "Statistics"


def test_learner_patch_of_a_draft_course_returns_404(learner_client, draft):
    assert learner_client.patch(url(draft), {"title": "Mine now"}).status_code == 404


def test_owner_patches_some_fields(instructor_client, course):
    response = instructor_client.patch(url(course), {"status": "draft", "category": "Maths"})

    assert response.status_code == 200
    body = response.json()["data"]
    assert body["status"] == "draft" and body["category"] == "Maths"
    assert body["title"] == "Statistics"
    course.refresh_from_db()
    assert course.status == "draft" and course.category == "Maths"


def test_owner_puts_the_course(instructor_client, course):
    response = instructor_client.put(
        url(course), {"title": "Statistics II", "description": "More.", "status": "published"}
    )

    assert response.status_code == 200
    assert response.json()["data"]["title"] == "Statistics II"
    assert response.json()["data"]["description"] == "More."


def test_put_without_title_returns_422(instructor_client, course):
    response = instructor_client.put(url(course), {"category": "Data"})

    assert response.status_code == 422
    assert [d["field"] for d in response.json()["error"]["details"]] == ["title"]


def test_patch_with_a_short_title_returns_422(instructor_client, course):
    response = instructor_client.patch(url(course), {"title": "ab"})

    assert response.status_code == 422
    course.refresh_from_db()
    assert course.title == "Statistics"


def test_update_reports_the_current_enrollment_count(instructor_client, course):
    EnrollmentFactory.create_batch(2, course=course)

    response = instructor_client.patch(url(course), {"title": "Statistics"})

    assert response.json()["data"]["enrollment_count"] == 2


def test_instructor_setting_another_instructor_returns_403(
    instructor_client, course, instructor, other_instructor
):
    response = instructor_client.patch(url(course), {"instructor_id": other_instructor.id})

    assert response.status_code == 403
    course.refresh_from_db()
    assert course.instructor == instructor


def test_instructor_repeating_their_own_id_is_fine(instructor_client, course, instructor):
    response = instructor_client.put(
        url(course), {"title": "Stats", "instructor_id": instructor.id}
    )

    assert response.status_code == 200


def test_admin_hands_a_course_to_another_instructor(admin_client, course, other_instructor):
    response = admin_client.patch(url(course), {"instructor_id": other_instructor.id})

    assert response.status_code == 200
    assert response.json()["data"]["instructor_id"] == other_instructor.id
    course.refresh_from_db()
    assert course.instructor == other_instructor


def test_admin_naming_a_learner_as_instructor_returns_422(admin_client, course, learner):
    response = admin_client.patch(url(course), {"instructor_id": learner.id})

    assert response.status_code == 422
    assert response.json()["error"]["details"][0]["field"] == "instructor_id"


def test_admin_may_keep_a_deactivated_instructor(admin_client):
    course = CourseFactory(instructor=InstructorFactory(is_active=False))

    response = admin_client.put(
        url(course), {"title": "Renamed", "instructor_id": course.instructor_id}
    )

    assert response.status_code == 200


# --- DELETE -----------------------------------------------------------------------------------


def test_anonymous_delete_returns_401(anon_client, course):
    assert anon_client.delete(url(course)).status_code == 401
    assert Course.objects.filter(pk=course.pk).exists()


def test_other_instructor_delete_returns_404(other_instructor_client, course):
    assert other_instructor_client.delete(url(course)).status_code == 404
    assert Course.objects.filter(pk=course.pk).exists()


def test_learner_delete_of_a_published_course_returns_403(learner_client, course):
    assert learner_client.delete(url(course)).status_code == 403
    assert Course.objects.filter(pk=course.pk).exists()


def test_learner_delete_of_a_draft_course_returns_404(learner_client, draft):
    assert learner_client.delete(url(draft)).status_code == 404


def test_owner_deletes_a_course_and_its_enrolments(instructor_client, course):
    enrollment = EnrollmentFactory(course=course)

    response = instructor_client.delete(url(course))

    assert response.status_code == 204
    assert response.content == b""
    assert not Course.objects.filter(pk=course.pk).exists()
    assert not Enrollment.objects.filter(pk=enrollment.pk).exists()


def test_admin_deletes_any_course(admin_client, course):
    assert admin_client.delete(url(course)).status_code == 204
    assert not Course.objects.filter(pk=course.pk).exists()


def test_delete_of_a_course_with_submissions_returns_409_resource_in_use(
    instructor_client, course, learner
):
    EnrollmentFactory(course=course, user=learner)
    SubmissionFactory(user=learner, assessment__course=course)

    response = instructor_client.delete(url(course))

    assert response.status_code == 409
    assert response.json()["error"]["code"] == "RESOURCE_IN_USE"
    assert Course.objects.filter(pk=course.pk).exists()
    assert course.enrollments.count() == 1
    assert course.assessments.count() == 1


# --- the service writes only what it is given ---------------------------------------------------


def test_stale_course_does_not_undo_a_status_change(instructor, course):
    stale = Course.objects.get(pk=course.pk)
    services.course_update(actor=instructor, course=course, status=Course.Status.DRAFT)

    saved = services.course_update(actor=instructor, course=stale, title="Statistics II")

    course.refresh_from_db()
    assert (course.title, course.status) == ("Statistics II", Course.Status.DRAFT)
    assert (saved.title, saved.status) == ("Statistics II", Course.Status.DRAFT)


def test_stale_course_does_not_undo_a_hand_over(admin, course, other_instructor):
    stale = Course.objects.get(pk=course.pk)
    services.course_update(actor=admin, course=course, instructor_id=other_instructor.pk)

    services.course_update(actor=admin, course=stale, category="Maths")

    course.refresh_from_db()
    assert (course.instructor_id, course.category) == (other_instructor.pk, "Maths")


def test_update_moves_updated_at_only_when_something_is_sent(instructor, course):
    before = Course.objects.get(pk=course.pk).updated_at

    services.course_update(actor=instructor, course=course)
    assert Course.objects.get(pk=course.pk).updated_at == before

    services.course_update(actor=instructor, course=course, description="New.")
    assert Course.objects.get(pk=course.pk).updated_at > before


def test_updating_a_course_deleted_meanwhile_returns_not_found(instructor, course):
    Course.objects.filter(pk=course.pk).delete()

    with pytest.raises(NotFound):
        services.course_update(actor=instructor, course=course, title="Ghost")


# --- a submission that arrives while the course is deleted -------------------------------------


@pytest.fixture
def submit_while_deleting(course, learner):
    """An assessment of the course, and a learner's submission of it stored while the course is
    being deleted, after Django's check for submissions."""
    EnrollmentFactory(course=course, user=learner)
    assessment = AssessmentFactory(course=course, questions=1)
    with while_deleting(Course, lambda _: SubmissionFactory(user=learner, assessment=assessment)):
        yield


def test_submission_stored_during_the_delete_returns_409_and_keeps_the_course(
    instructor_client, course, submit_while_deleting
):
    response = instructor_client.delete(url(course))

    assert response.status_code == 409
    assert response.json()["error"]["code"] == "RESOURCE_IN_USE"
    assert Course.objects.filter(pk=course.pk).exists()
    assert course.assessments.count() == 1 and course.enrollments.count() == 1


def test_submission_stored_during_the_delete_is_refused_by_the_database(
    course, submit_while_deleting
):
    with pytest.raises(CourseInUse) as refused:
        services.course_delete(course=course)

    # Django's PROTECT check passed; the database's foreign key refused the delete.
    assert isinstance(refused.value.__context__, IntegrityError)
    assert course.pk is not None
    assert Course.objects.filter(pk=course.pk).exists()
