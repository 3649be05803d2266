"""Results in the Django admin, read-only (SPEC §10): submissions and attempts lists, the CSV
export, and per-assessment item statistics.

Nobody adds, changes or deletes attempts or submissions here: they are written only by taking an
assessment. Instructors see the results of the assessments of their own courses (the authoring
admin's scoping, `assessments_visible_to`); admins see all. Learners have no admin access.
"""

from collections.abc import Iterable
from typing import Any, TypeVar

from django.contrib import admin
from django.contrib.admin.utils import quote, unquote
from django.core.exceptions import PermissionDenied
from django.db.models import QuerySet
from django.http import HttpRequest, HttpResponse, StreamingHttpResponse
from django.shortcuts import get_object_or_404
from django.template.response import TemplateResponse
from django.urls import URLPattern, path, reverse
from django.utils import timezone
from django.utils.html import format_html, format_html_join

from accounts.permissions import admin_page_user
from assessments import results
from assessments.models import Assessment, Attempt, Submission
from assessments.permissions import assessments_visible_to

_ResultT = TypeVar("_ResultT", bound=Attempt | Submission)


def _scoped(request: HttpRequest, queryset: QuerySet[_ResultT]) -> QuerySet[_ResultT]:
    """The attempts or submissions of the assessments `request.user` may see in the admin."""
    user = admin_page_user(request)
    if not user.is_staff:
        return queryset.none()
    return queryset.filter(assessment__in=assessments_visible_to(user))


def csv_response(lines: Iterable[str], filename: str) -> StreamingHttpResponse:
    response = StreamingHttpResponse(lines, content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response


class ResultsAdmin(admin.ModelAdmin[_ResultT]):
    """Read-only for everyone, admins included."""

    def has_add_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def get_queryset(self, request: HttpRequest) -> QuerySet[_ResultT]:
        queryset = super().get_queryset(request).select_related("user", "assessment__course")
        return _scoped(request, queryset)

    @admin.display(description="Learner", ordering="user__name")
    def learner_name(self, obj: Attempt | Submission) -> str:
        return obj.user.name

    @admin.display(description="Email", ordering="user__email")
    def learner_email(self, obj: Attempt | Submission) -> str:
        return obj.user.email

    @admin.display(description="Course", ordering="assessment__course__title")
    def course(self, obj: Attempt | Submission) -> str:
        return obj.assessment.course.title


@admin.register(Submission)
class SubmissionAdmin(ResultsAdmin[Submission]):
    list_display = [
        "id",
        "learner_name",
        "learner_email",
        "assessment",
        "course",
        "attempt_number",
        "score",
        "passed",
        "submitted_at",
    ]
    list_select_related = ["user", "assessment__course"]
    list_filter = [
        ("assessment", admin.RelatedOnlyFieldListFilter),
        ("assessment__course", admin.RelatedOnlyFieldListFilter),
        "passed",
        "submitted_at",
    ]
    search_fields = ["user__email", "user__name", "=id"]
    ordering = ["-submitted_at", "-id"]
    actions = ["export_csv"]
    fields = readonly_fields = (
        "id",
        "learner_name",
        "learner_email",
        "assessment",
        "course",
        "attempt",
        "attempt_number",
        "submitted_at",
        "score",
        "passed",
        "passing_score",
        "points_earned",
        "points_possible",
        "answers",
    )

    @admin.display(description="Answers")
    def answers(self, obj: Submission) -> str:
        """The per-question results, as graded (the submission's snapshot)."""
        rows = []
        for number, entry in enumerate(obj.results, start=1):
            texts = {option["id"]: option["text"] for option in entry.get("options", ())}
            selected = results.selected_ids(entry)
            rows.append(
                (
                    number,
                    entry.get("text", entry["question_id"]),
                    "; ".join(texts.get(i, i) for i in selected) or "(no answer)",
                    "; ".join(texts.get(i, i) for i in entry.get("correct_option_ids", ())),
                    "Correct" if entry.get("correct") else "Wrong",
                    entry.get("points_awarded", ""),
                    entry.get("points_possible", ""),
                )
            )
        body = format_html_join(
            "",
            '<tr><th scope="row">{}</th><td>{}</td><td>{}</td><td>{}</td><td>{}</td>'
            "<td>{} / {}</td></tr>",
            rows,
        )
        return format_html(
            '<table class="submission-answers"><caption>Answers as graded</caption>'
            '<thead><tr><th scope="col">#</th><th scope="col">Question</th>'
            '<th scope="col">Selected</th><th scope="col">Correct answer</th>'
            '<th scope="col">Result</th><th scope="col">Points</th></tr></thead>'
            "<tbody>{}</tbody></table>",
            body,
        )

    @admin.action(description="Export selected to CSV", permissions=["view"])
    def export_csv(
        self, request: HttpRequest, queryset: QuerySet[Submission]
    ) -> StreamingHttpResponse:
        stamp = timezone.now().strftime("%Y%m%d-%H%M%S")
        return csv_response(
            results.export_csv_lines(queryset, with_assessment=True),
            f"submissions-{stamp}.csv",
        )

    # --- per-assessment pages -------------------------------------------------------------------

    def get_urls(self) -> list[URLPattern]:
        wrap = self.admin_site.admin_view
        return [
            path(
                "assessment/<str:assessment_id>/statistics/",
                wrap(self.statistics_view),
                name="assessments_submission_statistics",
            ),
            path(
                "assessment/<str:assessment_id>/export/",
                wrap(self.export_view),
                name="assessments_submission_export",
            ),
            *super().get_urls(),
        ]

    def _assessment(self, request: HttpRequest, assessment_id: str) -> Assessment:
        """The assessment whose results `request.user` may read: `403` without the right to read
        results, `404` for an assessment they may not see (another instructor's)."""
        if not self.has_view_permission(request):
            raise PermissionDenied
        visible = assessments_visible_to(admin_page_user(request)).select_related("course")
        return get_object_or_404(visible, pk=unquote(assessment_id))

    def statistics_view(self, request: HttpRequest, assessment_id: str) -> HttpResponse:
        assessment = self._assessment(request, assessment_id)
        stats = results.assessment_statistics(assessment=assessment)
        context = {
            **self.admin_site.each_context(request),
            "title": f"Item statistics: {assessment.title}",
            "opts": self.opts,
            "assessment_opts": Assessment._meta,
            "assessment": assessment,
            "stats": stats,
            "export_url": reverse(
                "admin:assessments_submission_export", args=[quote(assessment.pk)]
            ),
            "submissions_url": (
                reverse("admin:assessments_submission_changelist")
                + f"?assessment__id__exact={assessment.pk}"
            ),
        }
        return TemplateResponse(request, "admin/assessments/item_statistics.html", context)

    def export_view(self, request: HttpRequest, assessment_id: str) -> StreamingHttpResponse:
        assessment = self._assessment(request, assessment_id)
        submissions = Submission.objects.filter(assessment=assessment)
        stamp = timezone.now().strftime("%Y%m%d-%H%M%S")
        return csv_response(
            results.export_csv_lines(submissions), f"results-{assessment.pk}-{stamp}.csv"
        )


@admin.register(Attempt)
class AttemptAdmin(ResultsAdmin[Attempt]):
    list_display = [
        "id",
        "learner_name",
        "learner_email",
        "assessment",
        "course",
        "attempt_number",
        "status",
        "started_at",
        "deadline_at",
        "closed_at",
    ]
    list_select_related = ["user", "assessment__course"]
    list_filter = [
        "status",
        ("assessment", admin.RelatedOnlyFieldListFilter),
        ("assessment__course", admin.RelatedOnlyFieldListFilter),
    ]
    search_fields = ["user__email", "user__name", "=id"]
    ordering = ["-started_at", "-id"]
    fields = readonly_fields = (
        "id",
        "learner_name",
        "learner_email",
        "assessment",
        "course",
        "attempt_number",
        "status",
        "started_at",
        "deadline_at",
        "saved_at",
        "closed_at",
        "saved_answer_count",
        "result",
    )

    @admin.display(description="Questions with a saved answer")
    def saved_answer_count(self, obj: Attempt) -> int:
        return sum(1 for chosen in obj.saved_answers.values() if chosen)

    @admin.display(description="Submission")
    def result(self, obj: Attempt) -> str:
        submission = Submission.objects.filter(attempt=obj).only("id", "score", "passed").first()
        if submission is None:
            return "None (not graded)"
        url = reverse("admin:assessments_submission_change", args=[quote(submission.pk)])
        verdict = "passed" if submission.passed else "failed"
        return format_html(
            '<a href="{}">{}</a>: {}%, {}', url, submission.pk, submission.score, verdict
        )
