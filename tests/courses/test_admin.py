"""The course admin: instructors reach only the courses they teach, through every admin URL."""

import pytest
from django.urls import reverse

from assessments.models import Attempt, Submission
from courses.errors import CourseInUse
from courses.models import Course
from tests.accounts.factories import InstructorFactory
from tests.assessments.factories import AssessmentFactory, SubmissionFactory
from tests.common.admin import (
    admin_form,
    admin_url,
    changelist_rows,
    form_errors,
    get_query_count,
    messages_of,
)
from tests.courses.factories import CourseFactory
from tests.enrollments.factories import EnrollmentFactory, while_deleting

CHANGELIST = reverse("admin:courses_course_changelist")
ADD = reverse("admin:courses_course_add")


def form_data(**fields) -> dict:
    data = {"title": "Statistics", "description": "", "category": "Data", "status": "draft"}
    data.update(fields)
    return data


@pytest.fixture
def own(instructor):
    return CourseFactory(instructor=instructor, title="Own course")


@pytest.fixture
def others(other_instructor):
    return CourseFactory(instructor=other_instructor, title="Someone else's course")


def test_anonymous_is_sent_to_the_admin_login(client, own):
    response = client.get(CHANGELIST)

    assert response.status_code == 302
    assert response["Location"].startswith(reverse("admin:login"))


def test_learner_cannot_use_the_admin(client, learner, own):
    client.force_login(learner)

    response = client.get(admin_url("courses_course_change", own))

    assert response.status_code == 302
    assert response["Location"].startswith(reverse("admin:login"))


def test_instructor_changelist_lists_only_their_courses(instructor_browser, own, others):
    response = instructor_browser.get(CHANGELIST)

    assert response.status_code == 200
    assert changelist_rows(response) == [own]
    assert others.title not in response.content.decode()


def test_instructor_search_does_not_reach_other_courses(instructor_browser, own, others):
    response = instructor_browser.get(CHANGELIST, {"q": "Someone"})

    assert changelist_rows(response) == []


@pytest.mark.parametrize("action", ["change", "delete", "history"])
def test_instructor_reaching_another_instructors_course_is_told_it_does_not_exist(
    instructor_browser, others, action
):
    response = instructor_browser.get(admin_url(f"courses_course_{action}", others))

    assert response.status_code == 302
    assert response["Location"] == reverse("admin:index")
    assert messages_of(response) == [
        f"course with ID \u201c{others.pk}\u201d doesn\u2019t exist. Perhaps it was deleted?"
    ]


def test_instructor_cannot_change_another_instructors_course_by_post(instructor_browser, others):
    response = instructor_browser.post(
        admin_url("courses_course_change", others), form_data(title="Taken over")
    )

    assert response.status_code == 302
    assert response["Location"] == reverse("admin:index")
    others.refresh_from_db()
    assert others.title == "Someone else's course"


def test_instructor_cannot_delete_another_instructors_course_by_post(instructor_browser, others):
    response = instructor_browser.post(admin_url("courses_course_delete", others), {"post": "yes"})

    assert response.status_code == 302
    assert Course.objects.filter(pk=others.pk).exists()


def test_instructor_sees_and_changes_their_own_course(instructor_browser, own, instructor):
    assert instructor_browser.get(admin_url("courses_course_change", own)).status_code == 200
    assert instructor_browser.get(admin_url("courses_course_history", own)).status_code == 200

    response = instructor_browser.post(
        admin_url("courses_course_change", own),
        form_data(title="Renamed", instructor=instructor.pk),
    )

    assert response.status_code == 302
    assert response["Location"] == CHANGELIST
    own.refresh_from_db()
    assert own.title == "Renamed" and own.instructor == instructor


def test_instructor_field_offers_instructors_only_themselves(instructor_browser, instructor):
    response = instructor_browser.get(ADD)

    field = admin_form(response).fields["instructor"]
    assert list(field.queryset) == [instructor]
    assert admin_form(response).initial["instructor"] == instructor.pk


def test_instructor_adds_a_course_they_teach(instructor_browser, instructor):
    response = instructor_browser.post(ADD, form_data(instructor=instructor.pk))

    assert response.status_code == 302
    course = Course.objects.get()
    assert course.instructor == instructor and course.title == "Statistics"


def test_instructor_cannot_add_a_course_for_someone_else(instructor_browser, other_instructor):
    response = instructor_browser.post(ADD, form_data(instructor=other_instructor.pk))

    assert response.status_code == 200
    assert "instructor" in form_errors(response)
    assert not Course.objects.exists()


def test_admin_keeps_the_title_rule(admin_browser, instructor):
    response = admin_browser.post(ADD, form_data(title="ab", instructor=instructor.pk))

    assert response.status_code == 200
    assert form_errors(response)["title"] == ["Must be between 3 and 200 characters."]
    assert not Course.objects.exists()


def test_admin_sees_every_course(admin_browser, own, others):
    response = admin_browser.get(CHANGELIST)

    assert {course.pk for course in changelist_rows(response)} == {own.pk, others.pk}
    assert admin_browser.get(admin_url("courses_course_change", others)).status_code == 200


def test_admin_picks_any_active_instructor(admin_browser, instructor, other_instructor, learner):
    InstructorFactory(is_active=False)

    field = admin_form(admin_browser.get(ADD)).fields["instructor"]

    assert set(field.queryset) == {instructor, other_instructor}


def test_admin_hands_a_course_over(admin_browser, own, other_instructor):
    response = admin_browser.post(
        admin_url("courses_course_change", own), form_data(instructor=other_instructor.pk)
    )

    assert response.status_code == 302
    own.refresh_from_db()
    assert own.instructor == other_instructor


def test_admin_cannot_make_a_learner_the_instructor(admin_browser, own, learner, instructor):
    response = admin_browser.post(
        admin_url("courses_course_change", own), form_data(instructor=learner.pk)
    )

    assert response.status_code == 200
    own.refresh_from_db()
    assert own.instructor == instructor


def test_admin_delete_of_a_course_with_submissions_is_refused(admin_browser, own, learner):
    EnrollmentFactory(course=own, user=learner)
    SubmissionFactory(user=learner, assessment__course=own)

    response = admin_browser.post(admin_url("courses_course_delete", own), {"post": "yes"})

    assert response.status_code == 200  # Django's "Cannot delete course" page
    assert response.context["title"] == "Cannot delete course"
    assert response.context["protected"]
    assert Course.objects.filter(pk=own.pk).exists()


def test_instructor_deletes_their_own_course(instructor_browser, own):
    response = instructor_browser.post(admin_url("courses_course_delete", own), {"post": "yes"})

    assert response.status_code == 302
    assert not Course.objects.filter(pk=own.pk).exists()


def test_instructor_deletes_their_course_with_assessments_and_attempts(
    instructor_browser, own, learner
):
    submission = SubmissionFactory(user=learner, assessment__course=own)
    Submission.objects.filter(pk=submission.pk).delete()  # an attempt without a submission

    response = instructor_browser.post(admin_url("courses_course_delete", own), {"post": "yes"})

    assert response.status_code == 302
    assert not Course.objects.filter(pk=own.pk).exists()
    assert not Attempt.objects.exists()


def test_changelist_shows_enrollment_counts(admin_browser, own):
    EnrollmentFactory.create_batch(2, course=own)

    response = admin_browser.get(CHANGELIST)

    assert [course.enrollment_count for course in changelist_rows(response)] == [2]


@pytest.mark.parametrize("persona", ["admin", "instructor"])
def test_changelist_query_count_does_not_grow_with_courses(db, client, request, persona):
    user = request.getfixturevalue(persona)
    instructor = user if persona == "instructor" else InstructorFactory()
    client.force_login(user)
    for course in CourseFactory.create_batch(3, instructor=instructor):
        EnrollmentFactory(course=course)
    few = get_query_count(client, CHANGELIST)

    for course in CourseFactory.create_batch(40, instructor=instructor):
        EnrollmentFactory(course=course)
    many = get_query_count(client, CHANGELIST)

    assert many == few


def test_admin_delete_refused_by_a_submission_stored_meanwhile_shows_the_refusal(
    admin_browser, own, learner
):
    EnrollmentFactory(course=own, user=learner)
    assessment = AssessmentFactory(course=own, questions=1)
    submit = lambda _: SubmissionFactory(user=learner, assessment=assessment)  # noqa: E731

    with while_deleting(Course, submit):
        response = admin_browser.post(admin_url("courses_course_delete", own), {"post": "yes"})

    assert response.status_code == 302
    assert response["Location"] == admin_url("courses_course_delete", own)
    assert messages_of(response) == [CourseInUse.message]
    assert Course.objects.filter(pk=own.pk).exists()


def test_admin_stores_the_category_key(admin_browser, instructor):
    response = admin_browser.post(ADD, form_data(category=" Ünïcode ", instructor=instructor.pk))

    assert response.status_code == 302
    course = Course.objects.get()
    assert (course.category, course.category_key) == ("Ünïcode", "ünïcode")
