"""`manage.py purge_idempotency_records`: keys past their lifetime are deleted (SPEC §7)."""

import io
from datetime import timedelta

import pytest
from django.core.management import call_command
from django.utils import timezone

from assessments.models import IdempotencyRecord
from tests.assessments.builders import quiz_for, submissions_url
from tests.common.assertions import assert_success

pytestmark = pytest.mark.django_db


def run_command() -> str:
    out = io.StringIO()
    call_command("purge_idempotency_records", stdout=out)
    return out.getvalue()


def record(user, key: str, age: timedelta, *, finished: bool = True) -> IdempotencyRecord:
    made = IdempotencyRecord.objects.create(
        user=user,
        key=key,
        scope="POST /api/v1/assessments/asmnt_x/submissions",
        request_hash="0" * 64,
        response_status=201 if finished else None,
        response_body={"submission_id": "sub_x"} if finished else None,
        completed_at=timezone.now() if finished else None,
    )
    IdempotencyRecord.objects.filter(pk=made.pk).update(created_at=timezone.now() - age)
    return made


def test_command_deletes_records_older_than_the_ttl_and_prints_the_count(
    learner, other_learner, settings
):
    ttl = timedelta(seconds=settings.IDEMPOTENCY_KEY_TTL_SECONDS)
    record(learner, "old", ttl + timedelta(seconds=1))
    record(learner, "old-unfinished", ttl + timedelta(hours=1), finished=False)
    record(other_learner, "old", ttl + timedelta(days=3))
    fresh = record(learner, "fresh", ttl - timedelta(minutes=1))
    running = record(other_learner, "running", timedelta(seconds=5), finished=False)

    output = run_command()

    assert output.strip() == "Deleted 3 idempotency records."
    assert set(IdempotencyRecord.objects.values_list("pk", flat=True)) == {fresh.pk, running.pk}
    assert run_command().strip() == "Deleted 0 idempotency records."


def test_command_follows_the_ttl_setting(learner, settings):
    settings.IDEMPOTENCY_KEY_TTL_SECONDS = 60
    record(learner, "a", timedelta(seconds=61))
    record(learner, "b", timedelta(seconds=30))

    assert run_command().strip() == "Deleted 1 idempotency record."
    assert list(IdempotencyRecord.objects.values_list("key", flat=True)) == ["b"]


def test_a_purged_key_may_be_used_afresh(learner, learner_client, settings):
    quiz = quiz_for(learner)
    url = submissions_url(quiz)
    first = assert_success(learner_client.post(url, {"answers": []}, HTTP_IDEMPOTENCY_KEY="k"), 201)
    ttl = settings.IDEMPOTENCY_KEY_TTL_SECONDS
    IdempotencyRecord.objects.update(created_at=timezone.now() - timedelta(seconds=ttl + 1))
    run_command()

    again = assert_success(learner_client.post(url, {"answers": []}, HTTP_IDEMPOTENCY_KEY="k"), 201)

    assert again["submission_id"] != first["submission_id"]
