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
from nested_admin import NestedModelAdmin, NestedStackedInline, NestedTabularInline
from nested_admin.formsets import NestedInlineFormSet

from accounts.permissions import admin_page_user
from assessments import authoring, rules
from assessments.models import Assessment, Option, Question
from assessments.permissions import assessments_visible_to
from common.admin import CascadingDeleteMixin, add_issues, adopt_saved
from common.errors import ResourceInUse
from courses.permissions import courses_managed_by

# A field named in `authoring`'s details, by its name in the admin's forms.
_ADMIN_FIELD = {"review.show_correct_answers": "show_correct_answers"}


# --- assessments: one page with the questions and their options -----------------------------

_OWN_FIELDS = ("text", "type", "points", "explanation")


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

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        if self.instance._state.adding:
            # In the admin an assessment starts as a draft, to be published once it has its
            # questions (the API's default stays `published`, SPEC §5).
            self.initial["status"] = Assessment.Status.DRAFT


class QuestionRowForm(forms.ModelForm[Question]):
    """A question on the assessment page. Its position is an order: drag the row or type a
    number (lower comes first); the stored positions are then 1..n."""

    class Meta:
        model = Question
        fields = ["text", "type", "points", "position", "explanation"]
        widgets = {
            "text": forms.Textarea(attrs={"rows": 2, "cols": 80}),
            "explanation": forms.Textarea(attrs={"rows": 2, "cols": 80}),
        }

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        position = self.fields["position"]
        position.required = False
        position.help_text = "Drag the question, or type a number: lower comes first."
        if self.instance._state.adding:
            self.initial["position"] = None  # empty: after the others

    def clean(self) -> dict[str, Any]:
        super().clean()
        data = self.cleaned_data
        add_issues(
            self, authoring.question_issues(**{f: data[f] for f in _OWN_FIELDS if f in data})
        )
        return data


class QuestionRowFormSet(NestedInlineFormSet):  # type: ignore[misc]  # nested-admin is untyped
    """The assessment's questions. The admin publishes only an assessment with questions."""

    def kept_forms(self) -> list[QuestionRowForm]:
        return [
            form
            for form in self.forms
            if form not in self.deleted_forms
            if not form.instance._state.adding or _row_filled(form)
        ]

    def clean(self) -> None:
        super().clean()
        assessment = self.instance
        if any(self.errors) or assessment.status != Assessment.Status.PUBLISHED:
            return
        stored = 0 if assessment._state.adding else assessment.questions.count()
        removed = sum(1 for f in self.deleted_forms if not f.instance._state.adding)
        added = sum(1 for f in self.kept_forms() if f.instance._state.adding)
        if stored - removed + added > 0:
            return
        if stored == 0 and not assessment._state.adding:
            was = Assessment.objects.filter(pk=assessment.pk).values_list("status", flat=True)
            if was.first() == Assessment.Status.PUBLISHED:
                return  # already published without questions (over the API): left as it is
        raise forms.ValidationError(
            "An assessment needs at least one question to be published: add a question, "
            "or save it as a draft."
        )


def _row_filled(form: forms.BaseForm) -> bool:
    """Whether a new question row was filled in (the question or one of its options)."""
    return form.has_changed() or any(
        fs.has_changed() for fs in getattr(form, "nested_formsets", [])
    )


@admin.register(Assessment)
class AssessmentAdmin(CascadingDeleteMixin, NestedModelAdmin):  # type: ignore[misc]
    form = AssessmentAdminForm
    cascade_read_only_models = ("assessments.Attempt",)
    list_display = [
        "title",
        "course",
        "status",
        "passing_score",
        "time_limit_minutes",
        "max_attempts",
        "question_count",
        "statistics",
        "preview",
    ]
    list_filter = ["status", ("course", admin.RelatedOnlyFieldListFilter)]
    search_fields = ["title", "course__title"]
    actions = ["duplicate"]

    @admin.action(description="Duplicate selected assessments as drafts")
    def duplicate(self, request: HttpRequest, queryset: QuerySet[Assessment]) -> None:
        # The queryset is the visible one (get_queryset): nobody copies what they cannot see.
        copies = [authoring.assessment_duplicate(assessment=a) for a in queryset]
        titles = ", ".join(f"“{c.title}”" for c in copies)
        self.message_user(request, f"Created {len(copies)} draft(s): {titles}.", messages.SUCCESS)

    def get_inlines(self, request: HttpRequest, obj: Any) -> list[type[Any]]:
        return [QuestionInline]

    def get_queryset(self, request: HttpRequest) -> QuerySet[Assessment]:
        queryset = super().get_queryset(request).select_related("course")
        queryset = queryset.annotate(question_total=Count("questions"))
        return assessments_visible_to(admin_page_user(request), queryset)

    def get_readonly_fields(self, request: HttpRequest, obj: Any = None) -> tuple[str, ...]:
        # An assessment stays in the course it was created in.
        return ("course", "preview") if obj is not None else ()

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

    @admin.display(description="Preview")
    def preview(self, obj: Assessment) -> str:
        """The learner's view of the assessment, drafts included, with nothing recorded."""
        url = reverse("preview", args=[obj.pk])
        return format_html('<a href="{}">Preview as a learner</a>', url)

    def save_model(self, request: HttpRequest, obj: Assessment, form: Any, change: bool) -> None:
        fields = {name: value for name, value in form.cleaned_data.items() if name != "course"}
        if change:
            # Only what the form changed: a field someone else changed meanwhile keeps their value.
            changed = {name: value for name, value in fields.items() if name in form.changed_data}
            adopt_saved(obj, authoring.assessment_update(assessment=obj, **changed))
        else:
            created = authoring.assessment_create(course=form.cleaned_data["course"], **fields)
            adopt_saved(obj, created)

    def save_related(
        self, request: HttpRequest, form: Any, formsets: list[Any], change: bool
    ) -> None:
        """The questions with their options, through the services: deletions, then each new
        or changed question with its option set, then the order (positions 1..n)."""
        for formset in formsets:
            formset.new_objects, formset.changed_objects, formset.deleted_objects = [], [], []
        questions = next(fs for fs in formsets if isinstance(fs, QuestionRowFormSet))
        assessment = form.instance
        for row in questions.deleted_forms:
            if not row.instance._state.adding:
                authoring.question_delete(question=Question.objects.get(pk=row.instance.pk))
                questions.deleted_objects.append(row.instance)
        kept = questions.kept_forms()
        for row in kept:
            options_formset = row.nested_formsets[0]  # type: ignore[attr-defined]  # nested-admin
            options = options_formset.options_data()
            if row.instance._state.adding:
                fields = {f: row.cleaned_data[f] for f in _OWN_FIELDS}
                created = authoring.question_create(
                    assessment=assessment, **fields, options=options
                )
                adopt_saved(row.instance, created)
                questions.new_objects.append(row.instance)
            elif row.has_changed() or options_formset.has_changed():
                changes = {f: row.cleaned_data[f] for f in _OWN_FIELDS if f in row.changed_data}
                authoring.question_update(
                    question=Question.objects.get(pk=row.instance.pk), **changes, options=options
                )
                questions.changed_objects.append((row.instance, row.changed_data))
        order = sorted(
            range(len(kept)),
            key=lambda i: (
                kept[i].cleaned_data.get("position") is None,
                kept[i].cleaned_data.get("position") or 0,
                "position" not in kept[i].changed_data,  # a moved row goes before the one there
                i,
            ),
        )
        positions = {kept[i].instance.pk: place for place, i in enumerate(order, start=1)}
        stored = dict(assessment.questions.values_list("pk", "position"))
        if positions != stored:
            authoring.assessment_reorder_questions(assessment=assessment, positions=positions)

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


def _or(value: int | None, default: int) -> int:
    return default if value is None else value


class OptionFormSet(BaseInlineFormSet[Option, Question, forms.ModelForm[Option]]):
    """Checks the question's option set as a whole, with the API's rules: 2 to 10 options
    (true_false: 2), and the right number of correct ones for the question's type."""

    def kept_forms(self) -> list[forms.ModelForm[Option]]:
        """The rows that are options: stored ones not deleted, and new ones filled in. The first
        two rows of a true_false question always are (their texts default to True / False)."""
        true_false = self.instance.type == Question.Type.TRUE_FALSE
        return [
            form
            for index, form in enumerate(self.forms)
            if form.has_changed() or not form.instance._state.adding or (true_false and index < 2)
            if not (self.can_delete and form.cleaned_data.get("DELETE"))
        ]

    def question_dropped(self) -> bool:
        """On the assessment page: whether this formset's question is deleted or left empty."""
        row = getattr(self, "parent_form", None)
        if row is None:
            return False
        if row.cleaned_data.get("DELETE"):
            return True
        return bool(row.instance._state.adding and not _row_filled(row))

    def options_data(self) -> list[authoring.OptionInput]:
        """The kept rows as the services take options. The position column orders the rows (an
        empty one counts as its row number); the stored positions are then 1..n."""
        kept = self.kept_forms()
        order = sorted(
            range(len(kept)),
            key=lambda i: (_or(kept[i].cleaned_data.get("position"), i + 1), i),
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
        if any(self.errors) or self.question_dropped():
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


class NestedOptionFormSet(OptionFormSet, NestedInlineFormSet):  # type: ignore[misc]
    pass


class NestedOptionInline(NestedTabularInline):  # type: ignore[misc]  # nested-admin is untyped
    """A question's options on the assessment page: its answer key, in order."""

    model = Option
    form = OptionForm
    formset = NestedOptionFormSet
    fields = ["text", "is_correct", "position"]
    ordering = ["position", "id"]
    sortable_field_name = "position"
    max_num = rules.OPTION_COUNT[1]
    verbose_name = "option"

    def get_extra(self, request: HttpRequest, obj: Any = None, **kwargs: Any) -> int:
        if obj is None or obj._state.adding:
            return 4
        return 0 if obj.type == Question.Type.TRUE_FALSE else 1  # true/false: its two rows


class QuestionInline(NestedStackedInline):  # type: ignore[misc]  # nested-admin is untyped
    model = Question
    form = QuestionRowForm
    formset = QuestionRowFormSet
    inlines = [NestedOptionInline]
    fields = ["text", "type", "points", "position", "explanation"]
    ordering = ["position", "created_at", "id"]
    sortable_field_name = "position"
    extra = 0

    class Media:
        js = ["assessments/admin/question_rows.js"]

    def get_extra(self, request: HttpRequest, obj: Any = None, **kwargs: Any) -> int:
        return 1 if obj is None else 0  # a new assessment opens with a question to fill in


@admin.register(Question)
class QuestionAdmin(admin.ModelAdmin[Question]):
    form = QuestionAdminForm
    inlines = [OptionInline]
    list_display = ["text", "assessment", "type", "points", "position"]
    list_filter = [("assessment", admin.RelatedOnlyFieldListFilter), "type"]
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
