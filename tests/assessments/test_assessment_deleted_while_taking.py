"""An assessment deleted while a learner starts or submits it: `404 NOT_FOUND`, never a 500,
and an `Idempotency-Key` sent with it is released."""

import threading
from unittest import mock

import pytest
from django.db import IntegrityError, connection

from assessments import selectors, taking
from assessments.models import Assessment, Attempt, IdempotencyRecord, Submission
from common.errors import NotFound
from tests.assessments.builders import all_right, attempts_url, quiz_for, submissions_url
from tests.common.assertions import assert_error


@pytest.mark.django_db
def test_submission_whose_assessment_is_deleted_before_the_lock_is_not_found(learner, instructor):
    quiz = quiz_for(learner, instructor=instructor)
    stale = Assessment.objects.get(pk=quiz.pk)
    Assessment.objects.filter(pk=quiz.pk).delete()

    with pytest.raises(NotFound, match=r"No assessment with this id\."):
        taking.submission_create(user=learner, assessment=stale, answers=[])

    assert not Attempt.objects.exists()


@pytest.mark.django_db
def test_attempt_start_whose_assessment_is_deleted_before_the_lock_is_not_found(
    learner, instructor
):
    quiz = quiz_for(learner, instructor=instructor)
    stale = Assessment.objects.get(pk=quiz.pk)
    Assessment.objects.filter(pk=quiz.pk).delete()

    with pytest.raises(NotFound, match=r"No assessment with this id\."):
        taking.attempt_start(user=learner, assessment=stale)


@pytest.mark.django_db
def test_integrity_error_once_the_assessment_is_gone_becomes_not_found(learner, instructor):
    quiz = quiz_for(learner, instructor=instructor)
    questions = selectors.questions_for_taking(assessment=quiz)
    stale = Assessment.objects.get(pk=quiz.pk)
    Assessment.objects.filter(pk=quiz.pk).delete()

    with (
        mock.patch("assessments.selectors.questions_for_taking", return_value=questions),
        mock.patch.object(Submission.objects, "create", side_effect=IntegrityError("fk")),
        pytest.raises(NotFound, match=r"No assessment with this id\."),
    ):
        taking.submission_create(user=learner, assessment=stale, answers=[])


@pytest.mark.django_db
def test_integrity_error_while_the_assessment_exists_is_raised(learner, instructor):
    quiz = quiz_for(learner, instructor=instructor)

    with (
        mock.patch.object(Submission.objects, "create", side_effect=IntegrityError("other")),
        pytest.raises(IntegrityError),
    ):
        taking.submission_create(user=learner, assessment=quiz, answers=[])


# --- a real race on PostgreSQL: the delete commits from another connection mid-transaction ----


def delete_from_another_connection(assessment_id: str) -> None:
    """Deletes the assessment (as a bare delete, without the service's locks) in a thread with
    its own connection, committed before this returns."""
    errors: list[BaseException] = []

    def run() -> None:
        try:
            Assessment.objects.filter(pk=assessment_id).delete()
        except BaseException as exc:  # noqa: BLE001 - reported below
            errors.append(exc)
        finally:
            connection.close()

    thread = threading.Thread(target=run)
    thread.start()
    thread.join(timeout=30)
    assert not thread.is_alive()
    assert not errors, errors


def deleting_before(target, name: str, assessment_id: str):
    """Patches the public `target.<name>` to delete the assessment first, then run as usual."""
    real = getattr(target, name)

    def wrapper(*args, **kwargs):
        delete_from_another_connection(assessment_id)
        return real(*args, **kwargs)

    return mock.patch.object(target, name, side_effect=wrapper)


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
@pytest.mark.parametrize("key", [None, "key-1"])
def test_submit_racing_a_delete_is_not_found_on_postgres(learner, learner_client, instructor, key):
    quiz = quiz_for(learner, instructor=instructor)
    headers = {} if key is None else {"HTTP_IDEMPOTENCY_KEY": key}

    with deleting_before(taking, "enrollment_progress_update", quiz.pk):
        response = learner_client.post(
            submissions_url(quiz), {"answers": all_right(quiz)}, **headers
        )

    assert_error(response, 404, "NOT_FOUND")
    assert response.json()["error"]["message"] == "No assessment with this id."
    assert not Assessment.objects.filter(pk=quiz.pk).exists()
    assert not Submission.objects.exists()
    assert not Attempt.objects.exists()
    assert not IdempotencyRecord.objects.exists()  # the key is released


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_attempt_start_racing_a_delete_is_not_found_on_postgres(
    learner, learner_client, instructor
):
    quiz = quiz_for(learner, instructor=instructor, time_limit_minutes=10)

    with deleting_before(Attempt.objects, "create", quiz.pk):
        response = learner_client.post(attempts_url(quiz))

    assert_error(response, 404, "NOT_FOUND")
    assert not Attempt.objects.exists()
