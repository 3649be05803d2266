"""Database helpers every app's services share."""

from django.apps import apps
from django.db import IntegrityError, connection, transaction
from django.db.models import Model


def check_references_now(table_names: list[str] | None = None) -> None:
    """Checks now, not at the commit, the foreign keys of what this transaction wrote. Both
    databases defer those checks to the commit, which may be a caller's; checking here makes a
    row that refers to one a concurrent request deleted (or the reverse) fail inside the service,
    as `IntegrityError`. On PostgreSQL this is two cheap statements. On SQLite, where writers are
    serialised, it runs only for the `table_names` given, and scans those tables."""
    if connection.vendor == "postgresql" or table_names:
        connection.check_constraints(table_names=table_names)


def delete_checking_references(instance: Model) -> None:
    """Deletes `instance` and what cascades from it, in a savepoint, checking at once the foreign
    keys of every table involved. The database defers those checks to the commit, so a row that
    came to refer to a deleted one after Django's PROTECT check (a concurrent request's) would
    fail only there; this way it raises `IntegrityError` here, and the delete is undone."""
    pk = instance.pk
    try:
        with transaction.atomic():
            _, deleted = instance.delete()
            models = [apps.get_model(label) for label in deleted]
            tables = {model._meta.db_table for model in models}
            tables.update(
                rel.related_model._meta.db_table for m in models for rel in m._meta.related_objects
            )
            check_references_now(sorted(tables))
    except IntegrityError:
        instance.pk = pk  # the delete was rolled back
        raise
