"""The course admin: instructors reach only the courses they teach, through every admin URL."""

import pytest
from django.contrib.admin.utils import quote
from django.contrib.messages import get_messages
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from assessments.models import Attempt, Submission
from courses.errors import CourseInUse
from courses.models import Course
from tests.accounts.factories import InstructorFactory
from tests.assessments.factories import AssessmentFactory, SubmissionFactory
from tests.courses.factories import CourseFactory
from tests.enrollments.factories import EnrollmentFactory, while_deleting

CHANGELIST = reverse("admin:courses_course_changelist")
ADD = reverse("admin:courses_course_add")


def admin_url(action: str, course: Course) -> str:
    return reverse(f"admin:courses_course_{action}", args=[quote(course.pk)])


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


@pytest.fixture
def as_instructor(client, instructor):
    client.force_login(instructor)
    return client


@pytest.fixture
def as_admin(client, admin):
    client.force_login(admin)
    return client


def listed(response) -> list[Course]:
    return list(response.context["cl"].result_list)


def test_anonymous_is_sent_to_the_admin_login(client, own):
    response = client.get(CHANGELIST)

    assert response.status_code == 302
    assert response["Location"].startswith(reverse("admin:login"))


def test_learner_cannot_use_the_admin(client, learner, own):
    client.force_login(learner)

    response = client.get(admin_url("change", own))

    assert response.status_code == 302
    assert response["Location"].startswith(reverse("admin:login"))


def test_instructor_changelist_lists_only_their_courses(as_instructor, own, others):
    response = as_instructor.get(CHANGELIST)

    assert response.status_code == 200
    assert listed(response) == [own]
    assert others.title not in response.content.decode()


def test_instructor_search_does_not_reach_other_courses(as_instructor, own, others):
    response = as_instructor.get(CHANGELIST, {"q": "Someone"})

    assert listed(response) == []


@pytest.mark.parametrize("action", ["change", "delete", "history"])
def test_instructor_reaching_another_instructors_course_is_told_it_does_not_exist(
    as_instructor, others, action
):
    response = as_instructor.get(admin_url(action, others))

    assert response.status_code == 302
    assert response["Location"] == reverse("admin:index")
    assert [str(m) for m in get_messages(response.wsgi_request)] == [
        f"course with ID \u201c{others.pk}\u201d doesn\u2019t exist. Perhaps it was deleted?"
    ]


def test_instructor_cannot_change_another_instructors_course_by_post(as_instructor, others):
    response = as_instructor.post(admin_url("change", others), form_data(title="Taken over"))

    assert response.status_code == 302
    assert response["Location"] == reverse("admin:index")
    others.refresh_from_db()
    assert others.title == "Someone else's course"


def test_instructor_cannot_delete_another_instructors_course_by_post(as_instructor, others):
    response = as_instructor.post(admin_url("delete", others), {"post": "yes"})

    assert response.status_code == 302
    assert Course.objects.filter(pk=others.pk).exists()


def test_instructor_sees_and_changes_their_own_course(as_instructor, own, instructor):
    assert as_instructor.get(admin_url("change", own)).status_code == 200
    assert as_instructor.get(admin_url("history", own)).status_code == 200

    response = as_instructor.post(
        admin_url("change", own), form_data(title="Renamed", instructor=instructor.pk)
    )

    assert response.status_code == 302
    assert response["Location"] == CHANGELIST
    own.refresh_from_db()
    assert own.title == "Renamed" and own.instructor == instructor


def test_instructor_field_offers_instructors_only_themselves(as_instructor, instructor):
    response = as_instructor.get(ADD)

    field = response.context["adminform"].form.fields["instructor"]
    assert list(field.queryset) == [instructor]
    assert response.context["adminform"].form.initial["instructor"] == instructor.pk


def test_instructor_adds_a_course_they_teach(as_instructor, instructor):
    response = as_instructor.post(ADD, form_data(instructor=instructor.pk))

    assert response.status_code == 302
    course = Course.objects.get()
    assert course.instructor == instructor and course.title == "Statistics"


def test_instructor_cannot_add_a_course_for_someone_else(as_instructor, other_instructor):
    response = as_instructor.post(ADD, form_data(instructor=other_instructor.pk))

    assert response.status_code == 200
    assert "instructor" in response.context["adminform"].form.errors
    assert not Course.objects.exists()


def test_admin_keeps_the_title_rule(as_admin, instructor):
    response = as_admin.post(ADD, form_data(title="ab", instructor=instructor.pk))

    assert response.status_code == 200
    assert response.context["adminform"].form.errors["title"] == [
        "Must be between 3 and 200 characters."
    ]
    assert not Course.objects.exists()


def test_admin_sees_every_course(as_admin, own, others):
    response = as_admin.get(CHANGELIST)

    assert {course.pk for course in listed(response)} == {own.pk, others.pk}
    assert as_admin.get(admin_url("change", others)).status_code == 200


def test_admin_picks_any_active_instructor(as_admin, instructor, other_instructor, learner):
    InstructorFactory(is_active=False)

    field = as_admin.get(ADD).context["adminform"].form.fields["instructor"]

    assert set(field.queryset) == {instructor, other_instructor}


def test_admin_hands_a_course_over(as_admin, own, other_instructor):
    response = as_admin.post(admin_url("change", own), form_data(instructor=other_instructor.pk))

    assert response.status_code == 302
    own.refresh_from_db()
    assert own.instructor == other_instructor


def test_admin_cannot_make_a_learner_the_instructor(as_admin, own, learner, instructor):
    response = as_admin.post(admin_url("change", own), form_data(instructor=learner.pk))

    assert response.status_code == 200
    own.refresh_from_db()
    assert own.instructor == instructor


def test_admin_delete_of_a_course_with_submissions_is_refused(as_admin, own, learner):
    EnrollmentFactory(course=own, user=learner)
    SubmissionFactory(user=learner, assessment__course=own)

    response = as_admin.post(admin_url("delete", own), {"post": "yes"})

    assert response.status_code == 200  # Django's "Cannot delete course" page
    assert response.context["title"] == "Cannot delete course"
    assert response.context["protected"]
    assert Course.objects.filter(pk=own.pk).exists()


def test_instructor_deletes_their_own_course(as_instructor, own):
    response = as_instructor.post(admin_url("delete", own), {"post": "yes"})

    assert response.status_code == 302
    assert not Course.objects.filter(pk=own.pk).exists()


def test_instructor_deletes_their_course_with_assessments_and_attempts(as_instructor, own, learner):
    submission = SubmissionFactory(user=learner, assessment__course=own)
    Submission.objects.filter(pk=submission.pk).delete()  # an attempt without a submission

    response = as_instructor.post(admin_url("delete", own), {"post": "yes"})

    assert response.status_code == 302
    assert not Course.objects.filter(pk=own.pk).exists()
    assert not Attempt.objects.exists()


def test_changelist_shows_enrollment_counts(as_admin, own):
    EnrollmentFactory.create_batch(2, course=own)

    response = as_admin.get(CHANGELIST)

    assert [course.enrollment_count for course in listed(response)] == [2]


def count_changelist_queries(client) -> int:
    with CaptureQueriesContext(connection) as queries:
        response = client.get(CHANGELIST)
    assert response.status_code == 200
    return len(queries)


@pytest.mark.parametrize("persona", ["admin", "instructor"])
def test_changelist_query_count_does_not_grow_with_courses(db, client, request, persona):
    user = request.getfixturevalue(persona)
    instructor = user if persona == "instructor" else InstructorFactory()
    client.force_login(user)
    for course in CourseFactory.create_batch(3, instructor=instructor):
        EnrollmentFactory(course=course)
    few = count_changelist_queries(client)

    for course in CourseFactory.create_batch(40, instructor=instructor):
        EnrollmentFactory(course=course)
    many = count_changelist_queries(client)

    assert many == few


def test_admin_delete_refused_by_a_submission_stored_meanwhile_shows_the_refusal(
    as_admin, own, learner
):
    EnrollmentFactory(course=own, user=learner)
    assessment = AssessmentFactory(course=own, questions=1)
    submit = lambda _: SubmissionFactory(user=learner, assessment=assessment)  # noqa: E731

    with while_deleting(Course, submit):
        response = as_admin.post(admin_url("delete", own), {"post": "yes"})

    assert response.status_code == 302
    assert response["Location"] == admin_url("delete", own)
    assert [str(m) for m in get_messages(response.wsgi_request)] == [CourseInUse.message]
    assert Course.objects.filter(pk=own.pk).exists()


def test_admin_stores_the_category_key(as_admin, instructor):
    response = as_admin.post(ADD, form_data(category=" Ünïcode ", instructor=instructor.pk))

    assert response.status_code == 302
    course = Course.objects.get()
    assert (course.category, course.category_key) == ("Ünïcode", "ünïcode")
