"""Authoring in the Django admin (SPEC §10).

The assessment page edits the assessment and its question list (text, type, points, position),
each question linking to its own page; the question page edits the question with its options.
Both check through `assessments.authoring` (the same rules as the API) and save through its
services. Instructors see and change only the assessments of their own courses and what is
under them; admins see everything.
"""

from typing import Any

from django import forms
from django.contrib import admin, messages
from django.contrib.admin.utils import quote
from django.db.models import Count, QuerySet
from django.forms.models import BaseInlineFormSet
from django.http import HttpRequest
from django.urls import reverse
from django.utils.html import format_html

from accounts.permissions import admin_page_user
from assessments import authoring, rules
from assessments.models import Assessment, Option, Question
from assessments.permissions import assessments_visible_to
from common.admin import CascadingDeleteMixin, add_issues, adopt_saved
from common.errors import ResourceInUse
from courses.permissions import courses_managed_by

# A field named in `authoring`'s details, by its name in the admin's forms.
_ADMIN_FIELD = {"review.show_correct_answers": "show_correct_answers"}


# --- assessments -------------------------------------------------------------------------------


class AssessmentAdminForm(forms.ModelForm[Assessment]):
    class Meta:
        model = Assessment
        fields = [
            "course",
            "title",
            "passing_score",
            "time_limit_minutes",
            "max_attempts",
            "status",
            "show_correct_answers",
        ]


class QuestionInlineForm(forms.ModelForm[Question]):
    """A row of the assessment page's question list. A change of type is checked against the
    question's stored options."""

    class Meta:
        model = Question
        fields = ["text", "type", "points", "position"]
        widgets = {"text": forms.Textarea(attrs={"rows": 2, "cols": 60})}

    def clean(self) -> dict[str, Any]:
        super().clean()
        data = self.cleaned_data
        if self.instance._state.adding or not self.has_changed():
            return data
        current = list(self.instance.options.all())
        add_issues(
            self,
            authoring.question_issues(
                **{f: data[f] for f in ("text", "type", "points") if f in data},
                options=[{"id": o.pk, "text": o.text, "is_correct": o.is_correct} for o in current],
                option_ids=[o.pk for o in current],
            ),
        )
        position = data.get("position")
        if position is not None and "position" in self.changed_data:
            add_issues(
                self,
                rules.position_issues(
                    position=position,
                    question_count=self.instance.assessment.questions.count(),
                    adding=False,
                ),
            )
        return data


class QuestionInline(admin.TabularInline[Question, Assessment]):
    model = Question
    form = QuestionInlineForm
    fields = ["text", "type", "points", "position"]
    ordering = ["position", "created_at", "id"]
    extra = 0
    show_change_link = True
    verbose_name_plural = "Questions (open a question to edit its options)"

    def has_add_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        # A question is created with its options, on the question page ("Add a question").
        return False


@admin.register(Assessment)
class AssessmentAdmin(CascadingDeleteMixin, admin.ModelAdmin[Assessment]):
    form = AssessmentAdminForm
    cascade_read_only_models = ("assessments.Attempt",)
    inlines = [QuestionInline]
    list_display = [
        "title",
        "course",
        "status",
        "passing_score",
        "time_limit_minutes",
        "max_attempts",
        "question_count",
        "statistics",
    ]
    list_filter = ["status"]
    search_fields = ["title", "course__title"]
    readonly_fields = ["add_question"]

    def get_queryset(self, request: HttpRequest) -> QuerySet[Assessment]:
        queryset = super().get_queryset(request).select_related("course")
        queryset = queryset.annotate(question_total=Count("questions"))
        return assessments_visible_to(admin_page_user(request), queryset)

    def get_readonly_fields(self, request: HttpRequest, obj: Any = None) -> tuple[str, ...]:
        # An assessment stays in the course it was created in.
        return ("course", "add_question") if obj is not None else ()

    def get_fields(self, request: HttpRequest, obj: Any = None) -> tuple[str, ...]:
        fields = tuple(AssessmentAdminForm.Meta.fields)
        return (*fields, "add_question") if obj is not None else fields

    def formfield_for_foreignkey(self, db_field: Any, request: HttpRequest, **kwargs: Any) -> Any:
        if db_field.name == "course":
            kwargs["queryset"] = courses_managed_by(admin_page_user(request))
        return super().formfield_for_foreignkey(db_field, request, **kwargs)

    @admin.display(description="Questions", ordering="question_total")
    def question_count(self, obj: Assessment) -> int:
        total: int = obj.question_total  # type: ignore[attr-defined]  # get_queryset annotates it
        return total

    @admin.display(description="Statistics")
    def statistics(self, obj: Assessment) -> str:
        url = reverse("admin:assessments_submission_statistics", args=[quote(obj.pk)])
        return format_html('<a href="{}">Statistics</a>', url)

    @admin.display(description="New question")
    def add_question(self, obj: Assessment) -> str:
        url = reverse("admin:assessments_question_add") + f"?assessment={obj.pk}"
        return format_html('<a href="{}">Add a question with its options</a>', url)

    def save_model(self, request: HttpRequest, obj: Assessment, form: Any, change: bool) -> None:
        fields = {name: value for name, value in form.cleaned_data.items() if name != "course"}
        if change:
            # Only what the form changed: a field someone else changed meanwhile keeps their value.
            changed = {name: value for name, value in fields.items() if name in form.changed_data}
            adopt_saved(obj, authoring.assessment_update(assessment=obj, **changed))
        else:
            created = authoring.assessment_create(course=form.cleaned_data["course"], **fields)
            adopt_saved(obj, created)

    def save_formset(self, request: HttpRequest, form: Any, formset: Any, change: bool) -> None:
        """The question list: deletions, then field changes, then moves, each through the
        services (so positions stay contiguous)."""
        formset.new_objects, formset.changed_objects, formset.deleted_objects = [], [], []
        for deleted in formset.deleted_forms:
            if not deleted.instance._state.adding:
                authoring.question_delete(question=Question.objects.get(pk=deleted.instance.pk))
                formset.deleted_objects.append(deleted.instance)
        moves = {}
        for row in formset.forms:
            if row in formset.deleted_forms or not row.has_changed():
                continue
            changes = {
                f: row.cleaned_data[f] for f in ("text", "type", "points") if f in row.changed_data
            }
            if changes:
                authoring.question_update(
                    question=Question.objects.get(pk=row.instance.pk), **changes
                )
            if "position" in row.changed_data and row.cleaned_data.get("position") is not None:
                moves[row.instance.pk] = row.cleaned_data["position"]
            formset.changed_objects.append((row.instance, row.changed_data))
        if moves:
            authoring.assessment_reorder_questions(assessment=form.instance, positions=moves)

    def delete_model(self, request: HttpRequest, obj: Assessment) -> None:
        authoring.assessment_delete(assessment=obj)

    def delete_queryset(self, request: HttpRequest, queryset: QuerySet[Assessment]) -> None:
        for assessment in queryset:
            try:
                authoring.assessment_delete(assessment=assessment)
            except ResourceInUse as exc:
                self.message_user(request, f"{assessment}: {exc.message}", messages.ERROR)


# --- questions and their options ---------------------------------------------------------------


class QuestionAdminForm(forms.ModelForm[Question]):
    class Meta:
        model = Question
        fields = ["assessment", "text", "type", "points", "position", "explanation"]

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["position"].required = False
        self.fields[
            "position"
        ].help_text = "From 1; the other questions shift. Leave empty to put a new question last."
        if self.instance._state.adding:
            self.initial["position"] = None  # not the model's default 0: empty means "last"

    def clean(self) -> dict[str, Any]:
        super().clean()
        data = self.cleaned_data
        add_issues(
            self,
            authoring.question_issues(
                **{f: data[f] for f in ("text", "type", "points", "explanation") if f in data}
            ),
        )
        assessment = data.get("assessment") or (
            None if self.instance._state.adding else self.instance.assessment
        )
        position = data.get("position")
        if assessment is not None and position is not None:
            add_issues(
                self,
                rules.position_issues(
                    position=position,
                    question_count=assessment.questions.count(),
                    adding=self.instance._state.adding,
                ),
            )
        return data


class OptionForm(forms.ModelForm[Option]):
    class Meta:
        model = Option
        fields = ["text", "is_correct", "position"]

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["text"].required = False  # a true_false option may leave it to "True"/"False"
        self.fields["position"].required = False
        if self.instance._state.adding:
            self.initial["position"] = None  # an untouched empty row is not an option


class OptionFormSet(BaseInlineFormSet[Option, Question, forms.ModelForm[Option]]):
    """Checks the question's option set as a whole, with the API's rules: 2 to 10 options
    (true_false: 2), and the right number of correct ones for the question's type."""

    def kept_forms(self) -> list[forms.ModelForm[Option]]:
        return [
            form
            for form in self.forms
            if form.has_changed() or not form.instance._state.adding
            if not (self.can_delete and form.cleaned_data.get("DELETE"))
        ]

    def options_data(self) -> list[authoring.OptionInput]:
        """The kept rows as the services take options. The position column orders the rows (an
        empty one counts as its row number); the stored positions are then 1..n."""
        kept = self.kept_forms()
        order = sorted(
            range(len(kept)),
            key=lambda i: (kept[i].cleaned_data.get("position") or i + 1, i),
        )
        rank = {index: place for place, index in enumerate(order, start=1)}
        return [
            {
                "id": None if form.instance._state.adding else form.instance.pk,
                "text": form.cleaned_data.get("text") or None,
                "is_correct": bool(form.cleaned_data.get("is_correct")),
                "position": rank[index],
            }
            for index, form in enumerate(kept)
        ]

    def clean(self) -> None:
        super().clean()
        if any(self.errors):
            return
        kept = self.kept_forms()
        question = self.instance
        stored = set() if question._state.adding else set(question.options.values_list("pk"))
        issues = authoring.question_issues(
            type=question.type,
            options=self.options_data(),
            option_ids=[pk for (pk,) in stored],
        )
        whole_set = []
        for issue in issues:
            field = issue["field"]
            if not field.startswith("options"):
                continue  # the question's own fields: reported on the question's form
            if field.startswith("options[") and "." in field:
                index, name = field[len("options[") :].split("].", 1)
                kept[int(index)].add_error(name if name != "id" else None, issue["issue"])
            else:
                whole_set.append(issue["issue"])
        if whole_set:
            raise forms.ValidationError(whole_set)


class OptionInline(admin.TabularInline[Option, Question]):
    model = Option
    form = OptionForm
    formset = OptionFormSet
    fields = ["text", "is_correct", "position"]
    ordering = ["position", "id"]
    max_num = rules.OPTION_COUNT[1]

    def get_extra(self, request: HttpRequest, obj: Any = None, **kwargs: Any) -> int:
        return 4 if obj is None else 1


@admin.register(Question)
class QuestionAdmin(admin.ModelAdmin[Question]):
    form = QuestionAdminForm
    inlines = [OptionInline]
    list_display = ["text", "assessment", "type", "points", "position"]
    list_filter = ["type"]
    search_fields = ["text", "assessment__title"]
    ordering = ["assessment", "position"]

    def get_queryset(self, request: HttpRequest) -> QuerySet[Question]:
        queryset = super().get_queryset(request).select_related("assessment")
        return queryset.filter(assessment__in=assessments_visible_to(admin_page_user(request)))

    def get_readonly_fields(self, request: HttpRequest, obj: Any = None) -> tuple[str, ...]:
        return ("assessment",) if obj is not None else ()

    def formfield_for_foreignkey(self, db_field: Any, request: HttpRequest, **kwargs: Any) -> Any:
        if db_field.name == "assessment":
            kwargs["queryset"] = assessments_visible_to(admin_page_user(request))
        return super().formfield_for_foreignkey(db_field, request, **kwargs)

    def save_model(self, request: HttpRequest, obj: Question, form: Any, change: bool) -> None:
        """Saved with its options in `save_related`: the service takes both at once."""

    def save_related(
        self, request: HttpRequest, form: Any, formsets: list[Any], change: bool
    ) -> None:
        option_formset = next(fs for fs in formsets if isinstance(fs, OptionFormSet))
        data = form.cleaned_data
        fields = {f: data[f] for f in ("text", "type", "points", "explanation")}
        options = option_formset.options_data()
        if change:
            question = Question.objects.get(pk=form.instance.pk)
            stored = {o.pk: o for o in question.options.all()}
            position = data.get("position") if "position" in form.changed_data else None
            question = authoring.question_update(
                question=question,
                **fields,
                options=options,
                **({"position": position} if position is not None else {}),
            )
        else:
            stored = {}
            question = authoring.question_create(
                assessment=data["assessment"],
                **fields,
                options=options,
                position=data.get("position"),
            )
        adopt_saved(form.instance, question)
        kept = option_formset.kept_forms()
        option_formset.new_objects = [f.instance for f in kept if f.instance.pk not in stored]
        option_formset.changed_objects = [
            (f.instance, f.changed_data)
            for f in kept
            if f.instance.pk in stored and f.has_changed()
        ]
        option_formset.deleted_objects = [
            f.instance for f in option_formset.deleted_forms if f.instance.pk in stored
        ]

    def delete_model(self, request: HttpRequest, obj: Question) -> None:
        authoring.question_delete(question=obj)

    def delete_queryset(self, request: HttpRequest, queryset: QuerySet[Question]) -> None:
        for question in queryset:
            authoring.question_delete(question=question)
