"""Idempotent retries: a request sent with an `Idempotency-Key` runs at most once (SPEC §7).

`run_once(user=, key=, scope=, payload=, run=)` claims the key in its own committed transaction,
then runs `run` and stores its outcome in the same transaction as the work, so a stored outcome
always matches what was written. A retry by the same user with the same key:

- same scope and payload, first one finished: its outcome is replayed, nothing runs;
- same scope and payload, first one still running: `409 IDEMPOTENCY_KEY_IN_USE`;
- another scope or payload: `422 IDEMPOTENCY_KEY_REUSED`.

`stored_outcome(...)` answers the first and last cases on its own, so a caller can replay a
finished request before checking anything else (a replay creates nothing and shows the user only
what they were shown already).

What is stored: an error's status and body (`403 ATTEMPT_LIMIT_REACHED`,
`403 TIME_LIMIT_EXCEEDED`, ...; replayed as stored), or for a success its status and a reference
to what it created (e.g. `{"submission_id": ...}`), from which the caller renders the answer as
it would show that object now: a change of the review setting since then applies to the replay.
A `422 VALIDATION_ERROR`, a `404 NOT_FOUND` (e.g. the assessment was deleted while the request
ran, or an `attempt_id` that is not the user's) or an unexpected failure releases the key: the
request changed nothing, and a retry runs again (and answers as things are then). A record
older than `settings.IDEMPOTENCY_KEY_TTL_SECONDS` counts as absent (`idempotency_records_purge`
deletes it), and so does a claim left unfinished for `CLAIM_TIMEOUT_SECONDS` (its process died;
its work was rolled back with it).
"""

import hashlib
import json
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from typing import Any

from django.conf import settings
from django.db import IntegrityError, transaction
from django.utils import timezone
from rest_framework.utils.encoders import JSONEncoder

from accounts.models import User
from assessments.errors import IdempotencyKeyInUse, IdempotencyKeyReused
from assessments.models import IdempotencyRecord
from common.errors import ApplicationError, NotFound, ValidationFailed

HEADER = "Idempotency-Key"
MAX_KEY_LENGTH = 255
CLAIM_TIMEOUT_SECONDS = 300


@dataclass(frozen=True)
class Outcome:
    """What a request answered: its HTTP status and the JSON to store (for an error its bare
    body `{"code", "message", "details"}`, for a success a reference to what it created).
    `result` is what `run` produced, for the caller to render; `None` on a replay."""

    status: int
    body: Any
    result: Any = field(default=None, compare=False)


def key_issues(key: str | None) -> list[dict[str, str]]:
    """Problems with an `Idempotency-Key` header value, as validation `details`."""
    if key is not None and not (1 <= len(key) <= MAX_KEY_LENGTH):
        return [{"field": HEADER, "issue": f"Must be 1 to {MAX_KEY_LENGTH} characters long."}]
    return []


def fingerprint(payload: Any) -> str:
    """A hash of the request body that ignores key order and whitespace. Non-ASCII characters
    are written as escapes, so any string hashes, a lone surrogate (`"\\ud800"`) included."""
    canonical = json.dumps(
        payload, sort_keys=True, separators=(",", ":"), ensure_ascii=True, cls=JSONEncoder
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
            with transaction.atomic(durable=True):
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
        return _stored(existing)
    raise IdempotencyKeyInUse()


def _stored(record: IdempotencyRecord) -> Outcome:
    """The outcome a finished record holds."""
    assert record.response_status is not None  # noqa: S101 - set whenever completed_at is
    return Outcome(record.response_status, record.response_body)


def stored_outcome(*, user: User, key: str | None, scope: str, payload: Any) -> Outcome | None:
    """The outcome of the user's finished request with this key, replayed (an error is raised
    again), or `None` when there is none: no or an invalid key, a request still running (left to
    `run_once`), or a lapsed record. A finished request with another scope or payload is
    `422 IDEMPOTENCY_KEY_REUSED`."""
    if key is None or key_issues(key):
        return None
    record = IdempotencyRecord.objects.filter(
        user=user, key=key, completed_at__isnull=False
    ).first()
    if record is None or _lapsed(record, timezone.now()):
        return None
    if record.scope != scope or record.request_hash != fingerprint(payload):
        raise IdempotencyKeyReused()
    return _replay(_stored(record))


def idempotency_records_purge(*, now: datetime | None = None) -> int:
    """Deletes the records older than `settings.IDEMPOTENCY_KEY_TTL_SECONDS` (they already
    count as absent); returns how many."""
    now = now or timezone.now()
    cutoff = now - timedelta(seconds=settings.IDEMPOTENCY_KEY_TTL_SECONDS)
    deleted, _ = IdempotencyRecord.objects.filter(created_at__lte=cutoff).delete()
    return deleted


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
    `scope` names the operation (e.g. the method and path), `payload` is the request body. `run`
    returns the `Outcome` to store, with `result` set to what it produced."""
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
            except (ValidationFailed, NotFound):
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
    return outcome
