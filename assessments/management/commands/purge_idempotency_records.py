"""`manage.py purge_idempotency_records`: deletes the `Idempotency-Key` records older than
`IDEMPOTENCY_KEY_TTL_SECONDS` (24 hours), which no retry can use any more, so the table stays
small. Run it daily (cron, a systemd timer); running it more often or twice at once is safe."""

from typing import Any

from django.core.management.base import BaseCommand

from assessments.idempotency import idempotency_records_purge


class Command(BaseCommand):
    help = "Delete Idempotency-Key records older than the key lifetime (24 hours)."

    def handle(self, *args: Any, **options: Any) -> None:
        deleted = idempotency_records_purge()
        self.stdout.write(f"Deleted {deleted} idempotency record{'' if deleted == 1 else 's'}.")
