"""The enrolment admin: instructors reach only the enrolments of the courses they teach, and the
admin keeps the services' rules."""

import pytest
from django.urls import reverse

from accounts.models import Role
from accounts.services import user_update
from enrollments.models import Enrollment
from tests.accounts.factories import InstructorFactory, LearnerFactory
from tests.assessments.factories import SubmissionFactory
from tests.common.admin import (
    admin_form,
    admin_url,
    changelist_rows,
    form_errors,
    get_query_count,
    messages_of,
)
from tests.courses.factories import CourseFactory
from tests.enrollments.factories import EnrollmentFactory

CHANGELIST = reverse("admin:enrollments_enrollment_changelist")
ADD = reverse("admin:enrollments_enrollment_add")


@pytest.fixture
def own_course(instructor):
    return CourseFactory(instructor=instructor, title="Own course")


@pytest.fixture
def other_course(other_instructor):
    return CourseFactory(instructor=other_instructor, title="Someone else's course")


@pytest.fixture
def own(own_course, learner):
    return EnrollmentFactory(course=own_course, user=learner)


@pytest.fixture
def others(other_course, learner):
    return EnrollmentFactory(course=other_course, user=learner)


def test_instructor_changelist_lists_only_their_courses_enrolments(instructor_browser, own, others):
    response = instructor_browser.get(CHANGELIST)

    assert response.status_code == 200
    assert changelist_rows(response) == [own]
    assert "Someone else" not in response.content.decode()  # not even in the course filter


@pytest.mark.parametrize("action", ["change", "delete", "history"])
def test_instructor_reaching_another_courses_enrolment_is_told_it_does_not_exist(
    instructor_browser, others, action
):
    response = instructor_browser.get(admin_url(f"enrollments_enrollment_{action}", others))

    assert response.status_code == 302
    assert response["Location"] == reverse("admin:index")
    assert messages_of(response) == [
        f"enrollment with ID \u201c{others.pk}\u201d doesn\u2019t exist. Perhaps it was deleted?"
    ]


def test_instructor_cannot_drop_another_courses_enrolment_by_post(instructor_browser, others):
    response = instructor_browser.post(
        admin_url("enrollments_enrollment_change", others), {"status": "dropped"}
    )

    assert response.status_code == 302
    others.refresh_from_db()
    assert others.status == "active"


def test_instructor_cannot_delete_another_courses_enrolment_by_post(instructor_browser, others):
    instructor_browser.post(admin_url("enrollments_enrollment_delete", others), {"post": "yes"})

    assert Enrollment.objects.filter(pk=others.pk).exists()


def test_instructor_drops_an_enrolment_of_their_course(instructor_browser, own):
    assert (
        instructor_browser.get(admin_url("enrollments_enrollment_change", own)).status_code == 200
    )

    response = instructor_browser.post(
        admin_url("enrollments_enrollment_change", own), {"status": "dropped"}
    )

    assert response.status_code == 302
    own.refresh_from_db()
    assert own.status == "dropped"


def test_status_choices_are_active_and_dropped(instructor_browser, own):
    form = admin_form(instructor_browser.get(admin_url("enrollments_enrollment_change", own)))

    assert [value for value, _ in form.fields["status"].choices] == ["active", "dropped"]


def test_completed_enrolment_is_read_only(instructor_browser, own_course, other_learner):
    completed = EnrollmentFactory(
        course=own_course, user=other_learner, status=Enrollment.Status.COMPLETED
    )

    response = instructor_browser.get(admin_url("enrollments_enrollment_change", completed))
    assert "status" not in admin_form(response).fields

    response = instructor_browser.post(
        admin_url("enrollments_enrollment_change", completed), {"status": "dropped"}
    )
    assert response.status_code == 302
    completed.refresh_from_db()
    assert completed.status == "completed"


def test_reactivating_beside_a_live_enrolment_is_refused(
    instructor_browser, own, own_course, learner
):
    dropped = EnrollmentFactory(course=own_course, user=learner, status=Enrollment.Status.DROPPED)

    response = instructor_browser.post(
        admin_url("enrollments_enrollment_change", dropped), {"status": "active"}
    )

    assert response.status_code == 200
    assert form_errors(response)["__all__"] == [
        "This learner already has an active or completed enrolment in this course."
    ]
    dropped.refresh_from_db()
    assert dropped.status == "dropped"


def test_instructor_enrols_a_learner_in_their_course(instructor_browser, own_course, other_learner):
    response = instructor_browser.post(ADD, {"user": other_learner.pk, "course": own_course.pk})

    assert response.status_code == 302
    enrollment = Enrollment.objects.get(user=other_learner)
    assert enrollment.course == own_course and enrollment.status == "active"


def test_add_form_offers_instructors_only_their_courses_and_only_learners(
    instructor_browser, own_course, other_course, instructor, learner
):
    form = admin_form(instructor_browser.get(ADD))

    assert list(form.fields["course"].queryset) == [own_course]
    assert list(form.fields["user"].queryset) == [learner]


def test_instructor_cannot_enrol_into_another_course(
    instructor_browser, other_course, other_learner
):
    response = instructor_browser.post(ADD, {"user": other_learner.pk, "course": other_course.pk})

    assert response.status_code == 200
    assert "course" in form_errors(response)
    assert not Enrollment.objects.exists()


def test_enrolling_a_non_learner_is_refused(admin_browser, own_course):
    teacher = InstructorFactory()

    response = admin_browser.post(ADD, {"user": teacher.pk, "course": own_course.pk})

    assert response.status_code == 200
    assert "user" in form_errors(response)
    assert not Enrollment.objects.exists()


def test_a_second_live_enrolment_is_refused(admin_browser, own, own_course, learner):
    response = admin_browser.post(ADD, {"user": learner.pk, "course": own_course.pk})

    assert response.status_code == 200
    assert form_errors(response)["__all__"] == [
        "This learner already has an active or completed enrolment in this course."
    ]
    assert Enrollment.objects.filter(user=learner, course=own_course).count() == 1


def test_instructor_deletes_an_enrolment_without_submissions(instructor_browser, own):
    response = instructor_browser.post(
        admin_url("enrollments_enrollment_delete", own), {"post": "yes"}
    )

    assert response.status_code == 302
    assert not Enrollment.objects.filter(pk=own.pk).exists()


def test_enrolment_with_submissions_cannot_be_deleted(admin_browser, own, own_course, learner):
    SubmissionFactory(user=learner, assessment__course=own_course)

    response = admin_browser.post(admin_url("enrollments_enrollment_delete", own), {"post": "yes"})

    assert response.status_code == 403
    assert Enrollment.objects.filter(pk=own.pk).exists()


def test_admin_sees_every_enrolment(admin_browser, own, others):
    response = admin_browser.get(CHANGELIST)

    assert {e.pk for e in changelist_rows(response)} == {own.pk, others.pk}
    assert admin_browser.get(admin_url("enrollments_enrollment_change", others)).status_code == 200


@pytest.mark.parametrize("persona", ["admin", "instructor"])
def test_changelist_query_count_does_not_grow_with_enrolments(db, client, request, persona):
    user = request.getfixturevalue(persona)
    instructor = user if persona == "instructor" else InstructorFactory()
    client.force_login(user)
    course = CourseFactory(instructor=instructor)
    EnrollmentFactory.create_batch(3, course=course)
    few = get_query_count(client, CHANGELIST)

    for course in CourseFactory.create_batch(10, instructor=instructor):
        for _ in range(4):
            EnrollmentFactory(course=course, user=LearnerFactory())
    many = get_query_count(client, CHANGELIST)

    assert many == few


def test_reactivating_for_a_user_who_is_no_longer_a_learner_is_refused(
    instructor_browser, own_course, learner
):
    dropped = EnrollmentFactory(course=own_course, user=learner, status=Enrollment.Status.DROPPED)
    user_update(user=learner, role=Role.INSTRUCTOR)

    response = instructor_browser.post(
        admin_url("enrollments_enrollment_change", dropped), {"status": "active"}
    )

    assert response.status_code == 200
    assert form_errors(response)["status"] == ["Only users with the learner role can be enrolled."]
    dropped.refresh_from_db()
    assert dropped.status == "dropped"
