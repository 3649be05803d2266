from django.conf import settings
from django.core.validators import MaxLengthValidator
from django.db import models
from django.db.models import Q

from assessments.rules import OPTION_TEXT_LENGTH, QUESTION_TYPE_LABELS
from assessments.scoring import MULTIPLE_CHOICE, SINGLE_CHOICE, TRUE_FALSE
from common.ids import prefixed_id_field
from common.validation import TrimmedLength, integer_range


class Assessment(models.Model):
    class Status(models.TextChoices):
        DRAFT = "draft", "Draft"
        PUBLISHED = "published", "Published"

    class Review(models.TextChoices):
        """When a learner may see correct answers and explanations of a submission."""

        NEVER = "never", "Never"
        AFTER_SUBMISSION = "after_submission", "After submission"
        AFTER_PASSING = "after_passing", "After passing"

    id = prefixed_id_field("asmnt")
    course = models.ForeignKey(
        "courses.Course", on_delete=models.CASCADE, related_name="assessments"
    )
    title = models.CharField(
        max_length=200,
        validators=[TrimmedLength(3, 200)],
        help_text="What learners see the assessment as; 3 to 200 characters.",
    )
    passing_score = models.PositiveSmallIntegerField(
        validators=integer_range(1, 100),
        help_text="The pass mark, a percentage from 1 to 100: a score (points earned as a "
        "percentage of the points possible) at or above it passes.",
    )
    time_limit_minutes = models.PositiveIntegerField(
        null=True,
        blank=True,
        validators=integer_range(1, 1440),
        help_text="Minutes a learner has for one attempt, 1 to 1440. Empty (null): untimed.",
    )
    max_attempts = models.PositiveIntegerField(
        null=True,
        blank=True,
        validators=integer_range(1, 1000),
        help_text="Attempts each learner may make, 1 to 1000. Empty (null): unlimited.",
    )
    status = models.CharField(
        max_length=20,
        choices=Status.choices,
        default=Status.PUBLISHED,
        help_text="Draft: learners do not see it. Published: learners enrolled in the course "
        "see it and may take it.",
    )
    show_correct_answers = models.CharField(
        max_length=20,
        choices=Review.choices,
        default=Review.NEVER,
        help_text="When a learner's result shows the correct options and the explanations. "
        "Never: only right or wrong per question. After submission: on every submitted "
        "attempt. After passing: only on a passing attempt.",
    )
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    # The questions `assessments.selectors.assessment_detail` shows the caller (None: hidden).
    question_list: "list[Question] | None"

    class Meta:
        ordering = ["created_at", "id"]
        constraints = [
            models.CheckConstraint(
                condition=Q(passing_score__gte=1) & Q(passing_score__lte=100),
                name="assessments_passing_score_range",
            ),
            models.CheckConstraint(
                condition=Q(time_limit_minutes__isnull=True)
                | (Q(time_limit_minutes__gte=1) & Q(time_limit_minutes__lte=1440)),
                name="assessments_time_limit_range",
            ),
            models.CheckConstraint(
                condition=Q(max_attempts__isnull=True)
                | (Q(max_attempts__gte=1) & Q(max_attempts__lte=1000)),
                name="assessments_max_attempts_range",
            ),
        ]

    def __str__(self) -> str:
        return self.title

    @property
    def is_timed(self) -> bool:
        return self.time_limit_minutes is not None

    def attempts_left(self, used: int) -> int | None:
        """Attempts a learner who has used `used` may still make; `None` when unlimited."""
        return None if self.max_attempts is None else max(self.max_attempts - used, 0)


class Question(models.Model):
    class Type(models.TextChoices):
        SINGLE_CHOICE = SINGLE_CHOICE, QUESTION_TYPE_LABELS[SINGLE_CHOICE]
        MULTIPLE_CHOICE = MULTIPLE_CHOICE, QUESTION_TYPE_LABELS[MULTIPLE_CHOICE]
        TRUE_FALSE = TRUE_FALSE, QUESTION_TYPE_LABELS[TRUE_FALSE]

    id = prefixed_id_field("q")
    assessment = models.ForeignKey(Assessment, on_delete=models.CASCADE, related_name="questions")
    text = models.TextField(
        validators=[TrimmedLength(1, 2000)], help_text="The question; 1 to 2000 characters."
    )
    type = models.CharField(
        max_length=20,
        choices=Type.choices,
        help_text="Single choice: one correct option. Multiple choice: one or more correct "
        "options, all of which (and no other) must be chosen. True / false: the two options "
        '"True" and "False", one correct.',
    )
    points = models.PositiveSmallIntegerField(
        default=1,
        validators=integer_range(1, 100),
        help_text="What a right answer earns, 1 to 100; the score is the share of all points.",
    )
    position = models.PositiveIntegerField(
        default=0, help_text="The question's place in the assessment, from 1."
    )
    explanation = models.TextField(
        blank=True,
        default="",
        validators=[MaxLengthValidator(5000, message="Must be at most 5000 characters.")],
        help_text="Why the answer is right; shown to learners with the correct answers, as "
        "the review setting allows. Up to 5000 characters.",
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["position", "created_at", "id"]
        constraints = [
            models.CheckConstraint(
                condition=Q(points__gte=1) & Q(points__lte=100), name="questions_points_range"
            ),
        ]

    def __str__(self) -> str:
        return self.text[:60]


class Option(models.Model):
    id = prefixed_id_field("opt")
    question = models.ForeignKey(Question, on_delete=models.CASCADE, related_name="options")
    text = models.CharField(
        max_length=500,
        validators=[TrimmedLength(*OPTION_TEXT_LENGTH)],
        help_text="1 to 500 characters, unique within the question.",
    )
    is_correct = models.BooleanField(
        default=False, help_text="Part of the answer key: choosing this option is right."
    )
    position = models.PositiveIntegerField(
        default=0, help_text="The option's place in the question, from 1."
    )

    class Meta:
        ordering = ["position", "id"]

    def __str__(self) -> str:
        return self.text[:60]


class Attempt(models.Model):
    """One try at an assessment. Started explicitly (timed quizzes), or created and closed in the
    same transaction by a one-call submission of an untimed quiz. Every attempt counts toward
    `max_attempts`."""

    class Status(models.TextChoices):
        IN_PROGRESS = "in_progress", "In progress"
        SUBMITTED = "submitted", "Submitted"
        EXPIRED = "expired", "Expired"

    id = prefixed_id_field("att")
    assessment = models.ForeignKey(Assessment, on_delete=models.CASCADE, related_name="attempts")
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="attempts"
    )
    attempt_number = models.PositiveIntegerField()
    status = models.CharField(max_length=20, choices=Status.choices, default=Status.IN_PROGRESS)
    started_at = models.DateTimeField()
    deadline_at = models.DateTimeField(null=True, blank=True)
    # Autosaved answers: {question_id: [option_id, ...]}.
    saved_answers = models.JSONField(default=dict, blank=True)
    saved_at = models.DateTimeField(null=True, blank=True)
    closed_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["started_at", "id"]
        constraints = [
            models.UniqueConstraint(
                fields=["assessment", "user", "attempt_number"],
                name="attempts_unique_number_per_user_assessment",
            ),
            models.UniqueConstraint(
                fields=["assessment", "user"],
                condition=Q(status="in_progress"),
                name="attempts_one_in_progress_per_user_assessment",
            ),
        ]
        indexes = [
            # close_expired_attempts looks for open attempts past their deadline.
            models.Index(
                fields=["deadline_at"],
                condition=Q(status="in_progress"),
                name="attempts_open_deadline_idx",
            ),
            # A learner's reads look for their own overdue attempts.
            models.Index(
                fields=["user", "deadline_at"],
                condition=Q(status="in_progress"),
                name="attempts_open_user_due_idx",
            ),
        ]

    def __str__(self) -> str:
        return f"attempt {self.attempt_number} of {self.user_id} at {self.assessment_id}"


class Submission(models.Model):
    """A graded attempt. Everything needed to show the result is a snapshot taken at grading, so
    later edits to questions, options or the pass mark never change it."""

    id = prefixed_id_field("sub")
    assessment = models.ForeignKey(Assessment, on_delete=models.PROTECT, related_name="submissions")
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="submissions"
    )
    attempt = models.OneToOneField(Attempt, on_delete=models.PROTECT, related_name="submission")
    attempt_number = models.PositiveIntegerField()
    score = models.DecimalField(max_digits=5, decimal_places=2)
    passed = models.BooleanField()
    passing_score = models.PositiveSmallIntegerField()
    points_earned = models.PositiveIntegerField()
    points_possible = models.PositiveIntegerField()
    # Per question, in order: question_id, selected ids, correct, points_awarded,
    # points_possible, correct_option_ids, explanation (the last two shown per review setting).
    results = models.JSONField()
    submitted_at = models.DateTimeField()

    class Meta:
        ordering = ["submitted_at", "id"]
        indexes = [
            models.Index(fields=["assessment", "user", "submitted_at"]),
        ]

    def __str__(self) -> str:
        return f"submission {self.id} ({self.score}%)"


class IdempotencyRecord(models.Model):
    """What a request sent with an `Idempotency-Key` answered, so a retry replays it."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="idempotency_records"
    )
    key = models.CharField(max_length=255)
    scope = models.CharField(max_length=200)  # e.g. the request's method and path
    request_hash = models.CharField(max_length=64)
    response_status = models.PositiveSmallIntegerField(null=True, blank=True)
    # A success: the body exactly as sent, and its Location. A refusal: its error, raised again.
    response_content = models.TextField(blank=True, default="")
    response_location = models.CharField(max_length=300, blank=True, default="")
    response_body = models.JSONField(null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    completed_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["user", "key"], name="idempotency_unique_user_key"),
        ]
        indexes = [models.Index(fields=["created_at"])]

    def __str__(self) -> str:
        return f"idempotency key {self.key!r} of {self.user_id}"
