"""Database helpers every app's services share."""

from django.apps import apps
from django.db import IntegrityError, connection, transaction
from django.db.models import Model


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
            connection.check_constraints(table_names=sorted(tables))
    except IntegrityError:
        instance.pk = pk  # the delete was rolled back
        raise
