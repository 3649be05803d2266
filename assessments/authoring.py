"""Writes for authoring: assessments, and questions with their options (SPEC §5).

The API and the Django admin both call these functions, and both check a question through
`question_issues`, so the two can never disagree about what a valid question is. Access checks
come first, in `assessments.permissions`; these functions trust that the caller may do this.
"""

from collections.abc import Mapping, Sequence
from datetime import timedelta
from typing import Any, NotRequired, TypedDict, Unpack

from django.db import IntegrityError, transaction
from django.db.models import F, ProtectedError
from django.utils import timezone

from assessments import rules
from assessments.models import Assessment, Attempt, Option, Question
from common.db import delete_checking_references
from common.errors import NotFound, ResourceInUse, ValidationFailed
from common.validation import UNSET, Issues, Maybe, field_issues, issue
from courses.models import Course
from enrollments.progress import course_enrollments_lock, course_progress_refresh

# A field of the assessment by its name in the API, where the two differ.
_API_NAMES = {"show_correct_answers": "review.show_correct_answers"}


class AssessmentChanges(TypedDict, total=False):
    """An assessment's own fields, as a create or an update gives them (absent: unchanged)."""

    title: str
    passing_score: int
    time_limit_minutes: int | None
    max_attempts: int | None
    status: str
    show_correct_answers: str


class AssessmentUpdate(AssessmentChanges, total=False):
    course_id: str  # may be given, but must be the current course: assessments do not move


class OptionInput(TypedDict):
    """An option as a request gives it; see `assessments.rules`."""

    text: NotRequired[str | None]
    is_correct: NotRequired[bool]
    position: NotRequired[int | None]
    id: NotRequired[str | None]


_QUESTION_OWN_FIELDS = ("text", "type", "points", "explanation")


class QuestionChanges(TypedDict, total=False):
    """A question's fields, as a create or an update gives them (absent: unchanged)."""

    text: str
    type: str
    points: int
    explanation: str
    position: int | None
    options: Sequence[OptionInput]


# --- assessments -------------------------------------------------------------------------------


def assessment_issues(**fields: Unpack[AssessmentChanges]) -> Issues:
    """Every rule the given assessment fields break, as `details`; empty when all hold. Fields
    not passed are not checked. The rules are the model fields' (`assessments.models`);
    `show_correct_answers` is reported as `review.show_correct_answers`, its name in the API."""
    return field_issues(Assessment, fields, names=_API_NAMES)


def assessment_create(*, course: Course, **fields: Unpack[AssessmentChanges]) -> Assessment:
    """Creates an assessment in `course`; `title` and `passing_score` are required. Defaults:
    untimed, unlimited attempts, `published`, correct answers never shown."""
    values: AssessmentChanges = {
        "time_limit_minutes": None,
        "max_attempts": None,
        "status": Assessment.Status.PUBLISHED,
        "show_correct_answers": Assessment.Review.NEVER,
        **fields,
    }
    issues = assessment_issues(**values)
    if issues:
        raise ValidationFailed(details=issues)
    values["title"] = values["title"].strip()
    with transaction.atomic():
        assessment = Assessment.objects.create(course=course, **values)
        if assessment.status == Assessment.Status.PUBLISHED:
            course_progress_refresh(course_id=course.pk)
    return assessment


def assessment_update_issues(
    *, assessment: Assessment, course_id: Maybe[str] = UNSET, **fields: Unpack[AssessmentChanges]
) -> Issues:
    """Every rule the given changes to `assessment` break (`fields` as `assessment_issues`
    takes them); `course_id`, when given, must be its current course."""
    issues = assessment_issues(**fields)
    if course_id is not UNSET and course_id != assessment.course_id:
        issues.append(issue("course_id", "An assessment cannot be moved to another course."))
    return issues


def assessment_update(*, assessment: Assessment, **update: Unpack[AssessmentUpdate]) -> Assessment:
    """Changes the given fields and returns the stored assessment. Stored submissions keep the
    pass mark they were graded with. `course_id` may be given but must be the current course:
    assessments do not move.

    `assessment` only names the row: it is read again under a row lock and only the given
    fields are written, so a concurrent change of another field is kept. A change of `status`
    recomputes the progress of the course's live enrolments in the same transaction
    (`enrollments.progress.course_progress_refresh`).

    Time limits: giving an untimed assessment a limit gives every attempt in progress a deadline
    of now plus the limit, in the same transaction (the full time, counted from the change).
    Changing or removing a limit leaves the deadlines already set: an attempt keeps the time it
    started with."""
    course_id = update.pop("course_id", UNSET)
    changes: AssessmentChanges = update
    issues = assessment_update_issues(assessment=assessment, course_id=course_id, **changes)
    if issues:
        raise ValidationFailed(details=issues)
    if "title" in changes:
        changes["title"] = changes["title"].strip()
    with transaction.atomic():
        # No key update: submissions referring to the row are not blocked by the lock.
        stored = Assessment.objects.select_for_update(no_key=True).filter(pk=assessment.pk).first()
        if stored is None:
            raise NotFound("No assessment with this id.")
        new_limit = changes.get("time_limit_minutes")
        if new_limit is not None and stored.time_limit_minutes is None:
            _time_open_attempts(stored, new_limit)
        status_changed = "status" in changes and changes["status"] != stored.status
        for name, value in changes.items():
            setattr(stored, name, value)
        if changes:
            stored.save(update_fields=[*changes, "updated_at"])
        if status_changed:
            course_progress_refresh(course_id=stored.course_id)
    return stored


def _time_open_attempts(assessment: Assessment, minutes: int) -> None:
    """When an untimed assessment gets a time limit: its attempts in progress get a deadline of
    now plus `minutes`. Call with the assessment's row locked; holds its course's live
    enrolments until the transaction ends, so an attempt being started meanwhile (under its
    learner's enrolment lock, see `services.attempt_start`) is either timed here or reads the
    new limit itself."""
    course_enrollments_lock(course_id=assessment.course_id)
    Attempt.objects.filter(
        assessment=assessment, status=Attempt.Status.IN_PROGRESS, deadline_at__isnull=True
    ).update(deadline_at=timezone.now() + timedelta(minutes=minutes))


def assessment_delete(*, assessment: Assessment) -> None:
    """Deletes an assessment with its questions and unsubmitted attempts, and recomputes the
    progress of its course's live enrolments in the same transaction. One that has submissions
    is kept: learners' results are never lost.

    The course's live enrolments are locked before the delete (the order submissions take
    them in: enrolment, then the assessment), so a submission running meanwhile either
    commits first, and keeps the assessment, or runs after it and finds it gone (`404`)."""
    try:
        with transaction.atomic():
            course_enrollments_lock(course_id=assessment.course_id)
            delete_checking_references(assessment)
            course_progress_refresh(course_id=assessment.course_id)
    except (ProtectedError, IntegrityError):
        raise ResourceInUse(
            "This assessment has submissions and cannot be deleted; "
            "set its status to draft to hide it from learners."
        ) from None


@transaction.atomic
def assessment_duplicate(*, assessment: Assessment) -> Assessment:
    """A copy of the assessment in the same course, as a draft titled "Copy of …", with copies
    of its questions and their options (answer keys included) in the same order. Attempts and
    submissions stay with the original."""
    title = f"Copy of {assessment.title}"[: Assessment._meta.get_field("title").max_length]
    copy = Assessment.objects.create(
        course_id=assessment.course_id,
        title=title,
        passing_score=assessment.passing_score,
        time_limit_minutes=assessment.time_limit_minutes,
        max_attempts=assessment.max_attempts,
        status=Assessment.Status.DRAFT,
        show_correct_answers=assessment.show_correct_answers,
    )
    for question in Question.objects.filter(assessment=assessment).prefetch_related("options"):
        new = Question.objects.create(
            assessment=copy,
            text=question.text,
            type=question.type,
            points=question.points,
            position=question.position,
            explanation=question.explanation,
        )
        Option.objects.bulk_create(
            Option(question=new, text=o.text, is_correct=o.is_correct, position=o.position)
            for o in question.options.all()
        )
    return copy


# --- questions ---------------------------------------------------------------------------------


def question_issues(*, option_ids: Sequence[str] = (), **fields: Unpack[QuestionChanges]) -> Issues:
    """The one definition of a valid question: every rule the given fields break, as `details`
    naming the item (`options[3].text`); empty when all hold. Fields not passed are not checked;
    the option rules (`assessments.rules.option_issues`) need `type`. An option's `id` must be
    one of `option_ids`, the ids of the question's current options (none for a new question)."""
    given: Mapping[str, Any] = fields
    own = {name: given[name] for name in _QUESTION_OWN_FIELDS if name in given}
    issues = field_issues(Question, own)
    if "options" in fields:
        issues += rules.option_issues(fields.get("type"), fields["options"], option_ids)
    return issues


def _store_options(question: Question, options: Sequence[Mapping[str, Any]]) -> None:
    """Makes the question's options exactly `options`: listed ids are kept and updated, new
    entries created, the rest deleted."""
    rows = rules.ordered_options(question.type, options)
    keep = {row["id"] for row in rows if row["id"]}
    Option.objects.filter(question=question).exclude(pk__in=keep).delete()
    existing = {option.pk: option for option in Option.objects.filter(question=question)}
    changed, new = [], []
    for row in rows:
        option = existing.get(row["id"]) if row["id"] else None
        if option is None:
            new.append(
                Option(
                    question=question,
                    text=row["text"],
                    is_correct=row["is_correct"],
                    position=row["position"],
                )
            )
        else:
            option.text, option.is_correct = row["text"], row["is_correct"]
            option.position = row["position"]
            changed.append(option)
    if changed:
        Option.objects.bulk_update(changed, ["text", "is_correct", "position"])
    if new:
        Option.objects.bulk_create(new)


def _lock_questions(assessment: Assessment) -> int:
    """Locks the assessment row, so that position changes of its questions run one at a time,
    and returns its number of questions. An assessment deleted meanwhile is `NotFound`."""
    if not Assessment.objects.select_for_update().filter(pk=assessment.pk).values_list("pk"):
        raise NotFound("No assessment with this id.")
    return Question.objects.filter(assessment_id=assessment.pk).count()


def _lock_question(question: Question) -> int:
    """`_lock_questions` for a question read before the lock: its assessment or the question
    itself deleted meanwhile (by a concurrent request) is `NotFound`, not a crash."""
    count = _lock_questions(Assessment(pk=question.assessment_id))
    if not Question.objects.filter(pk=question.pk).exists():
        raise NotFound("No question with this id in this assessment.")
    return count


def question_create_issues(
    *,
    assessment: Assessment,
    question_count: int | None = None,
    **fields: Unpack[QuestionChanges],
) -> Issues:
    """Every rule a new question of `assessment` breaks: `fields` as `question_issues` takes
    them, and `position` (1 to one past the last question) when given. `question_count` is the
    assessment's number of questions when the caller has counted them already."""
    position = fields.pop("position", None)
    issues = question_issues(**fields)
    if position is not None:
        if question_count is None:
            question_count = Question.objects.filter(assessment=assessment).count()
        issues += rules.position_issues(
            position=position, question_count=question_count, adding=True
        )
    return issues


@transaction.atomic
def question_create(*, assessment: Assessment, **fields: Unpack[QuestionChanges]) -> Question:
    """Adds a question with its options (`text`, `type` and `options` required; `points`
    default 1). Without `position` it goes last; with one it is put there and the questions
    from that place on move down one."""
    count = _lock_questions(assessment)
    values: QuestionChanges = {"points": 1, "explanation": "", **fields}
    issues = question_create_issues(assessment=assessment, question_count=count, **values)
    if issues:
        raise ValidationFailed(details=issues)
    position = values.get("position") or count + 1
    Question.objects.filter(assessment=assessment, position__gte=position).update(
        position=F("position") + 1
    )
    question = Question.objects.create(
        assessment=assessment,
        text=values["text"].strip(),
        type=values["type"],
        points=values["points"],
        explanation=values["explanation"],
        position=position,
    )
    _store_options(question, values["options"])
    return question


def question_update_issues(
    *,
    question: Question,
    question_count: int | None = None,
    **changes: Unpack[QuestionChanges],
) -> Issues:
    """Every rule the given changes to `question` break. A new `type` is checked against the
    new options, or the current ones when none are given; option ids must be current options of
    the question; a new `position` runs from 1 to the number of questions (`question_count`
    when the caller has counted them already)."""
    current = list(question.options.all())
    checked = QuestionChanges(**changes)
    checked.pop("position", None)
    checked["type"] = changes.get("type", question.type)
    if "options" not in changes and "type" in changes:
        checked["options"] = [
            {"id": o.pk, "text": o.text, "is_correct": o.is_correct, "position": o.position}
            for o in current
        ]
    issues = question_issues(option_ids=[o.pk for o in current], **checked)
    position = changes.get("position")
    if position is not None:
        if question_count is None:
            question_count = Question.objects.filter(assessment_id=question.assessment_id).count()
        issues += rules.position_issues(
            position=position, question_count=question_count, adding=False
        )
    return issues


@transaction.atomic
def question_update(*, question: Question, **changes: Unpack[QuestionChanges]) -> Question:
    """Changes the given fields. `options`, when given, replaces the option set (entries with
    the `id` of a current option keep it; the others are new; missing ones are deleted). A new
    `type` is checked against the new options, or the current ones when none are given. A new
    `position` moves the question there; the others close up."""
    count = _lock_question(question)
    issues = question_update_issues(question=question, question_count=count, **changes)
    if issues:
        raise ValidationFailed(details=issues)
    position = changes.get("position")
    if position is not None:
        question.refresh_from_db(fields=["position"])
        _move(question, position)
    if "text" in changes:
        question.text = changes["text"].strip()
    if "type" in changes:
        question.type = changes["type"]
    if "points" in changes:
        question.points = changes["points"]
    if "explanation" in changes:
        question.explanation = changes["explanation"]
    question.save()
    if "options" in changes:
        _store_options(question, changes["options"])
    return question


def _move(question: Question, position: int) -> None:
    """Puts the question at `position`, shifting the ones in between by one."""
    siblings = Question.objects.filter(assessment_id=question.assessment_id).exclude(pk=question.pk)
    old = question.position
    if position < old:
        siblings.filter(position__gte=position, position__lt=old).update(position=F("position") + 1)
    elif position > old:
        siblings.filter(position__gt=old, position__lte=position).update(position=F("position") - 1)
    question.position = position


@transaction.atomic
def question_delete(*, question: Question) -> None:
    """Deletes the question and its options; the questions after it move up one. Stored
    submissions keep their snapshot of it."""
    _lock_question(question)
    question.refresh_from_db(fields=["position"])
    Question.objects.filter(
        assessment_id=question.assessment_id, position__gt=question.position
    ).update(position=F("position") - 1)
    question.delete()


@transaction.atomic
def assessment_reorder_questions(*, assessment: Assessment, positions: Mapping[str, int]) -> None:
    """Moves several questions at once (`{question_id: position}`), as the admin's question list
    does: each is moved in order of its new place, so a full new order comes out exactly.
    Positions past the end put the question last."""
    count = _lock_questions(assessment)
    questions = {q.pk: q for q in Question.objects.filter(assessment=assessment, pk__in=positions)}
    for question_id, position in sorted(positions.items(), key=lambda item: item[1]):
        question_update(question=questions[question_id], position=max(1, min(position, count)))
