"""The demo assessments for `manage.py seed_demo`: an untimed check with three attempts and a
timed final quiz, in the demo course. Running it again resets them to these fields and
questions (stored submissions keep their results)."""

from typing import Any

from accounts.models import User
from assessments import selectors, taking
from assessments.authoring import (
    assessment_create,
    assessment_update,
    question_create,
    question_delete,
)
from assessments.models import Assessment, Attempt, Question, Submission
from courses.models import Course

SINGLE = Question.Type.SINGLE_CHOICE
MULTIPLE = Question.Type.MULTIPLE_CHOICE
TRUE_FALSE = Question.Type.TRUE_FALSE


def _options(*texts: str, correct: tuple[int, ...]) -> list[dict[str, Any]]:
    return [{"text": text, "is_correct": i in correct} for i, text in enumerate(texts)]


def _true_false(answer: bool) -> list[dict[str, Any]]:
    return [{"is_correct": answer}, {"is_correct": not answer}]  # texts "True", "False"


DEMO_ASSESSMENTS: list[dict[str, Any]] = [
    {
        "title": "Python Basics Check",
        "passing_score": 70,
        "time_limit_minutes": None,
        "max_attempts": 3,
        "status": Assessment.Status.PUBLISHED,
        "show_correct_answers": Assessment.Review.AFTER_SUBMISSION,
        "questions": [
            {
                "text": "What does len([1, 2, 3]) return?",
                "type": SINGLE,
                "points": 1,
                "options": _options("2", "3", "4", "An error", correct=(1,)),
                "explanation": "len() counts the items of a list: there are three.",
            },
            {
                "text": "Which of these are immutable types in Python?",
                "type": MULTIPLE,
                "points": 3,
                "options": _options("tuple", "list", "str", "dict", correct=(0, 2)),
                "explanation": "Tuples and strings cannot be changed after creation; lists and "
                "dicts can.",
            },
            {
                "text": "Python lists are indexed from 0.",
                "type": TRUE_FALSE,
                "points": 1,
                "options": _true_false(True),
                "explanation": "The first item of a list is items[0].",
            },
            {
                "text": "Which keyword defines a function?",
                "type": SINGLE,
                "points": 2,
                "options": _options("func", "def", "function", correct=(1,)),
                "explanation": "Functions are defined with `def name(arguments):`.",
            },
            {
                "text": "A Python dict may have a list as a key.",
                "type": TRUE_FALSE,
                "points": 1,
                "options": _true_false(False),
                "explanation": "Keys must be hashable; lists are not.",
            },
        ],
    },
    {
        "title": "Functions and Scope",
        "passing_score": 60,
        "time_limit_minutes": None,
        "max_attempts": None,
        "status": Assessment.Status.PUBLISHED,
        "show_correct_answers": Assessment.Review.AFTER_SUBMISSION,
        "questions": [
            {
                "text": "What does a function return when it has no return statement?",
                "type": SINGLE,
                "points": 1,
                "options": _options("0", "None", "An empty string", correct=(1,)),
                "explanation": "Falling off the end of a function returns None.",
            },
            {
                "text": "Which names can a function read without declaring them global?",
                "type": MULTIPLE,
                "points": 2,
                "options": _options(
                    "Its own parameters",
                    "Module-level names",
                    "Another function's locals",
                    correct=(0, 1),
                ),
                "explanation": "Lookups go local, enclosing, global, built-in; never into another "
                "function's locals.",
            },
            {
                "text": "Default argument values are evaluated once, when the function is defined.",
                "type": TRUE_FALSE,
                "points": 1,
                "options": _true_false(True),
                "explanation": "That is why a mutable default such as [] is shared between calls.",
            },
        ],
    },
    {
        "title": "Timed Final Quiz",
        "passing_score": 60,
        "time_limit_minutes": 10,
        "max_attempts": None,
        "status": Assessment.Status.PUBLISHED,
        "show_correct_answers": Assessment.Review.AFTER_PASSING,
        "questions": [
            {
                "text": "What is the value of 7 // 2?",
                "type": SINGLE,
                "points": 1,
                "options": _options("3", "3.5", "4", correct=(0,)),
                "explanation": "// divides and rounds down to a whole number.",
            },
            {
                "text": "Which of these loop over the items of a list `xs`?",
                "type": MULTIPLE,
                "points": 2,
                "options": _options(
                    "for x in xs:",
                    "for i in range(len(xs)):",
                    "while xs in x:",
                    correct=(0, 1),
                ),
                "explanation": "Both `for` forms visit every item; the `while` line is not valid.",
            },
            {
                "text": "None == False evaluates to True.",
                "type": TRUE_FALSE,
                "points": 1,
                "options": _true_false(False),
                "explanation": "None is falsy, but it is not equal to False.",
            },
        ],
    },
]


def seed_assessments(courses: dict[str, Course]) -> list[Assessment]:
    """Creates the demo assessments in `courses["demo"]`, or resets the ones with the same
    titles to their demo fields and questions."""
    course = courses["demo"]
    assessments = []
    for spec in DEMO_ASSESSMENTS:
        fields = {name: value for name, value in spec.items() if name != "questions"}
        assessment = Assessment.objects.filter(course=course, title=spec["title"]).first()
        if assessment is None:
            assessment = assessment_create(course=course, **fields)
        else:
            assessment = assessment_update(assessment=assessment, **fields)
            for question in assessment.questions.all():
                question_delete(question=question)
        for question in spec["questions"]:
            question_create(assessment=assessment, **question)
        assessments.append(assessment)
    return assessments


def _right_answers(assessment: Assessment) -> list[taking.Answer]:
    answers: list[taking.Answer] = []
    for question in selectors.questions_for_taking(assessment=assessment):
        right = [option.pk for option in question.options.all() if option.is_correct]
        if question.type == MULTIPLE:
            answers.append({"question_id": question.pk, "selected_option_ids": right})
        else:
            answers.append({"question_id": question.pk, "selected_option_id": right[0]})
    return answers


def seed_learner_activity(learner: User, assessments: list[Assessment]) -> None:
    """The demo learner's dashboard shows every state: the first quiz passed, the second in
    progress (one answer saved), the timed one not started. Through the taking services, as a
    learner would; running it again keeps what is there."""
    passed, in_progress = assessments[0], assessments[1]
    if not Submission.objects.filter(user=learner, assessment=passed, passed=True).exists():
        attempt, _ = taking.attempt_start(user=learner, assessment=passed)
        taking.submission_grade(
            user=learner,
            assessment=passed,
            answers=_right_answers(passed),
            attempt_id=attempt.pk,
            closed=[],
        )
    if not Submission.objects.filter(user=learner, assessment=in_progress).exists():
        attempt, _ = taking.attempt_start(user=learner, assessment=in_progress)
        taking.attempt_answers_save(
            user=learner,
            assessment=in_progress,
            attempt_id=attempt.pk,
            answers=_right_answers(in_progress)[:1],
        )
    assert Attempt.objects.filter(user=learner, assessment=in_progress).exists()  # noqa: S101
