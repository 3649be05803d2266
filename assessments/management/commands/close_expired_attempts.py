"""`manage.py close_expired_attempts`: closes every attempt left open past its deadline plus the
grace period, grading it from its saved answers (SPEC §6). Run it every minute or so (cron, a
systemd timer); several runs at once are safe, each skips the rows another one holds."""

from typing import Any

from django.core.management.base import BaseCommand

from assessments import taking


class Command(BaseCommand):
    help = "Close and grade attempts that are past their deadline plus the grace period."

    def handle(self, *args: Any, **options: Any) -> None:
        closed = taking.attempts_close_all_overdue()
        self.stdout.write(f"Closed {closed} expired attempt{'' if closed == 1 else 's'}.")
