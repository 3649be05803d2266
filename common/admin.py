"""Helpers the apps' Django admin classes share. This module registers no models.

Admin pages write through the apps' services, like the API: these show a service's refusal on the
form and let the admin carry on with the row a service saved.
"""

from django import forms
from django.db.models import Model

from common.errors import ApplicationError


def add_application_error(
    form: forms.BaseForm, error: ApplicationError, field_names: dict[str, str]
) -> None:
    """Shows a service's error on the form: each detail on its field (API field names mapped
    to form fields by `field_names`), anything else at the top of the form."""
    if not error.details:
        form.add_error(None, error.message)
        return
    for detail in error.details:
        field = field_names.get(detail["field"], detail["field"])
        form.add_error(field if field in form.fields else None, detail["issue"])


def adopt_saved(unsaved: Model, saved: Model) -> None:
    """Makes the admin's form instance the row a service created, so the admin's log entry,
    messages and redirect refer to it."""
    for field in saved._meta.concrete_fields:
        setattr(unsaved, field.attname, getattr(saved, field.attname))
    unsaved._state.adding = False
    unsaved._state.db = saved._state.db
