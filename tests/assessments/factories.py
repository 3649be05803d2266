"""Factories for assessments, questions and options, whose relations stay consistent.

    course = published_course()                       # or a course from tests/courses
    assessment = AssessmentFactory(course=course)      # untimed, published, no questions
    assessment = AssessmentFactory(course=course, questions=5)   # 5 valid questions, mixed types
    question = QuestionFactory(assessment=assessment)  # single_choice, 4 options, first correct
    question = QuestionFactory(assessment=assessment, type="multiple_choice",
                               options=5, options__correct=[1, 3])
    question = QuestionFactory(assessment=assessment,
                               options=[("Paris", True), ("Rome", False)])
    question = make_question(assessment, type="true_false", correct=[1])  # "False" is right
    enroll(learner, course)                            # an active enrolment
    attempt = AttemptFactory(assessment=assessment, user=learner)   # in progress, next number
    attempt = AttemptFactory(assessment=assessment, status="expired", started_at=when)
    submission = SubmissionFactory(assessment=assessment, user=learner)  # every answer right
    submission = SubmissionFactory(assessment=assessment, user=learner, failing=True)
    submission = SubmissionFactory(assessment=assessment, user=learner,
                                   selections={question.pk: [option.pk]})
    submission = SubmissionFactory.for_attempt(attempt)  # submits an attempt in progress

An attempt's user (a new learner unless given) is enrolled in the assessment's course unless they
hold a live enrolment there (`enrolled=False` skips that). A submission closes an attempt of the
same user and assessment, numbered like it, and stores the result snapshot the services store,
graded with `assessments.scoring` from the assessment's current questions. Neither updates the
enrolment's progress: tests of completion go through `assessments.services`.

Questions get the next free position in their assessment unless `position=` is given; options
are numbered 1..n in the order given.
"""

from collections.abc import Iterable, Mapping, Sequence
from datetime import timedelta
from typing import Any, NamedTuple

import factory
from django.db.models import Max
from django.utils import timezone

from accounts.models import User
from assessments import scoring
from assessments.models import Assessment, Attempt, Option, Question, Submission
from courses.models import Course
from enrollments.models import Enrollment
from tests.accounts.factories import InstructorFactory, LearnerFactory

SINGLE = Question.Type.SINGLE_CHOICE
MULTIPLE = Question.Type.MULTIPLE_CHOICE
TRUE_FALSE = Question.Type.TRUE_FALSE


def published_course(instructor: User | None = None, **fields: Any) -> Course:
    """A published course of `instructor` (a new instructor when omitted)."""
    fields.setdefault("title", "Course for assessments")
    fields.setdefault("status", Course.Status.PUBLISHED)
    return Course.objects.create(instructor=instructor or InstructorFactory(), **fields)


def enroll(user: User, course: Course, status: str = Enrollment.Status.ACTIVE) -> Enrollment:
    return Enrollment.objects.create(user=user, course=course, status=status)


class OptionFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Option

    question = None  # required: OptionFactory(question=...)
    text = factory.Sequence(lambda n: f"Option {n}")
    is_correct = False
    position = factory.LazyAttribute(
        lambda o: (o.question.options.aggregate(m=Max("position"))["m"] or 0) + 1
    )


def _option_rows(
    question_type: str, spec: Any, correct: Iterable[int] | None
) -> list[tuple[str, bool]]:
    """`(text, is_correct)` pairs from what a test passed as `options`."""
    if spec is None:
        spec = ["True", "False"] if question_type == TRUE_FALSE else 4
    if isinstance(spec, int):
        spec = [f"Choice {i + 1}" for i in range(spec)]
    rows: list[tuple[str, bool]] = []
    for item in spec:
        if isinstance(item, str):
            rows.append((item, False))
        elif isinstance(item, dict):
            rows.append((item["text"], bool(item.get("is_correct", False))))
        else:
            text, is_correct = item
            rows.append((text, bool(is_correct)))
    if correct is None and not any(is_correct for _text, is_correct in rows):
        correct = [0]  # the first option is right unless the test says otherwise
    if correct is not None:
        chosen = set(correct)
        rows = [(text, index in chosen) for index, (text, _c) in enumerate(rows)]
    return rows


class QuestionFactory(factory.django.DjangoModelFactory):
    """A valid question with its options. `options` may be omitted (a valid default set for the
    type), an int (that many options), or a list of texts, `(text, is_correct)` pairs or dicts;
    `options__correct=[indexes]` picks the correct ones (default: the first)."""

    class Meta:
        model = Question
        skip_postgeneration_save = True

    assessment = None  # required: QuestionFactory(assessment=...)
    text = factory.Sequence(lambda n: f"Question {n}?")
    type = SINGLE
    points = 1
    explanation = factory.Sequence(lambda n: f"Explanation {n}.")
    position = factory.LazyAttribute(
        lambda o: (o.assessment.questions.aggregate(m=Max("position"))["m"] or 0) + 1
    )

    @factory.post_generation
    def options(obj: Question, create: bool, extracted: Any, **kwargs: Any) -> None:
        if not create:
            return
        rows = _option_rows(obj.type, extracted, kwargs.get("correct"))
        Option.objects.bulk_create(
            Option(question=obj, text=text, is_correct=is_correct, position=index)
            for index, (text, is_correct) in enumerate(rows, start=1)
        )


def make_question(
    assessment: Assessment,
    *,
    type: str = SINGLE,
    n_options: int | None = None,
    correct: Sequence[int] | None = None,
    **fields: Any,
) -> Question:
    """A valid question with `n_options` options (two for true_false: "True", "False") of which
    the ones at the indexes in `correct` (0-based; default the first) are right."""
    spec: Any = n_options if type != TRUE_FALSE else None
    kwargs: dict[str, Any] = {"options": spec}
    if correct is not None:
        kwargs["options__correct"] = list(correct)
    return QuestionFactory(assessment=assessment, type=type, **kwargs, **fields)


_MIX = [
    {"type": SINGLE, "n_options": 4, "correct": [0], "points": 1},
    {"type": MULTIPLE, "n_options": 4, "correct": [0, 2], "points": 2},
    {"type": TRUE_FALSE, "correct": [0], "points": 1},
]


class AssessmentFactory(factory.django.DjangoModelFactory):
    """An untimed, published assessment, unlimited attempts, pass mark 70. `questions=n` adds n
    valid questions cycling single_choice, multiple_choice (2 points), true_false. Without
    `course=`, a new published course of a new instructor."""

    class Meta:
        model = Assessment
        skip_postgeneration_save = True

    course = factory.LazyFunction(published_course)
    title = factory.Sequence(lambda n: f"Assessment {n}")
    passing_score = 70
    time_limit_minutes = None
    max_attempts = None
    status = Assessment.Status.PUBLISHED
    show_correct_answers = Assessment.Review.NEVER

    @factory.post_generation
    def questions(obj: Assessment, create: bool, extracted: Any, **kwargs: Any) -> None:
        if not create or not extracted:
            return
        for index in range(int(extracted)):
            make_question(obj, position=index + 1, **_MIX[index % len(_MIX)])


def _next_attempt_number(attempt: Any) -> int:
    taken = Attempt.objects.filter(assessment=attempt.assessment, user=attempt.user)
    return (taken.aggregate(m=Max("attempt_number"))["m"] or 0) + 1


def _deadline(attempt: Any) -> Any:
    minutes = attempt.assessment.time_limit_minutes
    return None if minutes is None else attempt.started_at + timedelta(minutes=minutes)


def _closed_at(attempt: Any) -> Any:
    if attempt.status == Attempt.Status.IN_PROGRESS:
        return None
    if attempt.status == Attempt.Status.EXPIRED:
        return attempt.deadline_at or attempt.started_at
    return attempt.started_at


class AttemptFactory(factory.django.DjangoModelFactory):
    """An attempt in progress of a new learner (enrolled in the course) at a new assessment with
    one question, numbered after the user's attempts at it; `deadline_at` per the assessment's
    time limit from `started_at` (now). A closed one (`status="submitted"` or `"expired"`) gets a
    `closed_at`, but no submission: use `SubmissionFactory` for that."""

    class Meta:
        model = Attempt
        skip_postgeneration_save = True

    assessment = factory.SubFactory(AssessmentFactory, questions=1)
    user = factory.SubFactory(LearnerFactory)
    attempt_number = factory.LazyAttribute(_next_attempt_number)
    status = Attempt.Status.IN_PROGRESS
    started_at = factory.LazyFunction(timezone.now)
    deadline_at = factory.LazyAttribute(_deadline)
    closed_at = factory.LazyAttribute(_closed_at)
    saved_answers = factory.Dict({})

    @factory.post_generation
    def enrolled(obj: Attempt, create: bool, extracted: Any, **kwargs: Any) -> None:
        """Only an enrolled learner takes an assessment: enrols the user unless told not to."""
        if not create or extracted is False:
            return
        course_id = obj.assessment.course_id
        if not Enrollment.objects.live().filter(user=obj.user, course_id=course_id).exists():
            Enrollment.objects.create(user=obj.user, course_id=course_id)


class _Graded(NamedTuple):
    grade: scoring.Grade
    results: list[dict[str, Any]]


def _grade(submission: Any) -> _Graded:
    """Grades `selections` (question id -> option ids; `None`: every question answered right)
    against the assessment's questions as they are now, and builds the stored snapshot the way
    `assessments.services` does."""
    questions = list(submission.assessment.questions.prefetch_related("options"))
    if not questions:
        raise ValueError("A submission needs an assessment with questions to grade.")
    correct = {q.pk: [o.pk for o in q.options.all() if o.is_correct] for q in questions}
    selections: Mapping[str, Sequence[str]] = (
        correct if submission.selections is None else submission.selections
    )
    keys = [
        scoring.QuestionKey(
            id=q.pk, type=q.type, points=q.points, correct_option_ids=frozenset(correct[q.pk])
        )
        for q in questions
    ]
    grade = scoring.grade(keys, selections, submission.assessment.passing_score)
    results = [
        {
            "question_id": q.pk,
            "type": q.type,
            "text": q.text,
            "options": [{"id": o.pk, "text": o.text} for o in q.options.all()],
            "selected_option_ids": list(result.selected_option_ids),
            "correct": result.correct,
            "points_awarded": result.points_awarded,
            "points_possible": result.points_possible,
            "correct_option_ids": correct[q.pk],
            "explanation": q.explanation,
        }
        for q, result in zip(questions, grade.results, strict=True)
    ]
    return _Graded(grade, results)


class SubmissionFactory(factory.django.DjangoModelFactory):
    """A graded submission of `user` (a new learner) for `assessment` (a new one with one
    question), closing a new submitted attempt of theirs started at `submitted_at` (now). Every
    question is answered right unless `selections={question_id: [option_id, ...]}` is given
    (a question left out is unanswered) or `failing=True` (nothing answered). To submit an
    existing attempt, use `SubmissionFactory.for_attempt(attempt)`."""

    class Meta:
        model = Submission
        exclude = ("graded",)

    class Params:
        selections = None
        failing = factory.Trait(selections={})

    assessment = factory.SubFactory(AssessmentFactory, questions=1)
    user = factory.SubFactory(LearnerFactory)
    submitted_at = factory.LazyFunction(timezone.now)
    attempt = factory.SubFactory(
        AttemptFactory,
        assessment=factory.SelfAttribute("..assessment"),
        user=factory.SelfAttribute("..user"),
        status=Attempt.Status.SUBMITTED,
        started_at=factory.SelfAttribute("..submitted_at"),
        closed_at=factory.SelfAttribute("..submitted_at"),
    )
    attempt_number = factory.SelfAttribute("attempt.attempt_number")
    graded = factory.LazyAttribute(_grade)
    score = factory.SelfAttribute("graded.grade.score")
    passed = factory.SelfAttribute("graded.grade.passed")
    passing_score = factory.SelfAttribute("assessment.passing_score")
    points_earned = factory.SelfAttribute("graded.grade.points_earned")
    points_possible = factory.SelfAttribute("graded.grade.points_possible")
    results = factory.SelfAttribute("graded.results")

    @classmethod
    def for_attempt(cls, attempt: Attempt, **fields: Any) -> Submission:
        """Submits `attempt`, closing it as `submitted` if still in progress."""
        fields.setdefault("submitted_at", timezone.now())
        if attempt.status == Attempt.Status.IN_PROGRESS:
            attempt.status = Attempt.Status.SUBMITTED
            attempt.closed_at = fields["submitted_at"]
            attempt.save(update_fields=["status", "closed_at"])
        return cls(attempt=attempt, assessment=attempt.assessment, user=attempt.user, **fields)

    @classmethod
    def _create(cls, model_class: type[Submission], *args: Any, **kwargs: Any) -> Submission:
        attempt = kwargs["attempt"]
        if (attempt.assessment_id, attempt.user_id) != (kwargs["assessment"].pk, kwargs["user"].pk):
            raise ValueError("A submission closes an attempt of its own user and assessment.")
        return super()._create(model_class, *args, **kwargs)
