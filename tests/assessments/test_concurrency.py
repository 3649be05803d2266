"""Races between simultaneous requests, on PostgreSQL with real row locks (SPEC §8).

Each thread is a separate client with its own database connection, released at the end.
"""

import json
import threading
from collections.abc import Callable
from typing import Any

import pytest
from django.db import connection, connections
from rest_framework.test import APIClient

from accounts.services import login_start
from assessments.models import Attempt, IdempotencyRecord, Submission
from enrollments.models import Enrollment
from tests.accounts.factories import LearnerFactory
from tests.assessments.builders import (
    LIMIT_REACHED_BODY,
    all_right,
    attempts_url,
    quiz_for,
    submissions_url,
)
from tests.assessments.factories import enroll
from tests.common.concurrency import wait_for_lock_waiters

pytestmark = [pytest.mark.postgres, pytest.mark.django_db(transaction=True)]


def client_for(user) -> APIClient:
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION=f"Bearer {login_start(user=user).access_token}")
    return client


def race(count: int, request: Callable[[APIClient], Any], user) -> list[Any]:
    """Runs `request` from `count` threads released at the same moment; returns the responses."""
    clients = [client_for(user) for _ in range(count)]
    barrier = threading.Barrier(count)
    responses: list[Any] = []
    errors: list[BaseException] = []

    def run(client: APIClient) -> None:
        try:
            barrier.wait(timeout=10)
            responses.append(request(client))
        except BaseException as exc:  # noqa: BLE001 - reported by the test below
            errors.append(exc)
        finally:
            connection.close()

    threads = [threading.Thread(target=run, args=(client,)) for client in clients]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)
    assert not errors, errors
    assert len(responses) == count
    return responses


def test_simultaneous_submissions_never_exceed_the_attempt_limit():
    learner = LearnerFactory()
    quiz = quiz_for(learner, questions=3, max_attempts=3)
    body = {"answers": all_right(quiz)}

    responses = race(20, lambda client: client.post(submissions_url(quiz), body), learner)

    created = [r for r in responses if r.status_code == 201]
    refused = [r for r in responses if r.status_code == 403]
    assert len(created) == 3
    assert len(refused) == 17
    assert all(r.json() == LIMIT_REACHED_BODY for r in refused)
    assert sorted(r.json()["data"]["attempt_number"] for r in created) == [1, 2, 3]
    assert sorted(Attempt.objects.values_list("attempt_number", flat=True)) == [1, 2, 3]
    assert Submission.objects.count() == 3


def test_limits_hold_per_learner_when_learners_submit_at_once():
    learners = [LearnerFactory() for _ in range(2)]
    quiz = quiz_for(learners[0], questions=2, max_attempts=2)
    enroll(learners[1], quiz.course)
    barrier = threading.Barrier(8)
    statuses: list[tuple[str, int]] = []

    def run(user_id: str, client: APIClient) -> None:
        try:
            barrier.wait(timeout=10)
            response = client.post(submissions_url(quiz), {"answers": []})
            statuses.append((user_id, response.status_code))
        finally:
            connection.close()

    threads = [
        threading.Thread(target=run, args=(learner.pk, client_for(learner)))
        for learner in learners
        for _ in range(4)
    ]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)

    for learner in learners:
        mine = sorted(status for user_id, status in statuses if user_id == learner.pk)
        assert mine == [201, 201, 403, 403]
        numbers = Attempt.objects.filter(user=learner).values_list("attempt_number", flat=True)
        assert sorted(numbers) == [1, 2]


def test_simultaneous_starts_give_one_attempt_in_progress():
    learner = LearnerFactory()
    quiz = quiz_for(learner, questions=3, time_limit_minutes=20)

    responses = race(10, lambda client: client.post(attempts_url(quiz)), learner)

    statuses = sorted(r.status_code for r in responses)
    assert statuses == [200] * 9 + [201]
    ids = {r.json()["data"]["id"] for r in responses}
    assert len(ids) == 1
    deadlines = {r.json()["data"]["deadline_at"] for r in responses}
    assert len(deadlines) == 1
    assert Attempt.objects.count() == 1
    assert Attempt.objects.get().status == Attempt.Status.IN_PROGRESS


def test_simultaneous_submissions_with_one_idempotency_key_create_one_submission():
    learner = LearnerFactory()
    quiz = quiz_for(learner, questions=3)
    body = {"answers": all_right(quiz)}

    responses = race(
        10,
        lambda client: client.post(submissions_url(quiz), body, HTTP_IDEMPOTENCY_KEY="same-key"),
        learner,
    )

    assert Submission.objects.count() == 1
    submission_id = Submission.objects.get().pk
    for response in responses:
        if response.status_code == 201:
            assert response.json()["data"]["submission_id"] == submission_id
        else:
            assert response.status_code == 409, response.content
            assert response.json()["error"]["code"] == "IDEMPOTENCY_KEY_IN_USE"
    assert any(r.status_code == 201 for r in responses)
    record = IdempotencyRecord.objects.get()
    assert record.response_status == 201
    assert json.loads(record.response_content)["data"]["submission_id"] == submission_id


def test_a_request_killed_mid_submit_releases_its_key_at_once():
    """SPEC §7: a request that died holds its key no longer. The first request is stopped
    while it waits inside its transaction (the learner's enrolment row is held elsewhere), its
    database backend is terminated, and the retry with the same key runs at once."""
    learner = LearnerFactory()
    quiz = quiz_for(learner, questions=3)
    body = {"answers": all_right(quiz)}
    enrollment = Enrollment.objects.get(user=learner, course=quiz.course)
    outcome: list[Any] = []

    def first_request() -> None:
        try:
            outcome.append(
                client_for(learner).post(submissions_url(quiz), body, HTTP_IDEMPOTENCY_KEY="k")
            )
        finally:
            connection.close()

    holder = connections.create_connection("default")
    try:
        with holder.cursor() as held:
            held.execute("BEGIN")
            held.execute(
                "SELECT id FROM enrollments_enrollment WHERE id = %s FOR UPDATE", [enrollment.pk]
            )
            thread = threading.Thread(target=first_request)
            thread.start()
            wait_for_lock_waiters(1)  # inside its transaction, holding the key's lock
            with connection.cursor() as cursor:
                cursor.execute(
                    "SELECT pg_terminate_backend(pid) FROM pg_stat_activity "
                    "WHERE wait_event_type = 'Lock' AND datname = current_database()"
                )
            thread.join(timeout=30)
            held.execute("ROLLBACK")
    finally:
        holder.close()

    assert not thread.is_alive()
    assert outcome[0].status_code >= 500  # its connection was cut mid-request
    retried = client_for(learner).post(submissions_url(quiz), body, HTTP_IDEMPOTENCY_KEY="k")

    assert retried.status_code == 201, retried.content
    assert Submission.objects.count() == 1
    assert IdempotencyRecord.objects.get().response_status == 201
