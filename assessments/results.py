"""Results of assessments for their staff: item statistics and the CSV export (SPEC §10).

Both are computed from the submissions' snapshots (`Submission.results`), so every result counts
as it was graded, whatever was edited since. Questions are listed in their current order, then
questions that exist only in snapshots (deleted since), in the order they first appear; the
options of a question likewise.

The functions taking plain data (`item_statistics`, `csv_lines`, ...) are pure. The ones taking
an assessment or a queryset run a fixed number of queries however many submissions there are:
the submissions are streamed with `.iterator()` and aggregated in Python.
"""

import csv
from collections import Counter
from collections.abc import Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass
from datetime import UTC, datetime
from decimal import Decimal
from typing import Any

from django.db.models import QuerySet

from assessments import scoring
from assessments.models import Assessment, Attempt, Question, Submission
from assessments.selectors import question_list

# Rows fetched per round trip while streaming submissions.
CHUNK_SIZE = 500


# --- snapshots ---------------------------------------------------------------------------------


def selected_ids(entry: Mapping[str, Any]) -> tuple[str, ...]:
    """The options a snapshot entry says were selected (none when unanswered)."""
    if "selected_option_ids" in entry:
        return tuple(entry["selected_option_ids"] or ())
    single = entry.get("selected_option_id")
    return () if single is None else (single,)


def ordered_ids(current: Iterable[str], seen: Iterable[str]) -> list[str]:
    """The `current` ids in their order, then the other ids of `seen` in order of first
    appearance, each once."""
    order = dict.fromkeys(current)
    order.update(dict.fromkeys(seen))
    return list(order)


# --- item statistics ---------------------------------------------------------------------------


@dataclass(frozen=True)
class OptionInfo:
    id: str
    text: str
    is_correct: bool


@dataclass(frozen=True)
class QuestionInfo:
    """A current question of the assessment, as the statistics need it."""

    id: str
    text: str
    type: str
    options: tuple[OptionInfo, ...]


@dataclass(frozen=True)
class SubmissionSnapshot:
    user_id: str
    score: Decimal
    passed: bool
    results: Sequence[Mapping[str, Any]]


@dataclass(frozen=True)
class OptionStats:
    id: str
    text: str
    is_correct: bool  # per the current answer key; for a deleted option, its latest snapshot's
    chosen: int  # submissions that selected it
    share: Decimal | None  # percent of the submissions that held the question
    removed: bool  # no longer an option of the question


@dataclass(frozen=True)
class QuestionStats:
    id: str
    number: int  # 1-based place in the statistics' list
    text: str
    type: str
    removed: bool  # no longer a question of the assessment (it lives on in snapshots)
    submissions: int  # submissions whose snapshot holds the question
    answered: int  # of those, the ones with an option selected
    correct: int
    share_correct: Decimal | None  # percent of `submissions`; unanswered counts as wrong
    unanswered: int
    unanswered_share: Decimal | None
    options: tuple[OptionStats, ...]

    @property
    def type_label(self) -> str:
        return Question.Type(self.type).label if self.type in Question.Type.values else self.type


@dataclass(frozen=True)
class AssessmentStats:
    submissions: int
    attempts: int  # every attempt, whatever its status (in progress, submitted, expired)
    learners: int  # distinct learners with a submission
    average_score: Decimal | None  # mean score, rounded half-up to 2 decimals
    passed: int
    pass_rate: Decimal | None  # percent of submissions that passed
    questions: tuple[QuestionStats, ...]


def _share(part: int, whole: int) -> Decimal | None:
    return scoring.percent(part, whole) if whole else None


def mean_score(total: Decimal, count: int) -> Decimal | None:
    """`total / count`, rounded half-up to 2 decimals (exact: scores have 2 decimals)."""
    if not count:
        return None
    hundredths, remainder = divmod(int(total.scaleb(2)), count)
    if 2 * remainder >= count:
        hundredths += 1
    return Decimal(hundredths).scaleb(-2)


class _Tally:
    """What the snapshots say about one question."""

    def __init__(self) -> None:
        self.submissions = 0
        self.answered = 0
        self.correct = 0
        self.chosen: Counter[str] = Counter()
        # From the latest snapshot holding the question (submissions arrive oldest first).
        self.text = ""
        self.type = ""
        self.option_texts: dict[str, str] = {}
        self.correct_ids: set[str] = set()

    def add(self, entry: Mapping[str, Any]) -> None:
        self.submissions += 1
        selected = selected_ids(entry)
        self.answered += bool(selected)
        self.correct += bool(entry.get("correct"))
        self.chosen.update(set(selected))
        self.text = entry.get("text", self.text)
        self.type = entry.get("type", self.type)
        for option in entry.get("options", ()):
            self.option_texts[option["id"]] = option["text"]
        for option_id in selected:
            self.option_texts.setdefault(option_id, option_id)  # a snapshot without texts
        self.correct_ids = set(entry.get("correct_option_ids", ()))


def item_statistics(
    *,
    questions: Sequence[QuestionInfo],
    submissions: Iterable[SubmissionSnapshot],
    attempts: int,
) -> AssessmentStats:
    """Statistics of an assessment from its current `questions` (in order), its submissions'
    snapshots (oldest first) and its number of attempts. Reads `submissions` once."""
    tallies: dict[str, _Tally] = {}
    count = passed = 0
    total = Decimal(0)
    learners: set[str] = set()
    for submission in submissions:
        count += 1
        passed += bool(submission.passed)
        total += Decimal(submission.score)
        learners.add(submission.user_id)
        for entry in submission.results:
            tallies.setdefault(entry["question_id"], _Tally()).add(entry)

    current = {question.id: question for question in questions}
    rows = []
    for number, question_id in enumerate(ordered_ids(current, tallies), start=1):
        tally = tallies.get(question_id, _Tally())
        question = current.get(question_id)
        if question is not None:
            keyed = {option.id: option for option in question.options}
            text, type_ = question.text, question.type
        else:
            keyed, text, type_ = {}, tally.text, tally.type
        options = tuple(
            OptionStats(
                id=option_id,
                text=keyed[option_id].text if option_id in keyed else tally.option_texts[option_id],
                is_correct=(
                    keyed[option_id].is_correct
                    if option_id in keyed
                    else option_id in tally.correct_ids
                ),
                chosen=tally.chosen[option_id],
                share=_share(tally.chosen[option_id], tally.submissions),
                removed=question is not None and option_id not in keyed,
            )
            for option_id in ordered_ids(keyed, tally.option_texts)
        )
        unanswered = tally.submissions - tally.answered
        rows.append(
            QuestionStats(
                id=question_id,
                number=number,
                text=text,
                type=type_,
                removed=question is None,
                submissions=tally.submissions,
                answered=tally.answered,
                correct=tally.correct,
                share_correct=_share(tally.correct, tally.submissions),
                unanswered=unanswered,
                unanswered_share=_share(unanswered, tally.submissions),
                options=options,
            )
        )
    return AssessmentStats(
        submissions=count,
        attempts=attempts,
        learners=len(learners),
        average_score=mean_score(total, count),
        passed=passed,
        pass_rate=_share(passed, count),
        questions=tuple(rows),
    )


def current_questions(*, assessment: Assessment) -> list[QuestionInfo]:
    """The assessment's questions in order, with their options: two queries."""
    return [
        QuestionInfo(
            id=question.pk,
            text=question.text,
            type=question.type,
            options=tuple(
                OptionInfo(id=option.pk, text=option.text, is_correct=option.is_correct)
                for option in question.options.all()
            ),
        )
        for question in question_list(assessment=assessment)
    ]


def assessment_statistics(*, assessment: Assessment) -> AssessmentStats:
    """Item statistics of `assessment`: four queries, however many submissions it has."""
    snapshots = (
        SubmissionSnapshot(user_id=user_id, score=score, passed=passed, results=results)
        for user_id, score, passed, results in Submission.objects.filter(assessment=assessment)
        .order_by("submitted_at", "id")
        .values_list("user_id", "score", "passed", "results")
        .iterator(chunk_size=CHUNK_SIZE)
    )
    return item_statistics(
        questions=current_questions(assessment=assessment),
        submissions=snapshots,
        attempts=Attempt.objects.filter(assessment=assessment).count(),
    )


# --- CSV export --------------------------------------------------------------------------------

CSV_COLUMNS = (
    "submission_id",
    "user_id",
    "learner_email",
    "learner_name",
    "attempt_number",
    "score",
    "passed",
    "submitted_at",
)
# A spreadsheet runs a cell starting with one of these as a formula; such cells get a leading
# single quote (OWASP's advice for CSV injection).
FORMULA_PREFIXES = ("=", "+", "-", "@", "\t", "\r")


def csv_cell(value: Any) -> str:
    text = "" if value is None else str(value)
    return f"'{text}" if text.startswith(FORMULA_PREFIXES) else text


class _Echo:
    """A file-like object whose `write` returns the line, so `csv.writer` yields it."""

    def write(self, value: str) -> str:
        return value


def csv_lines(rows: Iterable[Sequence[Any]]) -> Iterator[str]:
    """Each row as a CSV line, every cell neutralised against formula injection."""
    writer = csv.writer(_Echo())
    for row in rows:
        yield writer.writerow([csv_cell(value) for value in row])


def _timestamp(value: datetime) -> str:
    return value.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%S.%fZ")


def _flag(value: bool) -> int:
    return 1 if value else 0


@dataclass(frozen=True)
class ExportRow:
    submission_id: str
    assessment_id: str
    user_id: str
    learner_email: str
    learner_name: str
    attempt_number: int
    score: Decimal
    passed: bool
    submitted_at: datetime
    results: Sequence[Mapping[str, Any]]


def export_rows(
    *, question_ids: Sequence[str], submissions: Iterable[ExportRow], with_assessment: bool
) -> Iterator[list[Any]]:
    """The export's header, then one row per submission: its fields, then per question 1
    (correct), 0 (wrong or unanswered) or empty (not in that submission's snapshot).
    `with_assessment` adds an `assessment_id` column after `submission_id`."""
    head = ["assessment_id"] if with_assessment else []
    yield [CSV_COLUMNS[0], *head, *CSV_COLUMNS[1:], *question_ids]
    for row in submissions:
        correct = {entry["question_id"]: bool(entry.get("correct")) for entry in row.results}
        yield [
            row.submission_id,
            *([row.assessment_id] if with_assessment else []),
            row.user_id,
            row.learner_email,
            row.learner_name,
            row.attempt_number,
            row.score,
            _flag(row.passed),
            _timestamp(row.submitted_at),
            *(
                _flag(correct[question_id]) if question_id in correct else None
                for question_id in question_ids
            ),
        ]


def export_question_ids(submissions: QuerySet[Submission]) -> list[str]:
    """The question columns of an export of `submissions`: the current questions of their
    assessments (assessment by assessment, each in question order), then questions found only
    in the snapshots. Two queries; the snapshots are streamed."""
    assessment_ids: dict[str, None] = {}
    in_snapshots: dict[str, None] = {}
    snapshots = submissions.order_by("submitted_at", "id").values_list("assessment_id", "results")
    for assessment_id, results in snapshots.iterator(chunk_size=CHUNK_SIZE):
        assessment_ids[assessment_id] = None
        in_snapshots.update(dict.fromkeys(entry["question_id"] for entry in results))
    current = (
        Question.objects.filter(assessment_id__in=list(assessment_ids))
        .order_by("assessment__created_at", "assessment_id", "position", "created_at", "id")
        .values_list("id", flat=True)
    )
    return ordered_ids(current, in_snapshots)


def export_csv_lines(
    submissions: QuerySet[Submission], *, with_assessment: bool = False
) -> Iterator[str]:
    """`submissions` as CSV lines, oldest first. The columns are worked out when this is
    called (two queries); the rows are then streamed as the lines are read (one query)."""
    question_ids = export_question_ids(submissions)
    rows = (
        ExportRow(*values)
        for values in submissions.order_by("submitted_at", "id")
        .values_list(
            "id",
            "assessment_id",
            "user_id",
            "user__email",
            "user__name",
            "attempt_number",
            "score",
            "passed",
            "submitted_at",
            "results",
        )
        .iterator(chunk_size=CHUNK_SIZE)
    )
    return csv_lines(
        export_rows(question_ids=question_ids, submissions=rows, with_assessment=with_assessment)
    )
