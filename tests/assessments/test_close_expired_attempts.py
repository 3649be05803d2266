"""`manage.py close_expired_attempts` (SPEC §6)."""

import re
import threading
from datetime import timedelta
from decimal import Decimal
from io import StringIO

import pytest
from django.core.management import call_command
from django.db import connection, transaction
from django.utils import timezone

from assessments.models import Attempt, Submission
from enrollments.models import Enrollment
from tests.accounts.factories import LearnerFactory
from tests.assessments.builders import correct_ids, quiz_for
from tests.assessments.factories import AttemptFactory, enroll


def run_command() -> str:
    out = StringIO()
    call_command("close_expired_attempts", stdout=out)
    return out.getvalue().strip()


def closed_count(output: str) -> int:
    match = re.fullmatch(r"Closed (\d+) expired attempts?\.", output)
    assert match, output
    return int(match.group(1))


def open_attempt(user, assessment, *, deadline_in: timedelta | None, number: int = 1, saved=None):
    """An attempt in progress whose deadline is `deadline_in` from now (negative: past)."""
    now = timezone.now()
    deadline = None if deadline_in is None else now + deadline_in
    return AttemptFactory(
        assessment=assessment,
        user=user,
        attempt_number=number,
        started_at=(deadline or now) - timedelta(minutes=10),
        deadline_at=deadline,
        saved_answers=saved or {},
    )


@pytest.fixture
def timed(learner, instructor):
    return quiz_for(learner, instructor=instructor, questions=2, time_limit_minutes=10)


def test_command_closes_overdue_attempts_and_grades_saved_answers(learner, timed, settings):
    settings.ATTEMPT_GRACE_SECONDS = 30
    first, _second = timed.questions.all()
    overdue = open_attempt(
        learner,
        timed,
        deadline_in=-timedelta(seconds=31),
        saved={first.pk: correct_ids(first)},
    )

    assert run_command() == "Closed 1 expired attempt."

    overdue.refresh_from_db()
    assert overdue.status == Attempt.Status.EXPIRED
    assert overdue.closed_at is not None
    submission = Submission.objects.get(attempt=overdue)
    assert submission.user == learner
    assert submission.attempt_number == 1
    assert submission.submitted_at == overdue.deadline_at
    assert submission.points_earned == 1
    assert submission.score == Decimal("33.33")  # 1 of 3 points (the second question is worth 2)
    assert run_command() == "Closed 0 expired attempts."


def test_command_leaves_attempts_within_grace_and_untimed_ones(learner, other_learner, timed):
    enroll(other_learner, timed.course)
    within_grace = open_attempt(learner, timed, deadline_in=-timedelta(seconds=10))
    untimed_quiz = quiz_for(other_learner, questions=1)
    untimed = open_attempt(other_learner, untimed_quiz, deadline_in=None)

    assert run_command() == "Closed 0 expired attempts."

    for attempt in (within_grace, untimed):
        attempt.refresh_from_db()
        assert attempt.status == Attempt.Status.IN_PROGRESS
    assert not Submission.objects.exists()


def test_command_counts_every_attempt_it_closes(timed):
    for _ in range(3):
        user = LearnerFactory()
        enroll(user, timed.course)
        open_attempt(user, timed, deadline_in=-timedelta(minutes=5))

    assert run_command() == "Closed 3 expired attempts."
    assert Submission.objects.count() == 3


def test_command_updates_progress(learner, timed):
    questions = list(timed.questions.all())
    open_attempt(
        learner,
        timed,
        deadline_in=-timedelta(minutes=1),
        saved={q.pk: correct_ids(q) for q in questions},
    )

    run_command()

    enrollment = Enrollment.objects.get(user=learner)
    assert enrollment.status == Enrollment.Status.COMPLETED
    assert enrollment.progress_percent == Decimal("100.00")


def test_command_closes_attempts_of_learners_who_dropped_the_course(learner, timed):
    attempt = open_attempt(learner, timed, deadline_in=-timedelta(minutes=1))
    Enrollment.objects.filter(user=learner).update(status=Enrollment.Status.DROPPED)

    assert run_command() == "Closed 1 expired attempt."

    attempt.refresh_from_db()
    assert attempt.status == Attempt.Status.EXPIRED
    assert Submission.objects.filter(attempt=attempt).exists()
    assert Enrollment.objects.get().progress_percent == Decimal("0.00")


def test_command_closes_attempt_without_result_when_no_question_is_left(learner, timed):
    attempt = open_attempt(learner, timed, deadline_in=-timedelta(minutes=1))
    timed.questions.all().delete()

    assert run_command() == "Closed 1 expired attempt."

    attempt.refresh_from_db()
    assert attempt.status == Attempt.Status.EXPIRED
    assert not Submission.objects.exists()


def test_saved_answers_for_options_deleted_since_are_ignored(learner, timed):
    first, _second = timed.questions.all()
    right_option = correct_ids(first)[0]
    open_attempt(
        learner, timed, deadline_in=-timedelta(minutes=1), saved={first.pk: [right_option]}
    )
    first.options.filter(pk=right_option).delete()
    first.options.filter(pk=first.options.first().pk).update(is_correct=True)

    run_command()

    result = Submission.objects.get().results[0]
    assert result["selected_option_ids"] == []
    assert result["correct"] is False


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_concurrent_runs_close_each_attempt_once():
    assessment = quiz_for(None, questions=2, time_limit_minutes=5)
    attempts = []
    for _ in range(24):
        user = LearnerFactory()
        enroll(user, assessment.course)
        attempts.append(open_attempt(user, assessment, deadline_in=-timedelta(minutes=2)))
    runs = 4
    barrier = threading.Barrier(runs)
    outputs: list[str] = []

    def run() -> None:
        try:
            barrier.wait(timeout=10)
            outputs.append(run_command())
        finally:
            connection.close()

    threads = [threading.Thread(target=run) for _ in range(runs)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)

    assert len(outputs) == runs
    assert sum(closed_count(output) for output in outputs) == len(attempts)
    assert Submission.objects.count() == len(attempts)
    assert set(Attempt.objects.values_list("status", flat=True)) == {Attempt.Status.EXPIRED}


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_command_skips_rows_another_transaction_holds_instead_of_waiting():
    learner = LearnerFactory()
    assessment = quiz_for(learner, questions=1, time_limit_minutes=5)
    attempt = open_attempt(learner, assessment, deadline_in=-timedelta(minutes=2))
    outputs: list[str] = []

    def run() -> None:
        try:
            outputs.append(run_command())
        finally:
            connection.close()

    with transaction.atomic():
        Enrollment.objects.select_for_update().get(user=learner)  # e.g. a submission running
        thread = threading.Thread(target=run)
        thread.start()
        thread.join(timeout=20)
        assert not thread.is_alive(), "the command waited for the lock"

    assert outputs == ["Closed 0 expired attempts."]
    attempt.refresh_from_db()
    assert attempt.status == Attempt.Status.IN_PROGRESS
    assert run_command() == "Closed 1 expired attempt."


# --- reads of assessments close a learner's overdue attempts (SPEC §6) -------------------------


@pytest.mark.parametrize("read", ["list", "detail"])
def test_a_learner_reading_assessments_closes_their_overdue_attempt(
    learner, learner_client, timed, read
):
    first, _second = timed.questions.all()
    overdue = open_attempt(
        learner, timed, deadline_in=-timedelta(minutes=2), saved={first.pk: correct_ids(first)}
    )
    url = "/api/v1/assessments" if read == "list" else f"/api/v1/assessments/{timed.pk}"

    assert learner_client.get(url).status_code == 200

    overdue.refresh_from_db()
    assert overdue.status == Attempt.Status.EXPIRED
    graded = Submission.objects.get(attempt=overdue)
    assert graded.points_earned == first.points  # from what was saved in time
    assert graded.submitted_at == overdue.deadline_at


def test_a_learner_reading_one_assessment_leaves_their_attempts_at_others_alone(
    learner, learner_client, timed, instructor
):
    other = quiz_for(learner, instructor=instructor, questions=2, time_limit_minutes=10)
    elsewhere = open_attempt(learner, other, deadline_in=-timedelta(minutes=2))

    assert learner_client.get(f"/api/v1/assessments/{timed.pk}").status_code == 200

    elsewhere.refresh_from_db()
    assert elsewhere.status == Attempt.Status.IN_PROGRESS


def test_staff_reading_assessments_closes_nothing(learner, instructor_client, timed):
    overdue = open_attempt(learner, timed, deadline_in=-timedelta(minutes=2))

    assert instructor_client.get("/api/v1/assessments").status_code == 200
    assert instructor_client.get(f"/api/v1/assessments/{timed.pk}").status_code == 200

    overdue.refresh_from_db()
    assert overdue.status == Attempt.Status.IN_PROGRESS


def test_a_submission_after_a_read_closed_the_attempt_says_it_was_late(
    learner, learner_client, timed
):
    overdue = open_attempt(learner, timed, deadline_in=-timedelta(minutes=2))
    assert learner_client.get("/api/v1/assessments").status_code == 200

    response = learner_client.post(
        f"/api/v1/assessments/{timed.pk}/submissions",
        {"answers": [], "attempt_id": overdue.pk},
    )

    assert response.status_code == 403
    assert response.json()["error"]["code"] == "TIME_LIMIT_EXCEEDED"
    assert Submission.objects.filter(attempt=overdue).count() == 1
