"""Helpers the apps' Django admin classes share. This module registers no models.

Admin pages write through the apps' services, like the API: these show a service's refusal on the
form and let the admin carry on with the row a service saved.
"""

from collections.abc import Sequence
from typing import TYPE_CHECKING, Any

from django import forms
from django.apps import apps
from django.contrib import messages
from django.db.models import Model, QuerySet
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect

from common.errors import ApplicationError, ResourceInUse
from common.validation import Issue


def add_application_error(
    form: forms.BaseForm, error: ApplicationError, field_names: dict[str, str]
) -> None:
    """Shows a service's error on the form: each detail on its field (API field names mapped
    to form fields by `field_names`), anything else at the top of the form."""
    if not error.details:
        form.add_error(None, error.message)
        return
    add_issues(form, error.details, field_names)


def add_issues(
    form: forms.BaseForm,
    issues: Sequence[Issue],
    field_names: dict[str, str] | None = None,
) -> None:
    """Shows validation `details` (possibly none) on the form: each on its field (API field
    names mapped to form fields by `field_names`), the others at the top of the form."""
    for issue in issues:
        field = (field_names or {}).get(issue["field"], issue["field"])
        form.add_error(field if field in form.fields else None, issue["issue"])


def adopt_saved(unsaved: Model, saved: Model) -> None:
    """Makes the admin's form instance the row a service created, so the admin's log entry,
    messages and redirect refer to it."""
    for field in saved._meta.concrete_fields:
        setattr(unsaved, field.attname, getattr(saved, field.attname))
    unsaved._state.adding = False
    unsaved._state.db = saved._state.db


if TYPE_CHECKING:
    from django.contrib.admin import ModelAdmin

    _ModelAdmin = ModelAdmin[Any]
else:
    _ModelAdmin = object  # a mixin: the ModelAdmin comes later in the class's bases


class CascadingDeleteMixin(_ModelAdmin):
    """For a ModelAdmin whose `delete_model` calls a service that refuses with `ResourceInUse`.

    Whoever may delete the object deletes the rows of `cascade_read_only_models` that cascade
    from it, as over the API: those models' admin pages are read-only (no one may delete their
    rows there), yet the rows go with their parent, so they do not block the delete. Every other
    cascaded model still needs its delete permission. Protected rows (submissions) block the
    delete whatever the permissions, so when there are any the page lists them as the reason. A
    refusal the page could not foresee (a row stored after it checked) comes back to the same
    page as a message.
    """

    cascade_read_only_models: tuple[str, ...] = ()  # "app_label.ModelName"

    def get_deleted_objects(
        self, objs: Sequence[Any] | QuerySet[Any], request: HttpRequest
    ) -> tuple[list[str], dict[str, int], set[str], list[str]]:
        deleted, model_count, perms_needed, protected = super().get_deleted_objects(objs, request)
        if protected:
            return deleted, model_count, set(), protected
        waived = {
            str(apps.get_model(label)._meta.verbose_name) for label in self.cascade_read_only_models
        }
        return deleted, model_count, {n for n in perms_needed if str(n) not in waived}, protected

    def delete_view(
        self, request: HttpRequest, object_id: str, extra_context: dict[str, Any] | None = None
    ) -> HttpResponse:
        try:
            return super().delete_view(request, object_id, extra_context)
        except ResourceInUse as error:
            self.message_user(request, error.message, messages.ERROR)
            return HttpResponseRedirect(request.get_full_path())
