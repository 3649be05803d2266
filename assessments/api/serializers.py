"""Serializers for assessments and questions.

`LearnerOptionSerializer` and `LearnerQuestionSerializer` are the only shapes in which questions
reach a learner before they submit: they have no `is_correct` and no `explanation`. Attempts and
the assessment detail both use them. Staff get `QuestionSerializer`, with the answer key.

The write serializers only check the shape of a body (JSON types, required fields; the strict
fields of `common.api.fields` refuse `"70"`, `70.0` and `true` for an integer). The rules on the
values live on the model fields (lengths, ranges) and in `assessments.rules` (option sets),
shared with the admin; the bounds given to the fields below are read from the model fields, for
the schema. `common.api.bodies.parse_body` reports both kinds of problems of a body together.
"""

from collections.abc import Mapping
from typing import Any

from django.db.models import Field, Model
from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from assessments.models import Assessment, Option, Question
from common.api.bodies import WriteSerializer
from common.api.fields import StrictBooleanField, StrictCharField, StrictIntegerField
from common.validation import integer_bounds


class LearnerOptionSerializer(serializers.ModelSerializer[Option]):
    class Meta:
        model = Option
        fields = ["id", "text", "position"]
        read_only_fields = fields


class LearnerQuestionSerializer(serializers.ModelSerializer[Question]):
    options = LearnerOptionSerializer(many=True, read_only=True)

    class Meta:
        model = Question
        fields = ["id", "text", "type", "points", "position", "options"]
        read_only_fields = fields


def _help(model: type[Model], field: str) -> str:
    """A model field's help text: written once, on the model, for the admin and the schema."""
    model_field = model._meta.get_field(field)
    return str(model_field.help_text) if isinstance(model_field, Field) else ""


def _text(**kwargs: Any) -> StrictCharField:
    return StrictCharField(allow_blank=True, trim_whitespace=False, **kwargs)


# --- assessments -------------------------------------------------------------------------------


class ReviewSerializer(serializers.Serializer[Assessment]):
    show_correct_answers = serializers.ChoiceField(
        choices=Assessment.Review.choices, help_text=_help(Assessment, "show_correct_answers")
    )


class AssessmentSerializer(serializers.ModelSerializer[Assessment]):
    """An assessment as staff see it. The instance carries the `question_count` annotation
    (see `assessments.selectors`).

    Its schema, and its subclasses', is closed (`additionalProperties: false`): a learner's
    body, with `attempts_used`, matches only the learner shape of the `oneOf` the list and the
    detail answer with, and a staff body, without it, only the staff shape."""

    closed_schema = True

    course_id = serializers.CharField(read_only=True)
    question_count = serializers.IntegerField(read_only=True)
    review = ReviewSerializer(source="*", read_only=True)

    class Meta:
        model = Assessment
        fields = [
            "id",
            "course_id",
            "title",
            "passing_score",
            "time_limit_minutes",
            "question_count",
            "max_attempts",
            "status",
            "review",
            "created_at",
            "updated_at",
        ]
        read_only_fields = fields


class LearnerAssessmentSerializer(AssessmentSerializer):
    """An assessment as a learner sees it: with their attempts used and left. The instance
    carries the `attempts_used` annotation."""

    attempts_used = serializers.IntegerField(
        read_only=True, help_text="Your attempts at this assessment so far, of any status."
    )
    attempts_remaining = serializers.SerializerMethodField(
        help_text="Attempts you have left; null when attempts are unlimited."
    )

    class Meta(AssessmentSerializer.Meta):
        fields = [*AssessmentSerializer.Meta.fields, "attempts_used", "attempts_remaining"]
        read_only_fields = fields

    @extend_schema_field(serializers.IntegerField(allow_null=True))
    def get_attempts_remaining(self, assessment: Assessment) -> int | None:
        used: int = assessment.attempts_used  # type: ignore[attr-defined]  # selectors.with_counts
        return assessment.attempts_left(used)


class OptionSerializer(serializers.ModelSerializer[Option]):
    class Meta:
        model = Option
        fields = ["id", "text", "is_correct", "position"]
        read_only_fields = fields


class QuestionSerializer(serializers.ModelSerializer[Question]):
    """A question with its answer key, for staff."""

    options = OptionSerializer(many=True, read_only=True)

    class Meta:
        model = Question
        fields = ["id", "text", "type", "points", "position", "explanation", "options"]
        read_only_fields = fields


class AssessmentDetailSerializer(AssessmentSerializer):
    """With the questions, in position order, and their answer keys (staff)."""

    questions = QuestionSerializer(source="question_list", many=True, read_only=True)

    class Meta(AssessmentSerializer.Meta):
        fields = [*AssessmentSerializer.Meta.fields, "questions"]
        read_only_fields = fields


class LearnerAssessmentDetailSerializer(LearnerAssessmentSerializer):
    """With the questions without answers; `questions` is null for a timed assessment, whose
    questions a learner sees only through an attempt."""

    questions = LearnerQuestionSerializer(
        source="question_list", many=True, read_only=True, allow_null=True
    )

    class Meta(LearnerAssessmentSerializer.Meta):
        fields = [*LearnerAssessmentSerializer.Meta.fields, "questions"]
        read_only_fields = fields


class ReviewWriteSerializer(serializers.Serializer[Any]):
    show_correct_answers = serializers.ChoiceField(
        choices=Assessment.Review.choices, help_text=_help(Assessment, "show_correct_answers")
    )

    def validate(self, attrs: dict[str, Any]) -> dict[str, Any]:
        # Required on PATCH too: `review` has no other field, so `{}` changes nothing.
        if "show_correct_answers" not in attrs:
            field = self.fields["show_correct_answers"]
            raise serializers.ValidationError(
                {"show_correct_answers": [field.error_messages["required"]]}
            )
        return attrs


class AssessmentWriteSerializer(WriteSerializer):
    """The body of a PUT (`title` and `passing_score` required; omitted optional fields take
    their defaults) or a PATCH (any subset). `course_id` may be sent but not changed."""

    course_id = StrictCharField(required=False, help_text="The assessment's course.")
    title = _text(help_text=_help(Assessment, "title"))
    passing_score = StrictIntegerField(
        bounds=integer_bounds(Assessment, "passing_score"),
        help_text=_help(Assessment, "passing_score"),
    )
    time_limit_minutes = StrictIntegerField(
        bounds=integer_bounds(Assessment, "time_limit_minutes"),
        allow_null=True,
        default=None,
        help_text=_help(Assessment, "time_limit_minutes"),
    )
    max_attempts = StrictIntegerField(
        bounds=integer_bounds(Assessment, "max_attempts"),
        allow_null=True,
        default=None,
        help_text=_help(Assessment, "max_attempts"),
    )
    status = serializers.ChoiceField(
        choices=Assessment.Status.choices,
        default=Assessment.Status.PUBLISHED,
        help_text=_help(Assessment, "status"),
    )
    review = ReviewWriteSerializer(
        default={"show_correct_answers": Assessment.Review.NEVER},
        help_text="When a learner's result shows correct options and explanations.",
    )

    def service_kwargs(self, data: Mapping[str, Any]) -> dict[str, Any]:
        data = dict(data)
        review = data.pop("review", None)
        if review is not None:
            data["show_correct_answers"] = review["show_correct_answers"]
        return data


class AssessmentCreateSerializer(AssessmentWriteSerializer):
    """The body of `POST /assessments`: the seed's fields, plus the optional extras."""

    course_id = StrictCharField(help_text="The course to attach the assessment to.")


# --- questions ---------------------------------------------------------------------------------


class OptionWriteSerializer(serializers.Serializer[Any]):
    id = StrictCharField(
        required=False,
        help_text="On PUT/PATCH, the id of a current option of the question to keep it.",
    )
    text = _text(
        required=False,
        help_text=_help(Option, "text") + ' For true_false, defaults to "True" / "False".',
    )
    is_correct = StrictBooleanField(default=False, help_text=_help(Option, "is_correct"))
    position = StrictIntegerField(
        required=False,
        help_text="1 to the number of options; by default the order in the list.",
    )


class QuestionWriteSerializer(WriteSerializer):
    """The body of a POST or PUT (`text`, `type`, `options` required; omitted `points` and
    `explanation` take their defaults) or a PATCH (any subset; `options` replaces the set)."""

    text = _text(help_text=_help(Question, "text"))
    type = serializers.ChoiceField(choices=Question.Type.choices, help_text=_help(Question, "type"))
    points = StrictIntegerField(
        bounds=integer_bounds(Question, "points"), default=1, help_text=_help(Question, "points")
    )
    position = StrictIntegerField(
        required=False,
        help_text="Where to put the question (from 1); the others shift. "
        "Omitted: last on create, unchanged on change.",
    )
    explanation = _text(default="", help_text=_help(Question, "explanation"))
    options = OptionWriteSerializer(
        many=True,
        help_text="2 to 10 options (true_false: exactly 2). single_choice and true_false have "
        "exactly one correct option, multiple_choice at least one.",
    )

    def service_kwargs(self, data: Mapping[str, Any]) -> dict[str, Any]:
        data = dict(data)
        if "options" in data:
            data["options"] = [dict(option) for option in data["options"]]
        return data
