"""`manage.py purge_expired_tokens`: drops what can no longer authenticate, nothing else."""

from datetime import timedelta
from io import StringIO

from django.core.management import call_command
from django.utils import timezone

from accounts.models import Login, Token
from accounts.services import login_refresh, login_start


def test_purge_deletes_expired_tokens_and_empty_logins_only(learner, other_learner):
    live = login_start(user=learner)
    old = login_start(user=other_learner)
    half = login_start(user=learner)
    Token.objects.filter(login=old.login).update(expires_at=timezone.now() - timedelta(seconds=1))
    Token.objects.filter(login=half.login, kind=Token.Kind.ACCESS).update(
        expires_at=timezone.now() - timedelta(seconds=1)
    )
    out = StringIO()

    call_command("purge_expired_tokens", stdout=out)

    assert "Deleted 3 expired token(s) and 1 finished login(s)." in out.getvalue()
    assert set(Login.objects.values_list("pk", flat=True)) == {live.login.pk, half.login.pk}
    assert Token.objects.filter(login=live.login).count() == 2
    assert list(Token.objects.filter(login=half.login).values_list("kind", flat=True)) == [
        "refresh"
    ]


def test_purge_keeps_spent_refresh_tokens_until_they_expire(learner):
    first = login_start(user=learner)
    login_refresh(raw_refresh_token=first.refresh_token)

    call_command("purge_expired_tokens", stdout=StringIO())

    # Still there, so presenting it again is recognised as reuse.
    assert Token.objects.filter(spent_at__isnull=False).count() == 1
