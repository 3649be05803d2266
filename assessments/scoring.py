"""Grading, as pure functions: no ORM, no clock, no settings (SPEC §7).

A question earns its points only when the set of selected options equals the set of correct
options: for `multiple_choice` every correct option and nothing else; for `single_choice` and
`true_false` the one correct option alone. An unanswered question (nothing selected) is wrong.
The score is points earned / points possible x 100, rounded half-up to two decimals, and it
passes when it is at least the pass mark (exact decimal comparison: 69.995 rounds to 70.00,
which passes a pass mark of 70).
"""

from collections.abc import Collection, Mapping, Sequence
from dataclasses import dataclass
from decimal import Decimal

SINGLE_CHOICE = "single_choice"
MULTIPLE_CHOICE = "multiple_choice"
TRUE_FALSE = "true_false"


class NothingToGrade(ValueError):
    """The questions are worth zero points in total, so no percentage exists."""


@dataclass(frozen=True)
class QuestionKey:
    """What grading needs to know about one question."""

    id: str
    type: str
    points: int
    correct_option_ids: frozenset[str]


@dataclass(frozen=True)
class QuestionResult:
    question_id: str
    selected_option_ids: tuple[str, ...]
    correct: bool
    points_awarded: int
    points_possible: int


@dataclass(frozen=True)
class Grade:
    points_earned: int
    points_possible: int
    score: Decimal  # 0.00-100.00
    passed: bool
    results: tuple[QuestionResult, ...]  # one per question, in the order given


def percent(part: int, whole: int) -> Decimal:
    """`part / whole x 100`, rounded half-up to two decimals, computed exactly in integers."""
    if whole <= 0:
        raise NothingToGrade("Cannot take a percentage of zero.")
    hundredths, remainder = divmod(part * 10_000, whole)
    if 2 * remainder >= whole:
        hundredths += 1
    return Decimal(hundredths).scaleb(-2)


def is_correct(question: QuestionKey, selected: Collection[str]) -> bool:
    chosen = frozenset(selected)
    if not chosen or len(chosen) != len(selected):
        return False  # unanswered, or an option chosen twice
    if question.type != MULTIPLE_CHOICE and len(chosen) != 1:
        return False
    return chosen == question.correct_option_ids


def grade(
    questions: Sequence[QuestionKey],
    selections: Mapping[str, Collection[str]],
    passing_score: int | Decimal,
) -> Grade:
    """Grades `selections` (question id -> selected option ids; a missing question is
    unanswered) against `questions`. Raises `NothingToGrade` when they are worth no points."""
    results = []
    for question in questions:
        selected = tuple(selections.get(question.id, ()))
        correct = is_correct(question, selected)
        results.append(
            QuestionResult(
                question_id=question.id,
                selected_option_ids=selected,
                correct=correct,
                points_awarded=question.points if correct else 0,
                points_possible=question.points,
            )
        )
    earned = sum(result.points_awarded for result in results)
    possible = sum(result.points_possible for result in results)
    score = percent(earned, possible)
    return Grade(
        points_earned=earned,
        points_possible=possible,
        score=score,
        passed=score >= Decimal(passing_score),
        results=tuple(results),
    )
