"""Races on PostgreSQL: real concurrent connections, committed data."""

import threading
from collections.abc import Callable

import pytest
from django.db import transaction

from accounts.errors import InvalidRefreshToken
from accounts.models import Role, Token, User
from accounts.services import (
    EMAIL_TAKEN,
    TokenPair,
    login_refresh,
    login_start,
    user_create,
    user_update,
)
from common.errors import ValidationFailed
from courses.models import Course
from courses.services import course_update
from enrollments.models import Enrollment
from enrollments.services import enrollment_create
from tests.common.concurrency import run_together, wait_for_lock_waiters
from tests.courses.factories import CourseFactory

pytestmark = [pytest.mark.postgres, pytest.mark.django_db(transaction=True)]


def test_one_refresh_token_presented_twice_at_once_yields_at_most_one_pair(learner):
    pair = login_start(user=learner)

    def refresh() -> object:
        return login_refresh(raw_refresh_token=pair.refresh_token)

    results = run_together([refresh, refresh])

    pairs = [r for r in results if isinstance(r, TokenPair)]
    refused = [r for r in results if isinstance(r, InvalidRefreshToken)]
    assert len(pairs) == 1 and len(refused) == 1, results
    # The second presentation is a reuse: the whole login is revoked.
    assert learner.logins.get().revoked_at is not None
    assert Token.objects.filter(kind=Token.Kind.REFRESH, spent_at__isnull=False).count() == 1


def test_two_creations_with_one_email_make_one_user_and_one_422(db):
    def create(email: str) -> Callable[[], object]:
        return lambda: user_create(email=email, name="Twin", password="quiet-orchard-1987")

    results = run_together([create("twin@example.com"), create("TWIN@example.com")])

    created = [r for r in results if isinstance(r, User)]
    refused = [r for r in results if isinstance(r, ValidationFailed)]
    assert len(created) == 1 and len(refused) == 1, results
    assert refused[0].details == [EMAIL_TAKEN]
    assert User.objects.filter(email="twin@example.com").count() == 1


# --- role changes against enrolments and course hand-overs --------------------------------------
# One side holds its transaction open after its write until the other, started meanwhile with a
# user object read before, waits for a lock. Both lock the user's row, so the second waits for
# the first and then sees its result.


def holding(done: threading.Event, write: Callable[[], object]) -> Callable[[], object]:
    """A job that runs `write` in a transaction and keeps it open, after signalling, until
    another connection waits for one of its locks."""

    def job() -> object:
        with transaction.atomic():
            result = write()
            done.set()
            wait_for_lock_waiters(1)
        return result

    return job


def after(done: threading.Event, write: Callable[[], object]) -> Callable[[], object]:
    def job() -> object:
        assert done.wait(5)
        return write()

    return job


def test_enrolment_during_a_promotion_is_refused(learner, instructor):
    course = CourseFactory(instructor=instructor)
    stale_learner = User.objects.get(pk=learner.pk)
    promoted = threading.Event()

    results = run_together(
        [
            holding(promoted, lambda: user_update(user=learner, role=Role.INSTRUCTOR)),
            after(
                promoted,
                lambda: enrollment_create(actor=instructor, course=course, user=stale_learner),
            ),
        ]
    )

    assert isinstance(results[0], User), results
    assert isinstance(results[1], ValidationFailed), results
    assert results[1].details[0]["field"] == "user_id"
    assert not Enrollment.objects.filter(user=learner).exists()


def test_promotion_during_an_enrolment_is_refused(learner, instructor):
    course = CourseFactory(instructor=instructor)
    enrolled = threading.Event()

    results = run_together(
        [
            holding(
                enrolled,
                lambda: enrollment_create(actor=instructor, course=course, user=learner),
            ),
            after(enrolled, lambda: user_update(user=learner, role=Role.INSTRUCTOR)),
        ]
    )

    assert isinstance(results[0], Enrollment), results
    assert isinstance(results[1], ValidationFailed), results
    assert results[1].details[0]["field"] == "role"
    learner.refresh_from_db()
    assert learner.role == Role.LEARNER


def test_demotion_during_a_hand_over_is_refused(admin, instructor, other_instructor):
    course = CourseFactory(instructor=instructor)
    handed_over = threading.Event()

    results = run_together(
        [
            holding(
                handed_over,
                lambda: course_update(
                    actor=admin, course=course, instructor_id=other_instructor.pk
                ),
            ),
            after(handed_over, lambda: user_update(user=other_instructor, role=Role.LEARNER)),
        ]
    )

    assert isinstance(results[0], Course), results
    assert isinstance(results[1], ValidationFailed), results
    other_instructor.refresh_from_db()
    assert other_instructor.role == Role.INSTRUCTOR
    assert Course.objects.get(pk=course.pk).instructor_id == other_instructor.pk


def test_hand_over_during_a_demotion_is_refused(admin, instructor, other_instructor):
    course = CourseFactory(instructor=instructor)
    demoted = threading.Event()

    results = run_together(
        [
            holding(demoted, lambda: user_update(user=other_instructor, role=Role.LEARNER)),
            after(
                demoted,
                lambda: course_update(
                    actor=admin, course=course, instructor_id=other_instructor.pk
                ),
            ),
        ]
    )

    assert isinstance(results[0], User), results
    assert isinstance(results[1], ValidationFailed), results
    assert results[1].details[0]["field"] == "instructor_id"
    assert Course.objects.get(pk=course.pk).instructor_id == instructor.pk


def test_concurrent_rename_and_deactivation_keep_both(learner):
    """A user's own rename, built from the user as read before an admin's deactivation, lands
    after it: the user stays deactivated."""
    own_view = User.objects.get(pk=learner.pk)
    deactivated = threading.Event()

    run_together(
        [
            holding(deactivated, lambda: user_update(user=learner, is_active=False)),
            after(deactivated, lambda: user_update(user=own_view, name="Lena Renamed")),
        ]
    )

    learner.refresh_from_db()
    assert (learner.name, learner.is_active) == ("Lena Renamed", False)
