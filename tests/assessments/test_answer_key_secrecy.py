"""Learners never receive `is_correct`, nor `explanation` before the review setting allows it
(SPEC §5, §7): every learner-facing response of the taking routes is walked for those keys."""

from collections.abc import Iterator
from typing import Any

import pytest

from assessments.models import Assessment
from tests.assessments.builders import (
    all_right,
    answers_url,
    attempt_url,
    attempts_url,
    quiz_for,
    right,
    submission_url,
    submissions_url,
)
from tests.common.assertions import assert_success

SECRET_KEYS = {"is_correct", "explanation", "correct_option_ids"}
REVIEW_KEYS = {"explanation", "correct_option_ids"}
ASSESSMENTS = "/api/v1/assessments"


def keys_in(value: Any) -> Iterator[str]:
    """Every object key anywhere in a JSON value."""
    if isinstance(value, dict):
        for key, item in value.items():
            yield key
            yield from keys_in(item)
    elif isinstance(value, list):
        for item in value:
            yield from keys_in(item)


def test_keys_in_walks_nested_objects_and_lists():
    found = set(keys_in({"a": [{"b": {"is_correct": True}}, [{"c": 1}]]}))

    assert found == {"a", "b", "is_correct", "c"}


def learner_responses(client, assessment) -> dict[str, Any]:
    """The JSON of every learner-facing response of the taking routes, by what it was."""
    seen = {}
    seen["list assessments"] = client.get(ASSESSMENTS).json()
    seen["get assessment"] = client.get(f"{ASSESSMENTS}/{assessment.pk}").json()
    started = client.post(attempts_url(assessment))
    seen["start"] = started.json()
    attempt_id = started.json()["data"]["id"]
    seen["start again"] = client.post(attempts_url(assessment)).json()
    first = assessment.questions.first()
    seen["save answers"] = client.put(
        answers_url(assessment, attempt_id), {"answers": [right(first)]}
    ).json()
    seen["get attempt"] = client.get(attempt_url(assessment, attempt_id)).json()
    seen["list attempts"] = client.get(attempts_url(assessment)).json()
    submitted = client.post(
        submissions_url(assessment), {"answers": all_right(assessment), "attempt_id": attempt_id}
    )
    seen["submit"] = submitted.json()
    submission_id = submitted.json()["data"]["submission_id"]
    if assessment.is_timed:
        seen["start a second attempt"] = client.post(attempts_url(assessment)).json()
    seen["second submit"] = client.post(submissions_url(assessment), {"answers": []}).json()
    seen["get submission"] = client.get(submission_url(assessment, submission_id)).json()
    seen["list submissions"] = client.get(submissions_url(assessment)).json()
    seen["validation error"] = client.post(
        submissions_url(assessment), {"answers": [{"question_id": first.pk}]}
    ).json()
    return seen


@pytest.mark.parametrize("timed", [False, True])
def test_no_learner_response_carries_the_answer_key_with_review_never(
    learner, learner_client, timed
):
    quiz = quiz_for(
        learner,
        questions=6,
        show_correct_answers=Assessment.Review.NEVER,
        time_limit_minutes=30 if timed else None,
    )

    responses = learner_responses(learner_client, quiz)

    for name, body in responses.items():
        assert body["data"] is not None or name == "validation error", name
        assert not SECRET_KEYS & set(keys_in(body)), name
    assert responses["list assessments"]["data"][0]["id"] == quiz.pk
    if timed:
        assert responses["get assessment"]["data"]["questions"] is None
    else:
        assert len(responses["get assessment"]["data"]["questions"]) == 6


def test_results_show_correct_options_and_explanations_but_never_is_correct_after_submission(
    learner, learner_client
):
    quiz = quiz_for(learner, questions=3, show_correct_answers=Assessment.Review.AFTER_SUBMISSION)

    responses = learner_responses(learner_client, quiz)

    for name in (
        "list assessments",
        "get assessment",
        "start",
        "start again",
        "save answers",
        "get attempt",
        "list attempts",
    ):
        assert not SECRET_KEYS & set(keys_in(responses[name])), name
    for name in ("submit", "second submit", "get submission", "list submissions"):
        keys = set(keys_in(responses[name]))
        assert "is_correct" not in keys, name
        assert {"correct_option_ids", "explanation"} <= keys, name


def test_after_passing_reveals_only_on_passing_results(learner, learner_client):
    quiz = quiz_for(learner, questions=3, show_correct_answers=Assessment.Review.AFTER_PASSING)

    failed = assert_success(learner_client.post(submissions_url(quiz), {"answers": []}), 201)
    passed = assert_success(
        learner_client.post(submissions_url(quiz), {"answers": all_right(quiz)}), 201
    )

    assert not SECRET_KEYS & set(keys_in(failed))
    assert "is_correct" not in set(keys_in(passed))
    assert "correct_option_ids" in set(keys_in(passed))


def test_changing_the_review_setting_applies_to_every_learner_response(
    learner, learner_client, instructor, instructor_client
):
    """never -> after_submission -> after_passing -> never, with the same stored results: only
    results carry correct options and explanations, and only as the setting says at the time;
    nothing ever carries `is_correct`."""
    quiz = quiz_for(
        learner, instructor=instructor, questions=3, show_correct_answers=Assessment.Review.NEVER
    )
    key = "secrecy-retry"
    passing_body = {"answers": all_right(quiz)}
    failed = assert_success(learner_client.post(submissions_url(quiz), {"answers": []}), 201)
    passed = assert_success(
        learner_client.post(submissions_url(quiz), passing_body, HTTP_IDEMPOTENCY_KEY=key), 201
    )
    started = assert_success(learner_client.post(attempts_url(quiz)), 201)

    def responses() -> dict[str, Any]:
        return {
            "list assessments": learner_client.get(ASSESSMENTS).json(),
            "get assessment": learner_client.get(f"{ASSESSMENTS}/{quiz.pk}").json(),
            "get attempt": learner_client.get(attempt_url(quiz, started["id"])).json(),
            "list attempts": learner_client.get(attempts_url(quiz)).json(),
            "failed result": learner_client.get(
                submission_url(quiz, failed["submission_id"])
            ).json(),
            "passed result": learner_client.get(
                submission_url(quiz, passed["submission_id"])
            ).json(),
            "passed retry": learner_client.post(
                submissions_url(quiz), passing_body, HTTP_IDEMPOTENCY_KEY=key
            ).json(),
            "list submissions": learner_client.get(submissions_url(quiz)).json(),
        }

    # A retry replays the first response as it was sent (SPEC §7), here under `never`: it
    # never reveals more than that, whatever the setting is now.
    revealed_by_setting = {
        "never": set(),
        "after_submission": {"failed result", "passed result"},
        "after_passing": {"passed result"},
    }
    for setting in ("never", "after_submission", "after_passing", "never"):
        assert_success(
            instructor_client.patch(
                f"{ASSESSMENTS}/{quiz.pk}", {"review": {"show_correct_answers": setting}}
            )
        )
        seen = responses()

        for name, body in seen.items():
            assert body["error"] is None, (setting, name)
            keys = set(keys_in(body))
            assert "is_correct" not in keys, (setting, name)
            if name in revealed_by_setting[setting]:
                assert keys >= REVIEW_KEYS, (setting, name)
            elif name != "list submissions":
                assert not REVIEW_KEYS & keys, (setting, name)
        listed = {item["submission_id"]: item for item in seen["list submissions"]["data"]}
        assert bool(REVIEW_KEYS & set(keys_in(listed[failed["submission_id"]]))) == (
            "failed result" in revealed_by_setting[setting]
        ), setting
        assert bool(REVIEW_KEYS & set(keys_in(listed[passed["submission_id"]]))) == (
            "passed result" in revealed_by_setting[setting]
        ), setting
