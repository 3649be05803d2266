"""Concurrent enrolments of one learner in one course: the database's partial unique constraint
lets exactly one through, whatever the timing. And a delete that races a submission."""

import threading

import pytest
from django.db import transaction

from accounts.services import login_start
from assessments.models import Submission
from enrollments import services
from enrollments.errors import AlreadyEnrolled, EnrollmentInUse
from enrollments.models import Enrollment
from tests.accounts.factories import InstructorFactory, LearnerFactory
from tests.assessments.factories import AssessmentFactory, SubmissionFactory
from tests.common.concurrency import run_together, wait_for_lock_waiters
from tests.courses.factories import CourseFactory

pytestmark = [pytest.mark.postgres, pytest.mark.django_db(transaction=True)]


def test_two_concurrent_api_enrolments_create_exactly_one():
    from rest_framework.test import APIClient

    learner = LearnerFactory()
    course = CourseFactory(instructor=InstructorFactory())
    clients = []
    for _ in range(2):
        client = APIClient()
        client.credentials(HTTP_AUTHORIZATION=f"Bearer {login_start(user=learner).access_token}")
        clients.append(client)

    responses = run_together(
        [lambda c=c: c.post("/api/v1/enrollments", {"course_id": course.id}) for c in clients]
    )

    assert sorted(response.status_code for response in responses) == [201, 409]
    conflict = next(response for response in responses if response.status_code == 409)
    assert conflict.json()["error"]["code"] == "ALREADY_ENROLLED"
    assert Enrollment.objects.filter(user=learner, course=course).count() == 1


def test_many_concurrent_service_enrolments_create_exactly_one():
    instructor = InstructorFactory()
    learner = LearnerFactory()
    course = CourseFactory(instructor=instructor)

    outcomes = run_together(
        [
            lambda: services.enrollment_create(actor=instructor, course=course, user=learner)
            for _ in range(8)
        ]
    )

    created = [o for o in outcomes if isinstance(o, Enrollment)]
    refused = [o for o in outcomes if isinstance(o, AlreadyEnrolled)]
    assert len(created) == 1 and len(refused) == 7, outcomes
    assert Enrollment.objects.filter(user=learner, course=course).count() == 1


def test_concurrent_reactivations_of_two_dropped_enrolments_leave_one_live():
    instructor = InstructorFactory()
    learner = LearnerFactory()
    course = CourseFactory(instructor=instructor)
    dropped = [
        Enrollment.objects.create(user=learner, course=course, status=Enrollment.Status.DROPPED)
        for _ in range(2)
    ]

    outcomes = run_together(
        [
            lambda e=e: services.enrollment_update(actor=instructor, enrollment=e, status="active")
            for e in dropped
        ]
    )

    assert sorted(type(o).__name__ for o in outcomes) == ["AlreadyEnrolled", "Enrollment"]
    live = Enrollment.objects.filter(user=learner, course=course, status="active")
    assert live.count() == 1


def test_delete_during_a_submission_waits_for_it_and_is_refused():
    """Nothing refers to an enrolment, so no foreign key guards its delete: the row lock does.
    Submitting locks the learner's live enrolment (`assessments.taking`), and so does the
    delete, which then sees the submission."""
    instructor = InstructorFactory()
    learner = LearnerFactory()
    course = CourseFactory(instructor=instructor)
    enrollment = Enrollment.objects.create(user=learner, course=course)
    assessment = AssessmentFactory(course=course, questions=1)
    submitting = threading.Event()

    def submit() -> object:
        with transaction.atomic():
            Enrollment.objects.select_for_update().filter(pk=enrollment.pk).first()
            submitting.set()
            wait_for_lock_waiters(1)  # the delete waits for the enrolment's lock
            return SubmissionFactory(user=learner, assessment=assessment)

    def delete() -> object:
        assert submitting.wait(5)
        return services.enrollment_delete(enrollment=enrollment)

    outcomes = run_together([submit, delete])

    assert isinstance(outcomes[0], Submission), outcomes
    assert isinstance(outcomes[1], EnrollmentInUse), outcomes
    assert Enrollment.objects.filter(pk=enrollment.pk).exists()
