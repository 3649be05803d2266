"""Idempotency-Key on POST submissions (SPEC §7)."""

from datetime import timedelta
from unittest import mock

import pytest
from django.db import OperationalError, connections
from django.utils import timezone

from assessments import idempotency
from assessments.models import Assessment, Attempt, IdempotencyRecord, Submission
from common.errors import NotFound
from enrollments.models import Enrollment
from tests.assessments.builders import (
    LIMIT_REACHED_BODY,
    all_right,
    attempts_url,
    frozen_clock,
    quiz_for,
    submission_url,
    submissions_url,
)
from tests.assessments.factories import enroll
from tests.common.assertions import assert_error, assert_success, detail_fields


@pytest.fixture
def quiz(learner, instructor):
    return quiz_for(learner, instructor=instructor)


def submit(client, assessment, body, key):
    return client.post(submissions_url(assessment), body, HTTP_IDEMPOTENCY_KEY=key)


def test_retry_with_same_key_and_body_replays_the_result(learner_client, quiz):
    body = {"answers": all_right(quiz)}
    first = submit(learner_client, quiz, body, "key-1")
    second = submit(learner_client, quiz, body, "key-1")

    assert second.status_code == 201
    assert second.content == first.content
    assert second["Location"] == first["Location"]
    assert Submission.objects.count() == 1
    assert Attempt.objects.count() == 1


def test_replay_ignores_key_order_in_the_body(learner_client, quiz):
    single = quiz.questions.first()
    option = single.options.first().pk
    first = submit(
        learner_client,
        quiz,
        {"answers": [{"question_id": single.pk, "selected_option_id": option}]},
        "k",
    )
    reordered = submit(
        learner_client,
        quiz,
        {"answers": [{"selected_option_id": option, "question_id": single.pk}]},
        "k",
    )

    assert reordered.status_code == 201
    assert reordered.json() == first.json()
    assert Submission.objects.count() == 1


def test_different_keys_submit_twice(learner_client, quiz):
    body = {"answers": []}
    a = assert_success(submit(learner_client, quiz, body, "key-a"), 201)
    b = assert_success(submit(learner_client, quiz, body, "key-b"), 201)

    assert a["submission_id"] != b["submission_id"]
    assert [a["attempt_number"], b["attempt_number"]] == [1, 2]


def test_same_key_with_a_different_body_returns_idempotency_key_reused(learner_client, quiz):
    assert_success(submit(learner_client, quiz, {"answers": []}, "key-1"), 201)

    response = submit(learner_client, quiz, {"answers": all_right(quiz)}, "key-1")

    assert_error(response, 422, "IDEMPOTENCY_KEY_REUSED")
    assert Submission.objects.count() == 1


def test_same_key_on_another_assessment_returns_idempotency_key_reused(
    learner, learner_client, quiz
):
    other = quiz_for(learner, questions=1)
    assert_success(submit(learner_client, quiz, {"answers": []}, "key-1"), 201)

    response = submit(learner_client, other, {"answers": []}, "key-1")

    assert_error(response, 422, "IDEMPOTENCY_KEY_REUSED")


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_key_still_being_processed_returns_idempotency_key_in_use(learner, learner_client, quiz):
    """While a first request with the key runs, its transaction holds the key's lock."""
    body = {"answers": []}
    first_request = connections.create_connection("default")  # another worker's connection
    try:
        with first_request.cursor() as cursor:
            cursor.execute("BEGIN")
            cursor.execute(
                "SELECT pg_advisory_xact_lock(%s)",
                [idempotency.lock_id(user_id=learner.pk, key="key-1")],
            )
            response = submit(learner_client, quiz, body, "key-1")
            cursor.execute("ROLLBACK")
    finally:
        first_request.close()

    assert_error(response, 409, "IDEMPOTENCY_KEY_IN_USE")
    assert not Submission.objects.exists()
    assert not IdempotencyRecord.objects.exists()
    assert_success(submit(learner_client, quiz, body, "key-1"), 201)  # free once it ended


def test_keys_belong_to_one_user(learner_client, other_learner, other_learner_client, quiz):
    enroll(other_learner, quiz.course)
    body = {"answers": []}

    mine = assert_success(submit(learner_client, quiz, body, "shared"), 201)
    theirs = assert_success(submit(other_learner_client, quiz, body, "shared"), 201)

    assert mine["submission_id"] != theirs["submission_id"]
    assert theirs["user_id"] == other_learner.pk


def test_application_errors_are_stored_and_replayed(learner, learner_client, instructor):
    quiz = quiz_for(learner, instructor=instructor, max_attempts=1)
    assert_success(submit(learner_client, quiz, {"answers": []}, "first"), 201)
    refused = submit(learner_client, quiz, {"answers": []}, "second")
    assert refused.status_code == 403 and refused.json() == LIMIT_REACHED_BODY
    Assessment.objects.filter(pk=quiz.pk).update(max_attempts=5)

    replayed = submit(learner_client, quiz, {"answers": []}, "second")

    assert replayed.status_code == 403
    assert replayed.json() == LIMIT_REACHED_BODY
    assert Submission.objects.count() == 1
    assert_success(submit(learner_client, quiz, {"answers": []}, "third"), 201)


def test_time_limit_exceeded_is_replayed_without_grading_again(learner, learner_client, instructor):
    quiz = quiz_for(learner, instructor=instructor, time_limit_minutes=5)
    with frozen_clock() as clock:
        started = assert_success(learner_client.post(attempts_url(quiz)), 201)
        clock.advance(minutes=6)
        body = {"answers": [], "attempt_id": started["id"]}

        first = submit(learner_client, quiz, body, "late")
        second = submit(learner_client, quiz, body, "late")

    assert_error(first, 403, "TIME_LIMIT_EXCEEDED")
    assert second.status_code == 403 and second.json() == first.json()
    assert Submission.objects.count() == 1


def test_validation_errors_release_the_key(learner_client, quiz):
    bad = submit(learner_client, quiz, {"answers": [{"question_id": "q_unknown"}]}, "key-1")
    unknown = submit(
        learner_client,
        quiz,
        {"answers": [{"question_id": "q_unknown", "selected_option_id": None}]},
        "key-1",
    )
    assert_error(bad, 422, "VALIDATION_ERROR")
    assert_error(unknown, 422, "VALIDATION_ERROR")
    assert not IdempotencyRecord.objects.exists()

    fixed = submit(learner_client, quiz, {"answers": all_right(quiz)}, "key-1")

    assert_success(fixed, 201)


def test_unexpected_failure_releases_the_key(learner_client, quiz):
    body = {"answers": []}
    with mock.patch(
        "assessments.taking.submission_grade", side_effect=RuntimeError("database went away")
    ):
        failed = submit(learner_client, quiz, body, "key-1")
    assert_error(failed, 500, "INTERNAL_ERROR")
    assert not IdempotencyRecord.objects.exists()

    retried = submit(learner_client, quiz, body, "key-1")

    assert_success(retried, 201)
    assert Submission.objects.count() == 1


def test_record_older_than_the_ttl_counts_as_absent(learner_client, quiz, settings):
    body = {"answers": []}
    first = assert_success(submit(learner_client, quiz, body, "key-1"), 201)
    ttl = settings.IDEMPOTENCY_KEY_TTL_SECONDS
    IdempotencyRecord.objects.update(created_at=timezone.now() - timedelta(seconds=ttl + 1))

    again = assert_success(submit(learner_client, quiz, body, "key-1"), 201)

    assert again["submission_id"] != first["submission_id"]
    assert Submission.objects.count() == 2
    assert IdempotencyRecord.objects.count() == 1


def test_record_within_the_ttl_still_replays(learner_client, quiz, settings):
    body = {"answers": []}
    first = assert_success(submit(learner_client, quiz, body, "key-1"), 201)
    ttl = settings.IDEMPOTENCY_KEY_TTL_SECONDS
    IdempotencyRecord.objects.update(created_at=timezone.now() - timedelta(seconds=ttl - 60))

    again = assert_success(submit(learner_client, quiz, body, "key-1"), 201)

    assert again == first


def test_a_request_that_failed_holds_its_key_no_longer(learner_client, quiz):
    """Nothing but a finished request's record holds a key: a request that died wrote nothing
    (its transaction went with it), so a retry runs at once."""
    body = {"answers": []}
    with mock.patch(
        "assessments.taking.submission_grade", side_effect=OperationalError("connection lost")
    ):
        failed = submit(learner_client, quiz, body, "key-1")
    assert failed.status_code >= 500
    assert not IdempotencyRecord.objects.exists()

    retried = submit(learner_client, quiz, body, "key-1")

    assert_success(retried, 201)
    assert Submission.objects.count() == 1


def test_stored_record_holds_the_status_body_and_location_first_sent(learner, learner_client, quiz):
    Assessment.objects.filter(pk=quiz.pk).update(
        show_correct_answers=Assessment.Review.AFTER_SUBMISSION
    )
    first = submit(learner_client, quiz, {"answers": []}, "key-1")
    created = assert_success(first, 201)
    assert "correct_option_ids" in created["answers"][0]

    record = IdempotencyRecord.objects.get()

    assert record.user == learner
    assert record.response_status == 201
    assert record.response_content.encode() == first.content
    assert record.response_location == first["Location"]
    assert record.response_body is None  # a success is replayed from its body, not re-rendered
    assert record.scope == f"POST {submissions_url(quiz)}"


def set_review(assessment, setting):
    Assessment.objects.filter(pk=assessment.pk).update(show_correct_answers=setting)


def test_replay_is_the_first_response_whatever_the_review_setting_is_now(
    learner, learner_client, quiz
):
    set_review(quiz, Assessment.Review.AFTER_SUBMISSION)
    body = {"answers": all_right(quiz)}
    first = submit(learner_client, quiz, body, "k")
    created = assert_success(first, 201)
    assert {"correct_option_ids", "explanation"} <= set(created["answers"][0])
    set_review(quiz, Assessment.Review.NEVER)

    replayed = submit(learner_client, quiz, body, "k")

    assert replayed.status_code == 201
    assert replayed.content == first.content  # byte for byte, review fields and all
    assert replayed["Location"] == first["Location"]
    assert Submission.objects.count() == 1
    assert Attempt.objects.count() == 1


def test_retry_after_losing_access_replays_the_original_result(learner, learner_client, quiz):
    body = {"answers": all_right(quiz)}
    created = assert_success(submit(learner_client, quiz, body, "k"), 201)
    Enrollment.objects.filter(user=learner).update(status=Enrollment.Status.DROPPED)

    replayed = submit(learner_client, quiz, body, "k")
    different = submit(learner_client, quiz, {"answers": []}, "k")
    without_key = learner_client.post(submissions_url(quiz), body)

    assert assert_success(replayed, 201) == created
    assert_error(different, 422, "IDEMPOTENCY_KEY_REUSED")
    assert_error(without_key, 403, "NOT_ENROLLED")
    assert Submission.objects.count() == 1


def test_retry_of_a_refusal_after_losing_access_replays_the_refusal(
    learner, learner_client, instructor
):
    quiz = quiz_for(learner, instructor=instructor, max_attempts=1)
    assert_success(submit(learner_client, quiz, {"answers": []}, "first"), 201)
    assert submit(learner_client, quiz, {"answers": []}, "second").json() == LIMIT_REACHED_BODY
    Assessment.objects.filter(pk=quiz.pk).update(status=Assessment.Status.DRAFT)

    replayed = submit(learner_client, quiz, {"answers": []}, "second")

    assert replayed.status_code == 403
    assert replayed.json() == LIMIT_REACHED_BODY


def test_key_longer_than_255_characters_is_a_validation_error(learner_client, quiz):
    error = assert_error(
        submit(learner_client, quiz, {"answers": []}, "k" * 256), 422, "VALIDATION_ERROR"
    )

    assert detail_fields(error) == {"Idempotency-Key"}
    assert not Submission.objects.exists()


def test_key_of_255_characters_is_accepted(learner_client, quiz):
    assert_success(submit(learner_client, quiz, {"answers": []}, "k" * 255), 201)


def test_empty_key_is_a_validation_error(learner_client, quiz):
    error = assert_error(submit(learner_client, quiz, {"answers": []}, ""), 422, "VALIDATION_ERROR")

    assert detail_fields(error) == {"Idempotency-Key"}


def test_key_problem_is_reported_with_body_problems(learner_client, quiz):
    error = assert_error(
        submit(learner_client, quiz, {"answers": 3}, "k" * 300), 422, "VALIDATION_ERROR"
    )

    assert detail_fields(error) == {"answers", "Idempotency-Key"}


def test_without_a_key_nothing_is_recorded(learner_client, quiz):
    assert_success(learner_client.post(submissions_url(quiz), {"answers": []}), 201)

    assert not IdempotencyRecord.objects.exists()


REVIEW_FIELDS = {"correct_option_ids", "explanation"}


def test_replay_after_losing_access_never_reveals_the_answer_key(
    learner, learner_client, instructor_client, quiz
):
    body = {"answers": all_right(quiz)}
    created = assert_success(submit(learner_client, quiz, body, "k"), 201)
    assert all(not REVIEW_FIELDS & set(item) for item in created["answers"])
    Enrollment.objects.filter(user=learner).update(status=Enrollment.Status.DROPPED)
    assert_success(
        instructor_client.patch(
            f"/api/v1/assessments/{quiz.pk}",
            {"review": {"show_correct_answers": "after_submission"}},
        )
    )
    direct = learner_client.get(submission_url(quiz, created["submission_id"]))
    assert_error(direct, 404, "NOT_FOUND")

    replayed = submit(learner_client, quiz, body, "k")

    again = assert_success(replayed, 201)
    assert again == created
    assert all(not REVIEW_FIELDS & set(item) for item in again["answers"])


def test_replay_never_shows_more_than_the_first_response_did(
    learner, learner_client, instructor_client, quiz
):
    body = {"answers": all_right(quiz)}
    first = submit(learner_client, quiz, body, "k")
    created = assert_success(first, 201)
    assert all(not REVIEW_FIELDS & set(item) for item in created["answers"])
    set_review(quiz, Assessment.Review.AFTER_SUBMISSION)

    replayed = submit(learner_client, quiz, body, "k")

    assert replayed.content == first.content
    assert all(not REVIEW_FIELDS & set(item) for item in replayed.json()["data"]["answers"])


def test_lone_surrogate_in_the_body_is_fingerprinted_not_a_server_error(learner_client, quiz):
    raw = '{"answers": [], "note": "\\ud800"}'  # the JSON escape of a lone surrogate

    first = learner_client.post(
        submissions_url(quiz), raw, content_type="application/json", HTTP_IDEMPOTENCY_KEY="s"
    )
    second = learner_client.post(
        submissions_url(quiz), raw, content_type="application/json", HTTP_IDEMPOTENCY_KEY="s"
    )

    created = assert_success(first, 201)
    assert assert_success(second, 201) == created
    assert Submission.objects.count() == 1


def test_fingerprint_of_a_lone_surrogate_is_stable_and_distinct():
    assert idempotency.fingerprint({"note": "\ud800"}) == idempotency.fingerprint(
        {"note": "\ud800"}
    )
    assert idempotency.fingerprint({"note": "\ud800"}) != idempotency.fingerprint(
        {"note": "\ud801"}
    )


def test_not_found_from_the_work_releases_the_key(learner_client, quiz):
    body = {"answers": []}
    with mock.patch(
        "assessments.taking.submission_grade",
        side_effect=NotFound("No assessment with this id."),
    ):
        gone = submit(learner_client, quiz, body, "key-1")
    assert_error(gone, 404, "NOT_FOUND")
    assert not IdempotencyRecord.objects.exists()

    retried = submit(learner_client, quiz, body, "key-1")

    assert_success(retried, 201)
    assert IdempotencyRecord.objects.get().response_status == 201
