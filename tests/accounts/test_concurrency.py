"""Races on PostgreSQL: real concurrent connections, committed data."""

import threading
from collections.abc import Callable

import pytest
from django.db import connection

from accounts.errors import InvalidRefreshToken
from accounts.models import Token, User
from accounts.services import (
    EMAIL_TAKEN,
    TokenPair,
    login_refresh,
    login_start,
    user_create,
)
from common.errors import ValidationFailed

pytestmark = [pytest.mark.postgres, pytest.mark.django_db(transaction=True)]


def run_together(*jobs: Callable[[], object]) -> list[object]:
    """Runs the jobs in threads released at the same moment; returns each result or error."""
    barrier = threading.Barrier(len(jobs))
    results: list[object] = [None] * len(jobs)

    def run(index: int, job: Callable[[], object]) -> None:
        try:
            barrier.wait()
            results[index] = job()
        except Exception as exc:  # noqa: BLE001 - the test inspects what each job raised
            results[index] = exc
        finally:
            connection.close()

    threads = [threading.Thread(target=run, args=(i, job)) for i, job in enumerate(jobs)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    return results


def test_one_refresh_token_presented_twice_at_once_yields_at_most_one_pair(learner):
    pair = login_start(user=learner)

    def refresh() -> object:
        return login_refresh(raw_refresh_token=pair.refresh_token)

    results = run_together(refresh, refresh)

    pairs = [r for r in results if isinstance(r, TokenPair)]
    refused = [r for r in results if isinstance(r, InvalidRefreshToken)]
    assert len(pairs) == 1 and len(refused) == 1, results
    # The second presentation is a reuse: the whole login is revoked.
    assert learner.logins.get().revoked_at is not None
    assert Token.objects.filter(kind=Token.Kind.REFRESH, spent_at__isnull=False).count() == 1


def test_two_creations_with_one_email_make_one_user_and_one_422(db):
    def create(email: str) -> Callable[[], object]:
        return lambda: user_create(email=email, name="Twin", password="quiet-orchard-1987")

    results = run_together(create("twin@example.com"), create("TWIN@example.com"))

    created = [r for r in results if isinstance(r, User)]
    refused = [r for r in results if isinstance(r, ValidationFailed)]
    assert len(created) == 1 and len(refused) == 1, results
    assert refused[0].details == [EMAIL_TAKEN]
    assert User.objects.filter(email="twin@example.com").count() == 1
