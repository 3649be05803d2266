"""Enrolments in the Django admin. Instructors see and manage the enrolments of the courses they
teach; admins see all. Writes go through `enrollments.services`, so the admin keeps the API's
rules: only learners are enrolled, once at a time; people move an enrolment between active and
dropped; completed is final; an enrolment with submissions behind it is not deleted."""

from typing import TYPE_CHECKING, Any

from django import forms
from django.contrib import admin
from django.db.models import QuerySet
from django.http import HttpRequest

from accounts.models import Role, User
from accounts.permissions import admin_page_user
from common.admin import add_application_error, adopt_saved
from common.errors import ApplicationError
from courses.permissions import courses_managed_by
from enrollments import services
from enrollments.models import Enrollment
from enrollments.permissions import enrollments_managed_by
from enrollments.selectors import enrollment_has_submissions

# API field names in service errors, and the admin form fields they belong to.
FORM_FIELDS = {"user_id": "user", "course_id": "course", "status": "status"}


if TYPE_CHECKING:
    _EnrollmentForm = forms.ModelForm[Enrollment]
    _EnrollmentModelAdmin = admin.ModelAdmin[Enrollment]
else:  # generic to the type checker only
    _EnrollmentForm = forms.ModelForm
    _EnrollmentModelAdmin = admin.ModelAdmin


class EnrollmentAdminForm(_EnrollmentForm):
    actor: User  # set by EnrollmentAdmin.get_form

    class Meta:
        model = Enrollment
        fields = ["user", "course", "status"]

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        user, course = self.fields.get("user"), self.fields.get("course")
        if isinstance(user, forms.ModelChoiceField):
            user.queryset = User.objects.filter(role=Role.LEARNER, is_active=True)
        if isinstance(course, forms.ModelChoiceField):
            course.queryset = courses_managed_by(self.actor).select_related("instructor")
        status = self.fields.get("status")
        if isinstance(status, forms.ChoiceField):
            status.choices = [
                (value, Enrollment.Status(value).label) for value in services.SETTABLE_STATUSES
            ]

    def clean(self) -> dict[str, Any]:
        super().clean()
        cleaned = self.cleaned_data
        try:
            if self.instance._state.adding:
                if cleaned.get("user") is not None and cleaned.get("course") is not None:
                    services.enrollment_create_check(
                        actor=self.actor, course=cleaned["course"], user=cleaned["user"]
                    )
            elif "status" in cleaned:
                services.enrollment_status_check(
                    actor=self.actor, enrollment=self.instance, status=cleaned["status"]
                )
        except ApplicationError as error:
            add_application_error(self, error, FORM_FIELDS)
        return cleaned


@admin.register(Enrollment)
class EnrollmentAdmin(_EnrollmentModelAdmin):
    form = EnrollmentAdminForm
    list_display = [
        "user",
        "course",
        "status",
        "progress_percent",
        "enrolled_at",
        "completed_at",
    ]
    list_select_related = ["user", "course"]
    list_filter = ["status", ("course", admin.RelatedOnlyFieldListFilter)]
    search_fields = ["user__name", "user__email", "course__title"]

    def get_queryset(self, request: HttpRequest) -> QuerySet[Enrollment]:
        return enrollments_managed_by(admin_page_user(request), super().get_queryset(request))

    def get_fields(self, request: HttpRequest, obj: Enrollment | None = None) -> list[Any]:
        if obj is None:
            return ["user", "course"]  # a new enrolment is active
        return ["user", "course", "status", "progress_percent", "enrolled_at", "completed_at"]

    def get_readonly_fields(self, request: HttpRequest, obj: Enrollment | None = None) -> list[str]:
        if obj is None:
            return []
        readonly = ["user", "course", "progress_percent", "enrolled_at", "completed_at"]
        if obj.status == Enrollment.Status.COMPLETED:
            readonly.append("status")  # completion is final
        return readonly

    def get_form(
        self,
        request: HttpRequest,
        obj: Enrollment | None = None,
        change: bool = False,
        **kwargs: Any,
    ) -> "type[forms.ModelForm[Enrollment]]":
        form = super().get_form(request, obj, change, **kwargs)
        if issubclass(form, EnrollmentAdminForm):  # always: `form` is made from it
            form.actor = admin_page_user(request)  # a fresh class per request (modelform_factory)
        return form

    def get_actions(self, request: HttpRequest) -> dict[str, Any]:
        # Deleting is one enrolment at a time, each checked for submissions.
        actions = super().get_actions(request)
        actions.pop("delete_selected", None)
        return actions

    def has_delete_permission(self, request: HttpRequest, obj: Enrollment | None = None) -> bool:
        if not super().has_delete_permission(request, obj):
            return False
        return obj is None or not enrollment_has_submissions(obj)

    def save_model(self, request: HttpRequest, obj: Enrollment, form: Any, change: bool) -> None:
        actor = admin_page_user(request)
        if not change:
            adopt_saved(
                obj, services.enrollment_create(actor=actor, course=obj.course, user=obj.user)
            )
        elif "status" in form.changed_data:
            adopt_saved(
                obj, services.enrollment_update(actor=actor, enrollment=obj, status=obj.status)
            )

    def delete_model(self, request: HttpRequest, obj: Enrollment) -> None:
        services.enrollment_delete(enrollment=obj)
