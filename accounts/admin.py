"""Users in the Django admin: admins list, add, change, deactivate and delete them here.

The forms check the same rules as the API (`accounts.services.user_field_issues`) and every write
goes through `accounts.services`, so an email is stored lower-case and unique whatever its case,
the Instructors group follows the role, and a deactivation or a new password ends the user's API
logins. Instructors are staff but hold no user permissions, so they do not see this page.
"""

from typing import TYPE_CHECKING, Any

from django import forms
from django.contrib import admin, messages
from django.contrib.auth.admin import UserAdmin as DjangoUserAdmin
from django.contrib.auth.forms import (
    AdminPasswordChangeForm,
    ReadOnlyPasswordHashField,
    SetPasswordMixin,
)
from django.db.models import QuerySet
from django.http import HttpRequest

from accounts import services
from accounts.models import User
from common.admin import CascadingDeleteMixin, add_application_error, adopt_saved
from common.errors import ValidationFailed
from common.validation import Issues

if TYPE_CHECKING:
    _UserForm = forms.ModelForm[User]
    _SetPasswordMixin = SetPasswordMixin[User]
    _AdminPasswordChangeForm = AdminPasswordChangeForm[User]
    _DjangoUserAdmin = DjangoUserAdmin[User]
else:  # generic to the type checker only
    _UserForm = forms.ModelForm
    _SetPasswordMixin = SetPasswordMixin
    _AdminPasswordChangeForm = AdminPasswordChangeForm
    _DjangoUserAdmin = DjangoUserAdmin

# What the change form may change; everything else about a user follows from these.
CHANGEABLE_FIELDS = ("name", "email", "role", "is_active")


def _add_issues(form: forms.BaseForm, issues: Issues, renamed: dict[str, str]) -> None:
    """Shows the service's `{"field", "issue"}` list on the form's own fields."""
    if issues:
        add_application_error(form, ValidationFailed(details=issues), renamed)


class _ServiceRulesMixin:
    """The service rules check the email (unique in any letter case) once, in `clean`; the
    model's unique checks would repeat that with a worse message. The email is all they cover
    (its unique field and its case-insensitive constraint), so the forms skip them."""

    def validate_unique(self) -> None:
        return


class UserAddForm(_ServiceRulesMixin, _SetPasswordMixin, _UserForm):
    password1, password2 = SetPasswordMixin.create_password_fields()

    class Meta:
        model = User
        fields = ("email", "name", "role")

    def clean(self) -> dict[str, Any]:
        super().clean()
        cleaned = self.cleaned_data
        self.validate_passwords()
        if not self.errors:
            issues = services.user_field_issues(
                user=None,
                name=cleaned["name"],
                email=cleaned["email"],
                password=cleaned["password1"],
                role=cleaned["role"],
            )
            _add_issues(self, issues, {"password": "password2"})
        return cleaned


class UserChangeForm(_ServiceRulesMixin, _UserForm):
    password = ReadOnlyPasswordHashField(
        label="Password",
        help_text="Raw passwords are not stored; use the button to set a new one.",
    )

    class Meta:
        model = User
        fields = CHANGEABLE_FIELDS

    def clean(self) -> dict[str, Any]:
        super().clean()
        cleaned = self.cleaned_data
        if not self.errors:
            # The instance still holds the stored values here: the form's are applied later.
            changes = {field: cleaned[field] for field in self.changed_data if field in cleaned}
            changes.pop("is_active", None)
            issues = services.user_field_issues(user=self.instance, **changes)
            _add_issues(self, issues, {})
        return cleaned


class UserPasswordChangeForm(_AdminPasswordChangeForm):
    """A new password, checked by the validators and set through `user_update` (which ends the
    user's API logins). Users always keep a usable password: no "disable password" choice."""

    def __init__(self, user: User, *args: Any, **kwargs: Any) -> None:
        super().__init__(user, *args, **kwargs)
        self.fields.pop("usable_password", None)
        self.fields["password1"].required = True
        self.fields["password2"].required = True

    def save(self, commit: bool = True) -> User:
        return services.user_update(user=self.user, password=self.cleaned_data["password1"])


@admin.register(User)
class UserAdmin(CascadingDeleteMixin, _DjangoUserAdmin):
    add_form_template = None  # the plain add form: Django's speaks of usernames
    form = UserChangeForm
    add_form = UserAddForm
    change_password_form = UserPasswordChangeForm
    fieldsets = (
        (None, {"fields": ("id", "email", "password")}),
        ("Profile", {"fields": ("name", "role", "is_active")}),
        ("Dates", {"fields": ("created_at", "last_login")}),
    )
    add_fieldsets = (
        (None, {"classes": ("wide",), "fields": ("email", "name", "role")}),
        ("Password", {"classes": ("wide",), "fields": ("password1", "password2")}),
    )
    readonly_fields = ("id", "created_at", "last_login")
    list_display = ("email", "name", "role", "is_active", "created_at", "last_login")
    list_filter = ("role", "is_active")
    search_fields = ("name", "email")
    ordering = ("created_at", "id")
    filter_horizontal = ()
    actions = ["deactivate_users"]

    def save_model(
        self, request: HttpRequest, obj: User, form: "forms.ModelForm[User]", change: bool
    ) -> None:
        data = form.cleaned_data
        if change:
            # Only what the form changed: a field changed meanwhile elsewhere keeps its value.
            changes = {
                field: data[field] for field in form.changed_data if field in CHANGEABLE_FIELDS
            }
            services.user_update(user=obj, **changes)
        else:
            created = services.user_create(
                email=data["email"],
                name=data["name"],
                password=data["password1"],
                role=data["role"],
            )
            # The admin goes on with `obj` (history entry, redirect): make it the stored row.
            adopt_saved(obj, created)
            return
        obj.refresh_from_db()

    def delete_model(self, request: HttpRequest, obj: User) -> None:
        services.user_delete(user=obj)

    def delete_queryset(self, request: HttpRequest, queryset: QuerySet[User]) -> None:
        for user in queryset:
            services.user_delete(user=user)

    @admin.action(
        description="Deactivate selected users (ends their logins)", permissions=["change"]
    )
    def deactivate_users(self, request: HttpRequest, queryset: QuerySet[User]) -> None:
        users = list(queryset.filter(is_active=True))
        for user in users:
            services.user_update(user=user, is_active=False)
        self.message_user(request, f"Deactivated {len(users)} user(s).", messages.SUCCESS)


# The product's name on every admin page.
admin.site.site_header = "Assessments"
admin.site.site_title = "Assessments"
admin.site.index_title = "Authoring and results"
