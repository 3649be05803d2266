"""Reads for assessments and questions: the one place for their annotated, prefetched querysets,
so lists and details take a fixed number of queries however many rows or questions there are.

Every assessment read here carries `question_count`; for a learner also `attempts_used` (their
attempts at it, of any status).
"""

from django.db.models import Count, IntegerField, OuterRef, Prefetch, QuerySet, Subquery, Value
from django.db.models.functions import Coalesce

from accounts.models import User
from assessments.models import Assessment, Attempt, Option, Question, Submission
from assessments.permissions import assessment_for_user, assessments_visible_to
from common.errors import NotFound


def _options() -> Prefetch[str, QuerySet[Option], str]:
    return Prefetch("options", queryset=Option.objects.order_by("position", "id"))


def questions_with_options() -> QuerySet[Question]:
    return Question.objects.order_by("position", "created_at", "id").prefetch_related(_options())


def with_counts(queryset: QuerySet[Assessment], user: User) -> QuerySet[Assessment]:
    """Adds `question_count`, and for learners `attempts_used`."""
    queryset = queryset.annotate(question_count=Count("questions"))
    if user.is_staff:
        return queryset
    attempts = (
        Attempt.objects.filter(assessment=OuterRef("pk"), user=user)
        .order_by()
        .values("assessment")
        .annotate(n=Count("pk"))
        .values("n")
    )
    return queryset.annotate(
        attempts_used=Coalesce(Subquery(attempts, output_field=IntegerField()), Value(0))
    )


def assessment_list(*, user: User) -> QuerySet[Assessment]:
    """The assessments `user` may see, oldest first, without their questions."""
    return with_counts(assessments_visible_to(user), user).order_by("created_at", "id")


def shows_questions(*, user: User, assessment: Assessment) -> bool:
    """Staff always see the questions; a learner sees a timed assessment's questions only
    through an attempt."""
    return user.is_staff or not assessment.is_timed


def assessment_detail(*, user: User, assessment_id: str) -> Assessment:
    """The assessment if `user` may see it (else `NotFound`), with its questions and options
    prefetched in position order when `user` is shown them."""
    assessment = assessment_for_user(
        user=user,
        assessment_id=assessment_id,
        queryset=with_counts(Assessment.objects.all(), user),
    )
    if shows_questions(user=user, assessment=assessment):
        assessment.question_list = list(questions_with_options().filter(assessment=assessment))
    else:
        assessment.question_list = None
    return assessment


def question_list(*, assessment: Assessment) -> QuerySet[Question]:
    return questions_with_options().filter(assessment=assessment)


def question_get(*, assessment: Assessment, question_id: str) -> Question:
    question = question_list(assessment=assessment).filter(pk=question_id).first()
    if question is None:
        raise NotFound("No question with this id in this assessment.")
    return question


def questions_for_taking(*, assessment: Assessment) -> list[Question]:
    """The assessment's questions in order, with their options: two queries whatever the count."""
    return list(assessment.questions.prefetch_related("options"))


def submission_get(*, user: User, assessment: Assessment, submission_id: str) -> Submission:
    submissions = Submission.objects.filter(assessment=assessment, pk=submission_id)
    if not user.is_staff:
        submissions = submissions.filter(user=user)
    submission = submissions.select_related("assessment").first()
    if submission is None:
        raise NotFound("No submission with this id.")
    return submission


# --- learner pages -----------------------------------------------------------------------------


class LearnerAssessmentState:
    """Where a learner stands with one assessment, for the course page."""

    def __init__(
        self,
        assessment: Assessment,
        in_progress: Attempt | None,
        submissions: list[Submission],
    ) -> None:
        self.assessment = assessment
        self.in_progress = in_progress
        self.submissions = submissions
        self.attempts_used: int = getattr(assessment, "attempts_used", 0)

    @property
    def passed(self) -> bool:
        return any(submission.passed for submission in self.submissions)

    @property
    def best_score(self) -> object:
        return max((s.score for s in self.submissions), default=None)

    @property
    def attempts_left(self) -> int | None:
        return self.assessment.attempts_left(self.attempts_used)

    @property
    def state(self) -> str:
        """`in_progress`, `passed`, `failed` or `not_started`."""
        if self.in_progress is not None:
            return "in_progress"
        if self.passed:
            return "passed"
        return "failed" if self.submissions else "not_started"


def learner_assessment_states(*, user: User, course_id: str) -> list[LearnerAssessmentState]:
    """The assessments of a course `user` (a learner) may see, each with their attempt in
    progress and their submissions: three queries however many assessments or rows."""
    assessments = list(assessment_list(user=user).filter(course_id=course_id))
    ids = [assessment.pk for assessment in assessments]
    open_attempts = {
        attempt.assessment_id: attempt
        for attempt in Attempt.objects.filter(
            user=user, assessment_id__in=ids, status=Attempt.Status.IN_PROGRESS
        )
    }
    submissions: dict[str, list[Submission]] = {}
    for submission in (
        Submission.objects.filter(user=user, assessment_id__in=ids)
        .only("id", "assessment_id", "passed", "score", "submitted_at")
        .order_by("submitted_at", "id")
    ):
        submissions.setdefault(submission.assessment_id, []).append(submission)
    return [
        LearnerAssessmentState(a, open_attempts.get(a.pk), submissions.get(a.pk, []))
        for a in assessments
    ]
