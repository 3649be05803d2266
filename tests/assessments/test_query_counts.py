"""Query counts of the attempt and submission routes: fixed, whatever the number of questions
or rows (SPEC §6-§7). Staff reads never close other learners' overdue attempts, so their lists
stay at a fixed count however many overdue attempts there are."""

from datetime import timedelta

import pytest
from django.utils import timezone

from assessments.models import Attempt
from tests.assessments.builders import (
    all_right,
    answers_url,
    attempt_url,
    attempts_url,
    quiz_for,
    submission_url,
    submissions_url,
)
from tests.assessments.factories import AttemptFactory, SubmissionFactory
from tests.common.assertions import assert_success

pytestmark = pytest.mark.django_db


# Token (1), assessment (1), attempt (1), the questions and their options (2).
GET_ATTEMPT_QUERIES = 5


@pytest.mark.parametrize("n_questions", [5, 100])
def test_get_attempt_query_count_does_not_grow_with_questions(
    django_assert_num_queries, learner, learner_client, n_questions
):
    quiz = quiz_for(learner, questions=n_questions)
    started = assert_success(learner_client.post(attempts_url(quiz)), 201)

    with django_assert_num_queries(GET_ATTEMPT_QUERIES):
        body = assert_success(learner_client.get(attempt_url(quiz, started["id"])))

    assert len(body["questions"]) == n_questions


# Token (1), assessment with enrolment (1), overdue attempts (1), savepoint and release (2),
# enrolment lock (1), attempt (1), the questions and their options (2), attempt update (1), then
# the body's questions and their options (2).
SAVE_ANSWERS_QUERIES = 12


@pytest.mark.parametrize("n_questions", [5, 100])
def test_save_answers_query_count_does_not_grow_with_questions(
    django_assert_num_queries, learner, learner_client, n_questions
):
    quiz = quiz_for(learner, questions=n_questions)
    started = assert_success(learner_client.post(attempts_url(quiz)), 201)
    body = {"answers": all_right(quiz)}

    with django_assert_num_queries(SAVE_ANSWERS_QUERIES):
        saved = assert_success(learner_client.put(answers_url(quiz, started["id"]), body))

    assert len(saved["saved_answers"]) == n_questions


# Token (1), assessment (1), submission with its assessment (1).
GET_SUBMISSION_QUERIES = 3


@pytest.mark.parametrize("n_questions", [5, 100])
def test_get_submission_query_count_does_not_grow_with_questions(
    django_assert_num_queries, learner, learner_client, n_questions
):
    quiz = quiz_for(learner, questions=n_questions)
    created = assert_success(
        learner_client.post(submissions_url(quiz), {"answers": all_right(quiz)}), 201
    )

    with django_assert_num_queries(GET_SUBMISSION_QUERIES):
        result = assert_success(learner_client.get(submission_url(quiz, created["submission_id"])))

    assert len(result["answers"]) == n_questions


# --- staff lists ----------------------------------------------------------------------------------


def overdue_attempts(quiz, count: int) -> list[Attempt]:
    """`count` learners, each with an attempt in progress well past its deadline and grace."""
    started = timezone.now() - timedelta(hours=2)
    return AttemptFactory.create_batch(count, assessment=quiz, started_at=started)


# Token (1), assessment (1), count (1), page (1).
STAFF_LIST_QUERIES = 4


@pytest.mark.parametrize("n_rows", [3, 30])
def test_staff_attempt_list_query_count_does_not_grow_with_overdue_rows(
    django_assert_num_queries, instructor, instructor_client, n_rows
):
    quiz = quiz_for(None, instructor=instructor, questions=2, time_limit_minutes=10)
    overdue_attempts(quiz, n_rows)

    with django_assert_num_queries(STAFF_LIST_QUERIES):
        listed = assert_success(instructor_client.get(attempts_url(quiz), {"per_page": 100}))

    assert len(listed) == n_rows
    assert {a["status"] for a in listed} == {"in_progress"}  # shown as stored


@pytest.mark.parametrize("n_rows", [3, 30])
def test_staff_submission_list_query_count_does_not_grow_with_rows(
    django_assert_num_queries, instructor, instructor_client, n_rows
):
    quiz = quiz_for(None, instructor=instructor, questions=2, time_limit_minutes=10)
    overdue_attempts(quiz, 2)
    SubmissionFactory.create_batch(n_rows, assessment=quiz, failing=True)

    with django_assert_num_queries(STAFF_LIST_QUERIES):
        listed = assert_success(instructor_client.get(submissions_url(quiz), {"per_page": 100}))

    assert len(listed) == n_rows
    assert Attempt.objects.filter(status=Attempt.Status.IN_PROGRESS).count() == 2
