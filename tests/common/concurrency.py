"""Helpers for races on PostgreSQL: jobs in threads released together, each on its own
connection, and a wait for another connection to be blocked on a lock (read from
`pg_stat_activity`, so a test waits exactly as long as the race needs, never on a timer)."""

import threading
import time
from collections.abc import Callable

from django.db import connection

LOCK_WAIT_TIMEOUT_SECONDS = 10


def run_together(jobs: list[Callable[[], object]]) -> list[object]:
    """Runs the jobs in threads released at the same moment; returns what each returned or
    raised. Each thread closes its own database connection."""
    barrier = threading.Barrier(len(jobs))
    results: list[object] = [None] * len(jobs)

    def work(index: int, job: Callable[[], object]) -> None:
        try:
            barrier.wait()
            results[index] = job()
        except Exception as exc:  # noqa: BLE001 - the outcome under test
            results[index] = exc
        finally:
            connection.close()

    threads = [threading.Thread(target=work, args=item) for item in enumerate(jobs)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)
    assert not any(thread.is_alive() for thread in threads), "a job never finished"
    return results


def lock_waiters() -> int:
    """How many other connections to this database are waiting for a lock right now."""
    with connection.cursor() as cursor:
        # Statistics views are a snapshot per transaction: take a fresh one for each look.
        cursor.execute("SELECT pg_stat_clear_snapshot()")
        cursor.execute(
            "SELECT count(*) FROM pg_stat_activity WHERE wait_event_type = 'Lock' "
            "AND datname = current_database() AND pid <> pg_backend_pid()"
        )
        (count,) = cursor.fetchone()
    return int(count)


def wait_for_lock_waiters(count: int = 1) -> None:
    """Returns once at least `count` other connections wait for a lock; fails the test when
    none does within `LOCK_WAIT_TIMEOUT_SECONDS` (the code under test did not take the lock)."""
    deadline = time.monotonic() + LOCK_WAIT_TIMEOUT_SECONDS
    while lock_waiters() < count:
        assert time.monotonic() < deadline, f"no {count} connection(s) waited for a lock"
        time.sleep(0.01)
