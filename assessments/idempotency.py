"""Idempotent retries: a request sent with an `Idempotency-Key` runs at most once (SPEC §7).

`run_once(user=, key=, scope=, payload=, run=, render=)` runs `run`, turns its result into the
response with `render` (the front door's: the API's envelope, a page's redirect), and stores that
response, in the same transaction as the work: a stored response always matches what was written,
and what was written always has its stored response. A retry by the same user with the same key:

- same scope and payload, first one finished: its response is replayed as first sent (status,
  body byte for byte, `Location`), whatever changed since (the review setting, the caller's
  access); nothing runs;
- same scope and payload, first one still running: `409 IDEMPOTENCY_KEY_IN_USE`;
- another scope or payload: `422 IDEMPOTENCY_KEY_REUSED`.

"Still running" is a live transaction, not a row: on PostgreSQL the work's transaction holds a
transaction-scoped advisory lock on (user, key). A request that dies (its worker killed, its
database connection or the database gone) loses its transaction and with it the lock and all it
wrote, so a retry runs at once. SQLite has no such locks; there the unique record decides: a
second request that ran meanwhile rolls back whole and replays the first.

An error the work raised is stored too and replayed as raised (`403 ATTEMPT_LIMIT_REACHED`,
`403 TIME_LIMIT_EXCEEDED`, ...), except a `422 VALIDATION_ERROR` or a `404 NOT_FOUND` (e.g. the
assessment was deleted while the request ran, or an `attempt_id` that is not the user's): the
request changed nothing, and a retry runs again and answers as things are then. A record older
than `settings.IDEMPOTENCY_KEY_TTL_SECONDS` counts as absent (`idempotency_records_purge`
deletes it).
"""

import hashlib
import json
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any, TypeVar

from django.conf import settings
from django.db import IntegrityError, connection, transaction
from django.utils import timezone
from rest_framework.utils.encoders import JSONEncoder

from accounts.models import User
from assessments.errors import IdempotencyKeyInUse, IdempotencyKeyReused
from assessments.models import IdempotencyRecord
from common.errors import ApplicationError, NotFound, ValidationFailed
from common.validation import Issues, issue

HEADER = "Idempotency-Key"
MAX_KEY_LENGTH = 255

T = TypeVar("T")


@dataclass(frozen=True)
class StoredResponse:
    """A response as sent: its status, body and `Location` (for a created object)."""

    status: int
    content: str
    location: str = ""


def key_issues(key: str | None) -> Issues:
    """Problems with an `Idempotency-Key` header value, as validation `details`."""
    if key is not None and not (1 <= len(key) <= MAX_KEY_LENGTH):
        return [issue(HEADER, f"Must be 1 to {MAX_KEY_LENGTH} characters long.")]
    return []


def fingerprint(payload: Any) -> str:
    """A hash of the request body that ignores key order and whitespace. Non-ASCII characters
    are written as escapes, so any string hashes, a lone surrogate (`"\\ud800"`) included."""
    canonical = json.dumps(
        payload, sort_keys=True, separators=(",", ":"), ensure_ascii=True, cls=JSONEncoder
    )
    return hashlib.sha256(canonical.encode()).hexdigest()


def lock_id(*, user_id: str, key: str) -> int:
    """The advisory lock id of a user's key: 64 bits of a hash (a collision only makes two
    keys wait for each other)."""
    digest = hashlib.sha256(f"{user_id}\x00{key}".encode(errors="surrogatepass")).digest()
    return int.from_bytes(digest[:8], "big", signed=True)


def _cutoff() -> datetime:
    return timezone.now() - timedelta(seconds=settings.IDEMPOTENCY_KEY_TTL_SECONDS)


def stored_response(
    *, user: User, key: str | None, scope: str, payload: Any
) -> StoredResponse | None:
    """The response of the user's finished request with this key, to send again (an error is
    raised again), or `None`: no key, a malformed one (reported by the caller), or no finished
    request. Another scope or payload is `422 IDEMPOTENCY_KEY_REUSED`. A caller checks this
    first, so that a retry is answered before anything else is checked."""
    if key is None or key_issues(key):
        return None
    return _finished(user=user, key=key, scope=scope, request_hash=fingerprint(payload))


def _finished(*, user: User, key: str, scope: str, request_hash: str) -> StoredResponse | None:
    """The stored response of the user's request with this key, or `None`. An error is raised
    again; another scope or payload is `422 IDEMPOTENCY_KEY_REUSED`."""
    cutoff = _cutoff()
    record = IdempotencyRecord.objects.filter(user=user, key=key, created_at__gt=cutoff).first()
    if record is None:
        return None
    if record.scope != scope or record.request_hash != request_hash:
        raise IdempotencyKeyReused()
    if record.response_body is not None:  # a refusal, raised again as it was raised first
        body = record.response_body
        raise ApplicationError(
            body["message"],
            details=body["details"],
            code=body["code"],
            status=record.response_status,
        )
    assert record.response_status is not None  # noqa: S101 - every record is written whole
    return StoredResponse(record.response_status, record.response_content, record.response_location)


def _lock(*, user: User, key: str) -> bool:
    """Takes the key's advisory lock until the transaction ends; false when another live
    transaction holds it. Always true on SQLite, which has no such locks."""
    if connection.vendor != "postgresql":
        return True
    with connection.cursor() as cursor:
        cursor.execute("SELECT pg_try_advisory_xact_lock(%s)", [lock_id(user_id=user.pk, key=key)])
        (locked,) = cursor.fetchone()
    return bool(locked)


def run_once(
    *,
    user: User,
    key: str | None,
    scope: str,
    payload: Any,
    run: Callable[[], T],
    render: Callable[[T], StoredResponse],
) -> StoredResponse:
    """Runs `run` once per `(user, key)` and answers `render(result)`; see the module docstring.
    Without a key, just runs it. `scope` names the operation (e.g. the method and path),
    `payload` is the request body. Call it outside any transaction: it commits on its own.
    A finished request is replayed; callers that check `stored_response` first answer a retry
    before their other checks."""
    if key is None:
        return render(run())
    request_hash = fingerprint(payload)
    try:
        return _run_and_store(
            user=user, key=key, scope=scope, request_hash=request_hash, run=run, render=render
        )
    except IntegrityError:
        # Another request with this key committed first (SQLite, which has no advisory
        # locks): this one's work was rolled back with its record; answer as the first did.
        replay = _finished(user=user, key=key, scope=scope, request_hash=request_hash)
        if replay is None:
            raise
        return replay


def _run_and_store(
    *,
    user: User,
    key: str,
    scope: str,
    request_hash: str,
    run: Callable[[], T],
    render: Callable[[T], StoredResponse],
) -> StoredResponse:
    error: ApplicationError | None = None
    with transaction.atomic(durable=True):
        if not _lock(user=user, key=key):
            raise IdempotencyKeyInUse()
        # A request that finished before this one took the lock.
        replay = _finished(user=user, key=key, scope=scope, request_hash=request_hash)
        if replay is not None:
            return replay
        IdempotencyRecord.objects.filter(user=user, key=key, created_at__lte=_cutoff()).delete()
        record = IdempotencyRecord(user=user, key=key, scope=scope, request_hash=request_hash)
        try:
            with transaction.atomic():
                response = render(run())
        except (ValidationFailed, NotFound):
            raise  # nothing changed: the key is released with the transaction
        except ApplicationError as exc:
            error = exc
            record.response_status = exc.status
            record.response_body = {
                "code": exc.code,
                "message": exc.message,
                "details": exc.details,
            }
        else:
            record.response_status = response.status
            record.response_content = response.content
            record.response_location = response.location
        record.completed_at = timezone.now()
        record.save(force_insert=True)
    if error is not None:
        raise error
    return response


def idempotency_records_purge(*, now: datetime | None = None) -> int:
    """Deletes the records older than `settings.IDEMPOTENCY_KEY_TTL_SECONDS` (they already
    count as absent); returns how many."""
    now = now or timezone.now()
    cutoff = now - timedelta(seconds=settings.IDEMPOTENCY_KEY_TTL_SECONDS)
    deleted, _ = IdempotencyRecord.objects.filter(created_at__lte=cutoff).delete()
    return deleted
