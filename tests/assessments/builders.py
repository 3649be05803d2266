"""Helpers for the tests of taking assessments: a controllable clock, URLs, and answer bodies.

    with frozen_clock() as clock:          # timezone.now() returns clock.now
        ...
        clock.advance(minutes=10)

Objects themselves come from `tests.assessments.factories`.
"""

from collections.abc import Iterator
from contextlib import contextmanager
from datetime import datetime, timedelta
from typing import Any
from unittest import mock

from django.db import connection
from django.utils import timezone

from assessments.models import Assessment, Option, Question
from tests.assessments.factories import AssessmentFactory, enroll, published_course


class Clock:
    def __init__(self, start: datetime) -> None:
        self.now = start

    def __call__(self) -> datetime:
        return self.now

    def advance(self, **delta: float) -> datetime:
        self.now += timedelta(**delta)
        return self.now


@contextmanager
def frozen_clock(start: datetime | None = None) -> Iterator[Clock]:
    """Every `django.utils.timezone.now()` (services, auto_now fields, token checks) reads this
    clock until the block ends. Move it by minutes, not hours: access tokens live one hour."""
    clock = Clock(start or timezone.now())
    with mock.patch("django.utils.timezone.now", clock):
        yield clock


def attempts_url(assessment: Assessment | str) -> str:
    return f"/api/v1/assessments/{getattr(assessment, 'pk', assessment)}/attempts"


def attempt_url(assessment: Assessment | str, attempt_id: str) -> str:
    return f"{attempts_url(assessment)}/{attempt_id}"


def answers_url(assessment: Assessment | str, attempt_id: str) -> str:
    return f"{attempt_url(assessment, attempt_id)}/answers"


def submissions_url(assessment: Assessment | str) -> str:
    return f"/api/v1/assessments/{getattr(assessment, 'pk', assessment)}/submissions"


def submission_url(assessment: Assessment | str, submission_id: str) -> str:
    return f"{submissions_url(assessment)}/{submission_id}"


def options_of(question: Question) -> list[Option]:
    return list(question.options.order_by("position", "id"))


def correct_ids(question: Question) -> list[str]:
    return [o.pk for o in options_of(question) if o.is_correct]


def wrong_ids(question: Question) -> list[str]:
    return [o.pk for o in options_of(question) if not o.is_correct]


def answer(question: Question, option_ids: list[str]) -> dict[str, Any]:
    """An answer item in the shape the question's type takes."""
    if question.type == Question.Type.MULTIPLE_CHOICE:
        return {"question_id": question.pk, "selected_option_ids": list(option_ids)}
    return {"question_id": question.pk, "selected_option_id": option_ids[0] if option_ids else None}


def right(question: Question) -> dict[str, Any]:
    return answer(question, correct_ids(question))


def wrong(question: Question) -> dict[str, Any]:
    return answer(question, wrong_ids(question)[:1])


def all_right(assessment: Assessment) -> list[dict[str, Any]]:
    return [right(q) for q in assessment.questions.all()]


def quiz_for(
    learner: Any,
    *,
    instructor: Any = None,
    questions: int = 3,
    **fields: Any,
) -> Assessment:
    """A published assessment (untimed unless `time_limit_minutes=`) of a new published course
    of `instructor`, with `questions` mixed questions, `learner` actively enrolled."""
    course = published_course(instructor)
    if learner is not None:
        enroll(learner, course)
    return AssessmentFactory(course=course, questions=questions, **fields)


LIMIT_REACHED_BODY = {
    "data": None,
    "meta": None,
    "error": {
        "code": "ATTEMPT_LIMIT_REACHED",
        "message": "You have reached the maximum number of attempts for this assessment.",
        "details": [],
    },
}

# Starting or submitting checks the new rows' foreign keys before its transaction ends, which
# is two statements on PostgreSQL and none on SQLite.
FK_CHECK_QUERIES = 2 if connection.vendor == "postgresql" else 0
