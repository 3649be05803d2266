"""`python manage.py purge_expired_tokens`: keeps the token table small. Run it daily (cron)."""

from django.core.management.base import BaseCommand

from accounts.services import token_purge_expired


class Command(BaseCommand):
    help = "Delete expired access and refresh tokens, and logins left without tokens."

    def handle(self, *args: object, **options: object) -> None:
        tokens, logins = token_purge_expired()
        self.stdout.write(f"Deleted {tokens} expired token(s) and {logins} finished login(s).")
