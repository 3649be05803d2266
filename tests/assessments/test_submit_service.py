"""`assessments.taking.submission_submit`: the one submit operation behind the API and the pages.

Its steps commit in a fixed order, so a refusal late in the request never undoes work done by an
earlier step that promised to commit (an overdue attempt closed and graded)."""

from datetime import timedelta

import pytest
from django.db import transaction
from django.utils import timezone

from assessments import taking
from assessments.errors import NotEnrolled
from assessments.idempotency import StoredResponse
from assessments.models import Attempt, IdempotencyRecord, Submission
from common.errors import ValidationFailed
from tests.accounts.factories import LearnerFactory
from tests.assessments.builders import all_right, correct_ids, quiz_for, submissions_url
from tests.assessments.factories import enroll
from tests.common.assertions import assert_error


def render(submission):
    """A front door's response to a new submission: here, a page's redirect to the result."""
    return StoredResponse(303, "", f"/results/{submission.pk}")


def overdue_attempt(user, assessment, **saved) -> Attempt:
    deadline = timezone.now() - timedelta(minutes=5)
    return Attempt.objects.create(
        assessment=assessment,
        user=user,
        attempt_number=1,
        status=Attempt.Status.IN_PROGRESS,
        started_at=deadline - timedelta(minutes=10),
        deadline_at=deadline,
        saved_answers=saved,
    )


def test_keyed_submit_refused_with_not_found_keeps_the_overdue_attempt_closed(
    learner, learner_client, instructor
):
    quiz = quiz_for(learner, instructor=instructor, questions=2, time_limit_minutes=10)
    first = quiz.questions.first()
    overdue = overdue_attempt(learner, quiz, **{first.pk: correct_ids(first)})
    someone_else = LearnerFactory()
    enroll(someone_else, quiz.course)
    theirs = Attempt.objects.create(
        assessment=quiz,
        user=someone_else,
        attempt_number=1,
        status=Attempt.Status.IN_PROGRESS,
        started_at=timezone.now(),
    )

    response = learner_client.post(
        submissions_url(quiz),
        {"answers": [], "attempt_id": theirs.pk},
        HTTP_IDEMPOTENCY_KEY="key-1",
    )

    assert_error(response, 404, "NOT_FOUND")
    assert not IdempotencyRecord.objects.exists()  # released: nothing was submitted
    overdue.refresh_from_db()
    assert overdue.status == Attempt.Status.EXPIRED  # closed and graded all the same
    graded = Submission.objects.get(attempt=overdue)
    assert graded.points_earned == first.points
    assert graded.submitted_at == overdue.deadline_at


def test_closing_an_overdue_attempt_refuses_to_run_inside_a_callers_transaction(
    learner, instructor
):
    """`attempt_expire` commits on its own: a caller's transaction cannot make it a savepoint
    that a later rollback would undo."""
    quiz = quiz_for(learner, instructor=instructor, questions=2, time_limit_minutes=10)
    overdue = overdue_attempt(learner, quiz)

    with pytest.raises(RuntimeError, match="durable"), transaction.atomic():
        taking.attempt_expire(attempt_id=overdue.pk)

    overdue.refresh_from_db()
    assert overdue.status == Attempt.Status.IN_PROGRESS


def test_submit_service_parses_after_access_and_reports_a_bad_key_with_the_body(
    learner, instructor
):
    quiz = quiz_for(learner, instructor=instructor, questions=2)
    seen = []

    def parse(assessment):
        seen.append(assessment.pk)
        raise ValidationFailed.for_field("answers", "Must be a list.")

    with pytest.raises(ValidationFailed) as refused:
        taking.submission_submit(
            user=learner,
            assessment_id=quiz.pk,
            payload={},
            parse=parse,
            render=render,
            idempotency_key="k" * 256,
            scope="test",
        )

    assert seen == [quiz.pk]
    assert refused.value.details == [
        {"field": "answers", "issue": "Must be a list."},
        {"field": "Idempotency-Key", "issue": "Must be 1 to 255 characters long."},
    ]
    with pytest.raises(NotEnrolled):
        taking.submission_submit(
            user=LearnerFactory(),
            assessment_id=quiz.pk,
            payload={},
            parse=parse,
            render=render,
            scope="test",
        )
    assert seen == [quiz.pk]  # a learner without access never reaches the parser


def test_submit_service_replays_a_finished_request_without_running_it_again(learner, instructor):
    quiz = quiz_for(learner, instructor=instructor, questions=2)
    body = {"answers": all_right(quiz)}

    def parse(assessment):
        return taking.SubmissionInput(answers=body["answers"])

    def submit():
        return taking.submission_submit(
            user=learner,
            assessment_id=quiz.pk,
            payload=body,
            parse=parse,
            render=render,
            idempotency_key="same",
            scope="page",
        )

    first = submit()
    again = submit()

    assert first == again == StoredResponse(303, "", f"/results/{Submission.objects.get().pk}")
