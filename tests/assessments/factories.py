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

Questions get the next free position in their assessment unless `position=` is given; options
are numbered 1..n in the order given.
"""

from collections.abc import Iterable, Sequence
from typing import Any

import factory
from django.db.models import Max

from accounts.models import User
from assessments.models import Assessment, Option, Question
from courses.models import Course
from enrollments.models import Enrollment
from tests.accounts.factories import InstructorFactory

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
