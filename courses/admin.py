"""Courses in the Django admin. Instructors see and change only the courses they teach; admins
see all. Writes go through `courses.services`, so the admin keeps the API's rules."""

from typing import TYPE_CHECKING, Any

from django import forms
from django.contrib import admin
from django.db.models import Q, QuerySet
from django.http import HttpRequest

from accounts.models import Role, User
from accounts.permissions import admin_page_user
from common.admin import CascadingDeleteMixin, add_application_error, adopt_saved
from common.errors import ApplicationError
from courses import services
from courses.models import Course
from courses.permissions import courses_managed_by
from courses.selectors import courses_with_enrollment_count

if TYPE_CHECKING:
    _CourseForm = forms.ModelForm[Course]
    _CourseModelAdmin = admin.ModelAdmin[Course]
else:  # generic to the type checker only
    _CourseForm = forms.ModelForm
    _CourseModelAdmin = admin.ModelAdmin


class CourseAdminForm(_CourseForm):
    actor: User  # set by CourseAdmin.get_form

    class Meta:
        model = Course
        fields = ["title", "description", "category", "status", "instructor"]

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        field = self.fields.get("instructor")
        if not isinstance(field, forms.ModelChoiceField):
            return  # not on this form
        if self.actor.is_admin:
            # Any active instructor; a course keeps its current one even if deactivated.
            choices = Q(role=Role.INSTRUCTOR, is_active=True)
            if self.instance.instructor_id:
                choices |= Q(pk=self.instance.instructor_id)
            field.queryset = User.objects.filter(choices)
        else:
            # Instructors teach the courses they write.
            field.queryset = User.objects.filter(pk=self.actor.pk)
            if self.instance._state.adding:
                self.initial["instructor"] = self.initial.get("instructor") or self.actor.pk

    def clean(self) -> dict[str, Any]:
        super().clean()
        cleaned = self.cleaned_data
        if cleaned.get("instructor") is not None:
            try:
                services.course_instructor_resolve(
                    actor=self.actor,
                    instructor_id=cleaned["instructor"].pk,
                    current=None if self.instance._state.adding else self.instance,
                )
            except ApplicationError as error:
                add_application_error(self, error, {"instructor_id": "instructor"})
        # The fields' own rules (title length...) are the model's validators, which the form
        # runs when it validates the instance.
        return cleaned


@admin.register(Course)
class CourseAdmin(CascadingDeleteMixin, _CourseModelAdmin):
    form = CourseAdminForm
    cascade_read_only_models = ("assessments.Attempt",)
    list_display = [
        "title",
        "status",
        "category",
        "instructor",
        "enrollment_count",
        "created_at",
        "updated_at",
    ]
    list_select_related = ["instructor"]
    search_fields = ["title", "category", "instructor__name", "instructor__email"]
    readonly_fields = ["created_at", "updated_at"]

    def get_queryset(self, request: HttpRequest) -> QuerySet[Course]:
        managed = courses_managed_by(admin_page_user(request), super().get_queryset(request))
        return courses_with_enrollment_count(managed)

    def get_list_filter(self, request: HttpRequest) -> list[Any]:
        filters: list[Any] = ["status", "category"]
        if admin_page_user(request).is_admin:
            filters.append(("instructor", admin.RelatedOnlyFieldListFilter))
        return filters

    @admin.display(description="Enrolments", ordering="enrollment_count")
    def enrollment_count(self, course: Course) -> int:
        return int(course.enrollment_count)  # type: ignore[attr-defined]  # get_queryset's annotation

    def get_form(
        self, request: HttpRequest, obj: Course | None = None, change: bool = False, **kwargs: Any
    ) -> "type[forms.ModelForm[Course]]":
        form = super().get_form(request, obj, change, **kwargs)
        if issubclass(form, CourseAdminForm):  # always: `form` is made from it
            form.actor = admin_page_user(request)  # a fresh class per request (modelform_factory)
        return form

    def save_model(self, request: HttpRequest, obj: Course, form: Any, change: bool) -> None:
        actor = admin_page_user(request)
        fields = {
            "title": obj.title,
            "description": obj.description,
            "category": obj.category,
            "status": obj.status,
            "instructor_id": obj.instructor_id,
        }
        if change:
            # Only what the form changed: a field someone else changed meanwhile keeps their value.
            form_field = {"instructor_id": "instructor"}
            changed = {
                name: value
                for name, value in fields.items()
                if form_field.get(name, name) in form.changed_data
            }
            saved = services.course_update(actor=actor, course=obj, **changed)
        else:
            saved = services.course_create(actor=actor, **fields)
        adopt_saved(obj, saved)

    def delete_model(self, request: HttpRequest, obj: Course) -> None:
        services.course_delete(course=obj)

    def delete_queryset(self, request: HttpRequest, queryset: QuerySet[Course]) -> None:
        for course in queryset:
            services.course_delete(course=course)
