"""Changing an assessment's time limit while learners are taking it (SPEC §5-§6).

Giving an untimed assessment a limit times the attempts in progress from the moment of the
change; changing or removing a limit leaves the deadlines already set.
"""

import threading
from datetime import timedelta

import pytest
from django.db import connection, transaction
from django.utils import timezone

from assessments import authoring, taking
from assessments.models import Assessment, Attempt
from enrollments.models import Enrollment
from tests.assessments.builders import (
    all_right,
    attempt_url,
    attempts_url,
    frozen_clock,
    quiz_for,
    submissions_url,
)
from tests.assessments.factories import enroll
from tests.common.admin import admin_url, browser, management_form
from tests.common.assertions import assert_error, assert_success
from tests.common.concurrency import wait_for_lock_waiters


def detail(assessment: Assessment) -> str:
    return f"/api/v1/assessments/{assessment.pk}"


def deadline_of(attempt_id: str):
    return Attempt.objects.get(pk=attempt_id).deadline_at


@pytest.fixture
def quiz(learner, instructor):
    return quiz_for(learner, instructor=instructor)


def test_setting_a_limit_times_the_attempts_in_progress_from_the_change(
    learner, learner_client, other_learner, other_learner_client, instructor_client, quiz
):
    enroll(other_learner, quiz.course)
    with frozen_clock() as clock:
        mine = assert_success(learner_client.post(attempts_url(quiz)), 201)
        theirs = assert_success(other_learner_client.post(attempts_url(quiz)), 201)
        done = assert_success(
            other_learner_client.post(submissions_url(quiz), {"answers": []}), 201
        )  # submits their attempt in progress
        theirs_again = assert_success(other_learner_client.post(attempts_url(quiz)), 201)
        assert mine["deadline_at"] is None
        clock.advance(minutes=5)
        changed_at = clock.now

        assert_success(instructor_client.patch(detail(quiz), {"time_limit_minutes": 20}))

        shown = assert_success(learner_client.get(attempt_url(quiz, mine["id"])))

    assert deadline_of(mine["id"]) == changed_at + timedelta(minutes=20)
    assert deadline_of(theirs_again["id"]) == changed_at + timedelta(minutes=20)
    assert shown["deadline_at"] is not None
    assert deadline_of(theirs["id"]) is None  # submitted before the change: left as it was
    assert done["attempt_id"] == theirs["id"]


def test_attempt_timed_by_the_change_expires_after_the_limit(
    learner, learner_client, admin_client, quiz
):
    with frozen_clock() as clock:
        started = assert_success(learner_client.post(attempts_url(quiz)), 201)
        assert_success(admin_client.patch(detail(quiz), {"time_limit_minutes": 10}))
        clock.advance(minutes=10, seconds=31)

        late = learner_client.post(
            submissions_url(quiz), {"answers": all_right(quiz), "attempt_id": started["id"]}
        )

    assert_error(late, 403, "TIME_LIMIT_EXCEEDED")
    assert Attempt.objects.get(pk=started["id"]).status == Attempt.Status.EXPIRED


def test_changing_an_existing_limit_keeps_the_deadlines_set_at_start(
    learner, learner_client, instructor_client, instructor
):
    timed = quiz_for(learner, instructor=instructor, time_limit_minutes=10)
    with frozen_clock() as clock:
        started = assert_success(learner_client.post(attempts_url(timed)), 201)
        deadline = deadline_of(started["id"])
        clock.advance(minutes=3)

        assert_success(instructor_client.patch(detail(timed), {"time_limit_minutes": 30}))

    assert deadline_of(started["id"]) == deadline


def test_removing_the_limit_keeps_the_deadlines_of_attempts_in_progress(
    learner, learner_client, instructor_client, instructor
):
    timed = quiz_for(learner, instructor=instructor, time_limit_minutes=10)
    with frozen_clock() as clock:
        started = assert_success(learner_client.post(attempts_url(timed)), 201)
        deadline = deadline_of(started["id"])
        clock.advance(minutes=3)

        assert_success(instructor_client.patch(detail(timed), {"time_limit_minutes": None}))
        later = assert_success(learner_client.post(attempts_url(timed)), 200)

    assert deadline_of(started["id"]) == deadline
    assert later["deadline_at"] is not None  # the same attempt, with its deadline


def test_setting_the_limit_in_the_admin_times_the_attempts_in_progress(
    learner, learner_client, instructor, quiz
):
    instructor_admin = browser(instructor)
    data = {
        "title": quiz.title,
        "passing_score": quiz.passing_score,
        "time_limit_minutes": 15,
        "max_attempts": "",
        "status": "published",
        "show_correct_answers": "never",
        **management_form("questions", 0),
    }
    with frozen_clock() as clock:
        started = assert_success(learner_client.post(attempts_url(quiz)), 201)
        clock.advance(minutes=2)
        changed_at = clock.now

        response = instructor_admin.post(admin_url("assessments_assessment_change", quiz), data)

    assert response.status_code == 302
    assert deadline_of(started["id"]) == changed_at + timedelta(minutes=15)


def test_a_start_that_read_the_assessment_before_the_limit_was_set_gets_the_limit(learner, quiz):
    stale = Assessment.objects.get(pk=quiz.pk)  # read while still untimed
    authoring.assessment_update(assessment=quiz, time_limit_minutes=5)

    with frozen_clock() as clock:
        attempt, created = taking.attempt_start(user=learner, assessment=stale)

    assert created
    assert attempt.deadline_at == clock.now + timedelta(minutes=5)


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_setting_a_limit_waits_for_a_start_in_flight_and_times_its_attempt(learner, quiz):
    """A start holds its learner's enrolment lock until it commits; setting a limit waits for
    it, then times the attempt it created."""
    enrollment = Enrollment.objects.get(user=learner, course=quiz.course)
    finished = threading.Event()
    errors: list[BaseException] = []

    def set_limit() -> None:
        try:
            authoring.assessment_update(
                assessment=Assessment.objects.get(pk=quiz.pk), time_limit_minutes=7
            )
        except BaseException as exc:  # noqa: BLE001 - reported below
            errors.append(exc)
        finally:
            finished.set()
            connection.close()

    with transaction.atomic():
        # What a start does: lock the enrolment, then create the attempt from what it read.
        Enrollment.objects.select_for_update().get(pk=enrollment.pk)
        thread = threading.Thread(target=set_limit)
        thread.start()
        wait_for_lock_waiters(1)
        assert not finished.is_set()  # waiting for the enrolment lock
        attempt = Attempt.objects.create(
            assessment=quiz,
            user=learner,
            attempt_number=1,
            status=Attempt.Status.IN_PROGRESS,
            started_at=timezone.now(),
            deadline_at=None,
        )
    thread.join(timeout=30)

    assert not errors, errors
    attempt.refresh_from_db()
    assert attempt.deadline_at is not None
