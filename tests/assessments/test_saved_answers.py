"""Saved answers and what a submission grades (SPEC §6-§7): `PUT .../answers` replaces the
saved set, `PATCH` saves the answers it names and keeps the rest, and submitting an attempt
grades its saved answers overlaid by those in the request."""

import pytest

from assessments.models import Attempt
from tests.assessments.builders import (
    answers_url,
    attempts_url,
    correct_ids,
    quiz_for,
    right,
    submissions_url,
    wrong,
)
from tests.common.assertions import assert_error, assert_success


@pytest.fixture
def timed(learner, instructor):
    return quiz_for(learner, instructor=instructor, questions=3, time_limit_minutes=10)


@pytest.fixture
def started(learner_client, timed):
    return assert_success(learner_client.post(attempts_url(timed)), 201)


def saved_question_ids(attempt_body):
    return [item["question_id"] for item in attempt_body["saved_answers"]]


def test_patch_saves_the_answers_it_names_and_keeps_the_others(learner_client, timed, started):
    first, second, third = timed.questions.all()
    url = answers_url(timed, started["id"])
    assert_success(learner_client.put(url, {"answers": [right(first), right(second)]}))

    patched = assert_success(learner_client.patch(url, {"answers": [wrong(second), right(third)]}))

    assert saved_question_ids(patched) == [first.pk, second.pk, third.pk]
    saved = Attempt.objects.get().saved_answers
    assert saved[first.pk] == correct_ids(first)
    assert saved[second.pk] == wrong(second).get("selected_option_ids") or [
        wrong(second)["selected_option_id"]
    ]
    assert saved[third.pk] == correct_ids(third)


def test_put_replaces_the_whole_saved_set(learner_client, timed, started):
    first, second, _third = timed.questions.all()
    url = answers_url(timed, started["id"])
    assert_success(learner_client.put(url, {"answers": [right(first), right(second)]}))

    replaced = assert_success(learner_client.put(url, {"answers": [right(second)]}))

    assert saved_question_ids(replaced) == [second.pk]


def test_patch_is_refused_like_put_for_answers_that_do_not_fit(learner_client, timed, started):
    response = learner_client.patch(
        answers_url(timed, started["id"]),
        {"answers": [{"question_id": "q_unknown", "selected_option_id": None}]},
    )

    error = assert_error(response, 422, "VALIDATION_ERROR")
    assert error["details"] == [
        {"field": "answers[0].question_id", "issue": "No such question in this assessment."}
    ]


def test_submitting_an_attempt_with_no_answers_grades_what_was_saved(
    learner_client, timed, started
):
    url = answers_url(timed, started["id"])
    assert_success(learner_client.put(url, {"answers": [right(q) for q in timed.questions.all()]}))

    result = assert_success(
        learner_client.post(submissions_url(timed), {"answers": [], "attempt_id": started["id"]}),
        201,
    )

    assert result["score"] == 100
    assert all(item["correct"] for item in result["answers"])


def test_answers_in_the_submission_replace_the_saved_answers_of_their_questions(
    learner_client, timed, started
):
    first, second, third = timed.questions.all()
    url = answers_url(timed, started["id"])
    assert_success(learner_client.put(url, {"answers": [right(first), right(second)]}))

    result = assert_success(
        learner_client.post(
            submissions_url(timed),
            {"answers": [wrong(second), right(third)], "attempt_id": started["id"]},
        ),
        201,
    )

    assert [item["correct"] for item in result["answers"]] == [True, False, True]


def test_the_attempt_in_progress_is_graded_with_its_saved_answers_without_an_attempt_id(
    learner_client, timed, started
):
    first, _second, _third = timed.questions.all()
    assert_success(
        learner_client.put(answers_url(timed, started["id"]), {"answers": [right(first)]})
    )

    result = assert_success(learner_client.post(submissions_url(timed), {"answers": []}), 201)

    assert result["attempt_id"] == started["id"]
    assert [item["correct"] for item in result["answers"]] == [True, False, False]
