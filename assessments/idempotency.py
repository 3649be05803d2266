"""Idempotent retries: a request sent with an `Idempotency-Key` runs at most once (SPEC §7).

`run_once(user=, key=, scope=, payload=, run=)` claims the key in its own committed transaction,
then runs `run` and stores what it answered in the same transaction as the work, so a stored
answer always matches what was written. A retry by the same user with the same key:

- same scope and payload, first one finished: its status and body are replayed, nothing runs;
- same scope and payload, first one still running: `409 IDEMPOTENCY_KEY_IN_USE`;
- another scope or payload: `422 IDEMPOTENCY_KEY_REUSED`.

Application errors (`403 ATTEMPT_LIMIT_REACHED`, `403 TIME_LIMIT_EXCEEDED`, ...) are answers too
and replay. A `422 VALIDATION_ERROR` or an unexpected failure releases the key: the request
changed nothing, and a corrected retry may use the same key. A record older than
`settings.IDEMPOTENCY_KEY_TTL_SECONDS` counts as absent, and so does a claim left unfinished for
`CLAIM_TIMEOUT_SECONDS` (its process died; its work was rolled back with it).
"""

import hashlib
import json
from collections.abc import Callable
from dataclasses import dataclass
from datetime import timedelta
from typing import Any

from django.conf import settings
from django.db import IntegrityError, transaction
from django.utils import timezone
from rest_framework.utils.encoders import JSONEncoder

from accounts.models import User
from assessments.errors import IdempotencyKeyInUse, IdempotencyKeyReused
from assessments.models import IdempotencyRecord
from common.errors import ApplicationError, ValidationFailed

HEADER = "Idempotency-Key"
MAX_KEY_LENGTH = 255
CLAIM_TIMEOUT_SECONDS = 300


@dataclass(frozen=True)
class Outcome:
    """What a request answered: its HTTP status and bare body (the object, or for an error
    `{"code", "message", "details"}`)."""

    status: int
    body: Any


def key_issues(key: str | None) -> list[dict[str, str]]:
    """Problems with an `Idempotency-Key` header value, as validation `details`."""
    if key is not None and not (1 <= len(key) <= MAX_KEY_LENGTH):
        return [{"field": HEADER, "issue": f"Must be 1 to {MAX_KEY_LENGTH} characters long."}]
    return []


def fingerprint(payload: Any) -> str:
    """A hash of the request body that ignores key order and whitespace."""
    canonical = json.dumps(
        payload, sort_keys=True, separators=(",", ":"), ensure_ascii=False, cls=JSONEncoder
    )
    return hashlib.sha256(canonical.encode()).hexdigest()


def _as_json(body: Any) -> Any:
    """The body as the JSON renderer would write it (decimals as numbers, dates as strings)."""
    return json.loads(json.dumps(body, cls=JSONEncoder))


def _lapsed(record: IdempotencyRecord, now: Any) -> bool:
    if record.created_at <= now - timedelta(seconds=settings.IDEMPOTENCY_KEY_TTL_SECONDS):
        return True
    unfinished = record.completed_at is None
    return unfinished and record.created_at <= now - timedelta(seconds=CLAIM_TIMEOUT_SECONDS)


def _claim(*, user: User, key: str, scope: str, request_hash: str) -> IdempotencyRecord | Outcome:
    """A new committed claim on the key, or the stored outcome to replay. Raises when the key is
    busy or belongs to another request."""
    for _ in range(3):
        try:
            with transaction.atomic():
                return IdempotencyRecord.objects.create(
                    user=user, key=key, scope=scope, request_hash=request_hash
                )
        except IntegrityError:
            pass
        existing = IdempotencyRecord.objects.filter(user=user, key=key).first()
        if existing is None:
            continue  # released in the meantime
        if _lapsed(existing, timezone.now()):
            # Conditional on created_at, so a fresh claim made meanwhile is not removed.
            IdempotencyRecord.objects.filter(
                pk=existing.pk, created_at=existing.created_at
            ).delete()
            continue
        if existing.scope != scope or existing.request_hash != request_hash:
            raise IdempotencyKeyReused()
        if existing.completed_at is None:
            raise IdempotencyKeyInUse()
        return Outcome(existing.response_status, existing.response_body)
    raise IdempotencyKeyInUse()


def _replay(outcome: Outcome) -> Outcome:
    if outcome.status >= 400:
        body = outcome.body
        raise ApplicationError(
            body["message"], details=body["details"], code=body["code"], status=outcome.status
        )
    return outcome


def run_once(
    *,
    user: User,
    key: str | None,
    scope: str,
    payload: Any,
    run: Callable[[], Outcome],
) -> Outcome:
    """Runs `run` once per `(user, key)`; see the module docstring. Without a key, just runs it.
    `scope` names the operation (e.g. the method and path), `payload` is the request body."""
    if key is None:
        return run()
    claimed = _claim(user=user, key=key, scope=scope, request_hash=fingerprint(payload))
    if isinstance(claimed, Outcome):
        return _replay(claimed)
    error: ApplicationError | None = None
    try:
        with transaction.atomic():
            try:
                outcome = run()
            except ValidationFailed:
                raise
            except ApplicationError as exc:
                error = exc
                outcome = Outcome(
                    exc.status, {"code": exc.code, "message": exc.message, "details": exc.details}
                )
            claimed.response_status = outcome.status
            claimed.response_body = _as_json(outcome.body)
            claimed.completed_at = timezone.now()
            claimed.save(update_fields=["response_status", "response_body", "completed_at"])
    except BaseException:
        IdempotencyRecord.objects.filter(pk=claimed.pk).delete()
        raise
    if error is not None:
        raise error
    return Outcome(outcome.status, claimed.response_body)
