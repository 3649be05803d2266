"""Request and response shapes of attempts and submissions (SPEC §6-§7).

Request serializers check shape only (types, required keys, one answer form per item); whether
the ids belong to the assessment is checked by `assessments.taking`. Errors are lists indexed
like the request, so the exception handler names each item: `answers[2].selected_option_ids[1]`.

Nothing here ever shows `is_correct`; correct options and explanations appear only in
submission results, and only when `assessments.permissions.review_allowed` says so.
"""

from decimal import Decimal
from typing import Any

from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from assessments.api.serializers import LearnerQuestionSerializer
from assessments.models import Attempt, Question, Submission
from assessments.permissions import review_allowed
from common.api.fields import StrictCharField

# --- requests ----------------------------------------------------------------------------------


class IndexedListField(serializers.ListField):
    """A list whose item errors come back as a list in item order (`[{}, {...}]`), which the
    exception handler flattens to `field[1].name`."""

    def run_child_validation(self, data: list[Any]) -> list[Any]:
        results: list[Any] = []
        errors: list[Any] = []
        failed = False
        for item in data:
            try:
                results.append(self.child.run_validation(item))
                errors.append({})
            except serializers.ValidationError as exc:
                errors.append(exc.detail)
                failed = True
        if failed:
            raise serializers.ValidationError(errors)
        return results


class OptionIdsField(IndexedListField):
    child = StrictCharField()

    def to_internal_value(self, data: Any) -> list[str]:
        option_ids = super().to_internal_value(data)
        if len(set(option_ids)) != len(option_ids):
            raise serializers.ValidationError("Lists the same option more than once.")
        return option_ids


class AnswerSerializer(serializers.Serializer[Any]):
    """One answer: `selected_option_id` (any type; on a multiple_choice question it selects that
    one option, the seed's item shape; null = unanswered) or `selected_option_ids`
    (multiple_choice; [] = unanswered), never both."""

    question_id = StrictCharField()
    selected_option_id = StrictCharField(required=False, allow_null=True)
    selected_option_ids = OptionIdsField(required=False)

    def validate(self, attrs: dict[str, Any]) -> dict[str, Any]:
        given = [key for key in ("selected_option_id", "selected_option_ids") if key in attrs]
        if len(given) != 1:
            raise serializers.ValidationError(
                "Give exactly one of selected_option_id (one option) or selected_option_ids "
                "(multiple_choice)."
            )
        return attrs


class AnswersField(IndexedListField):
    child = AnswerSerializer()


class AnswersSaveSerializer(serializers.Serializer[Any]):
    """`PUT .../attempts/:attempt_id/answers`: the full set of saved answers (may be partial)."""

    answers = AnswersField()


class SubmissionCreateSerializer(AnswersSaveSerializer):
    """`POST .../submissions`. Unanswered questions may be left out; they count as wrong."""

    attempt_id = StrictCharField(
        required=False,
        allow_null=True,
        help_text="The attempt to submit. Required for timed assessments unless the learner "
        "has an attempt in progress, which is then used.",
    )


# --- responses ---------------------------------------------------------------------------------


class SavedAnswerSerializer(serializers.Serializer[Any]):
    question_id = serializers.CharField()
    selected_option_id = serializers.CharField(
        required=False, allow_null=True, help_text="single_choice and true_false questions."
    )
    selected_option_ids = serializers.ListField(
        child=serializers.CharField(), required=False, help_text="multiple_choice questions."
    )


class AttemptSummarySerializer(serializers.ModelSerializer[Attempt]):
    """An attempt in a list: no questions, no saved answers."""

    assessment_id = serializers.CharField(read_only=True)
    user_id = serializers.CharField(read_only=True)

    class Meta:
        model = Attempt
        fields = [
            "id",
            "assessment_id",
            "user_id",
            "attempt_number",
            "status",
            "started_at",
            "deadline_at",
        ]
        read_only_fields = fields


def saved_answer_items(
    questions: list[Question], saved: dict[str, list[str]]
) -> list[dict[str, Any]]:
    """The saved answers in the request's list shape, in question order."""
    items: list[dict[str, Any]] = []
    for question in questions:
        if question.pk not in saved:
            continue
        chosen = saved[question.pk]
        if question.type == Question.Type.MULTIPLE_CHOICE:
            items.append({"question_id": question.pk, "selected_option_ids": list(chosen)})
        else:
            selected = chosen[0] if chosen else None
            items.append({"question_id": question.pk, "selected_option_id": selected})
    return items


class AttemptSerializer(AttemptSummarySerializer):
    """An attempt with its questions (learner shape: no answer key) and its saved answers.
    The questions come in the context as `questions` (`selectors.questions_for_taking`)."""

    questions = serializers.SerializerMethodField()
    saved_answers = serializers.SerializerMethodField()

    class Meta(AttemptSummarySerializer.Meta):
        fields = [*AttemptSummarySerializer.Meta.fields, "questions", "saved_answers"]
        read_only_fields = fields

    @extend_schema_field(LearnerQuestionSerializer(many=True))
    def get_questions(self, attempt: Attempt) -> list[dict[str, Any]]:
        return list(LearnerQuestionSerializer(self.context["questions"], many=True).data)

    @extend_schema_field(SavedAnswerSerializer(many=True))
    def get_saved_answers(self, attempt: Attempt) -> list[dict[str, Any]]:
        return saved_answer_items(self.context["questions"], attempt.saved_answers or {})


class SubmissionAnswerSerializer(serializers.Serializer[Any]):
    """One question of a result (for the schema; built by `result_answer_items`)."""

    question_id = serializers.CharField()
    selected_option_id = serializers.CharField(
        required=False,
        allow_null=True,
        help_text="single_choice and true_false questions; null when unanswered.",
    )
    selected_option_ids = serializers.ListField(
        child=serializers.CharField(),
        required=False,
        help_text="multiple_choice questions; [] when unanswered.",
    )
    correct = serializers.BooleanField()
    points_awarded = serializers.IntegerField()
    points_possible = serializers.IntegerField()
    correct_option_ids = serializers.ListField(
        child=serializers.CharField(),
        required=False,
        help_text="Only when the assessment's review setting allows it.",
    )
    explanation = serializers.CharField(
        required=False, help_text="Only when the assessment's review setting allows it."
    )


def result_answer_items(results: list[dict[str, Any]], *, reveal: bool) -> list[dict[str, Any]]:
    """A stored result snapshot in the API's shape, every question in order."""
    items = []
    for result in results:
        item: dict[str, Any] = {"question_id": result["question_id"]}
        chosen = result["selected_option_ids"]
        if result["type"] == Question.Type.MULTIPLE_CHOICE:
            item["selected_option_ids"] = list(chosen)
        else:
            item["selected_option_id"] = chosen[0] if chosen else None
        item["correct"] = result["correct"]
        item["points_awarded"] = result["points_awarded"]
        item["points_possible"] = result["points_possible"]
        if reveal:
            item["correct_option_ids"] = list(result["correct_option_ids"])
            item["explanation"] = result["explanation"]
        items.append(item)
    return items


class SubmissionResultSerializer(serializers.Serializer[Submission]):
    """The seed's submission result. Needs `user` (the viewer) in the context: the review
    fields are shown as `permissions.review_allowed` says for them."""

    submission_id = serializers.CharField(source="id")
    assessment_id = serializers.CharField()
    user_id = serializers.CharField()
    attempt_id = serializers.CharField()
    attempt_number = serializers.IntegerField()
    score = serializers.DecimalField(
        max_digits=5,
        decimal_places=2,
        min_value=Decimal(0),
        max_value=Decimal(100),
        coerce_to_string=False,
        help_text="Percentage from 0 to 100, rounded half-up to two decimals.",
    )
    passed = serializers.BooleanField()
    submitted_at = serializers.DateTimeField()
    answers = serializers.SerializerMethodField()

    @extend_schema_field(SubmissionAnswerSerializer(many=True))
    def get_answers(self, submission: Submission) -> list[dict[str, Any]]:
        reveal = review_allowed(submission=submission, user=self.context["user"])
        return result_answer_items(submission.results, reveal=reveal)
