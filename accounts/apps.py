from django.apps import AppConfig


class AccountsConfig(AppConfig):
    name = "accounts"

    def ready(self) -> None:
        # Registers the bearer scheme with drf-spectacular (an extension registers on definition).
        from accounts.api import schema  # noqa: F401
