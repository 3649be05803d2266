"""Writes for authoring: assessments, and questions with their options (SPEC §5).

The API and the Django admin both call these functions, and both check a question through
`question_issues`, so the two can never disagree about what a valid question is. Access checks
come first, in `assessments.permissions`; these functions trust that the caller may do this.
"""

from collections.abc import Collection, Mapping, Sequence
from datetime import timedelta
from typing import Any

from django.db import IntegrityError, transaction
from django.db.models import F, ProtectedError
from django.utils import timezone

from assessments.models import Assessment, Attempt, Option, Question
from assessments.services import course_enrollments_lock, course_progress_refresh
from common.db import delete_checking_references
from common.errors import NotFound, ResourceInUse, ValidationFailed
from courses.models import Course

_UNSET: Any = object()

Issues = list[dict[str, str]]

TITLE_LENGTH = (3, 200)
PASSING_SCORE_RANGE = (1, 100)
TIME_LIMIT_RANGE = (1, 1440)
MAX_ATTEMPTS_RANGE = (1, 1000)
QUESTION_TEXT_LENGTH = (1, 2000)
EXPLANATION_MAX_LENGTH = 5000
POINTS_RANGE = (1, 100)
OPTION_TEXT_LENGTH = (1, 500)
OPTION_COUNT = (2, 10)
TRUE_FALSE_TEXTS = ("True", "False")


def _issue(field: str, issue: str) -> dict[str, str]:
    return {"field": field, "issue": issue}


def _is_int(value: Any) -> bool:
    return isinstance(value, int) and not isinstance(value, bool)


def _int_in_range(field: str, value: Any, bounds: tuple[int, int], issues: Issues) -> None:
    low, high = bounds
    if not _is_int(value) or not low <= value <= high:
        issues.append(_issue(field, f"Must be an integer from {low} to {high}."))


def _text_in_range(field: str, value: Any, bounds: tuple[int, int], issues: Issues) -> bool:
    """Adds an issue unless `value` is a string of `bounds` characters once trimmed; returns
    whether it added one."""
    low, high = bounds
    if not isinstance(value, str) or not low <= len(value.strip()) <= high:
        issues.append(_issue(field, f"Must be between {low} and {high} characters."))
        return True
    return False


# --- assessments -------------------------------------------------------------------------------


def assessment_issues(
    *,
    title: Any = _UNSET,
    passing_score: Any = _UNSET,
    time_limit_minutes: Any = _UNSET,
    max_attempts: Any = _UNSET,
    status: Any = _UNSET,
    show_correct_answers: Any = _UNSET,
) -> Issues:
    """Every rule the given assessment fields break, as `details`; empty when all hold. Fields
    not passed are not checked. `show_correct_answers` is reported as `review.show_correct_answers`,
    its name in the API."""
    issues: Issues = []
    if title is not _UNSET:
        _text_in_range("title", title, TITLE_LENGTH, issues)
    if passing_score is not _UNSET:
        _int_in_range("passing_score", passing_score, PASSING_SCORE_RANGE, issues)
    if time_limit_minutes is not _UNSET and time_limit_minutes is not None:
        _int_in_range("time_limit_minutes", time_limit_minutes, TIME_LIMIT_RANGE, issues)
    if max_attempts is not _UNSET and max_attempts is not None:
        _int_in_range("max_attempts", max_attempts, MAX_ATTEMPTS_RANGE, issues)
    if status is not _UNSET and status not in Assessment.Status.values:
        issues.append(_issue("status", f"Must be one of: {', '.join(Assessment.Status.values)}."))
    if show_correct_answers is not _UNSET and show_correct_answers not in Assessment.Review.values:
        issues.append(
            _issue(
                "review.show_correct_answers",
                f"Must be one of: {', '.join(Assessment.Review.values)}.",
            )
        )
    return issues


def assessment_create(
    *,
    course: Course,
    title: str,
    passing_score: int,
    time_limit_minutes: int | None = None,
    max_attempts: int | None = None,
    status: str = Assessment.Status.PUBLISHED,
    show_correct_answers: str = Assessment.Review.NEVER,
) -> Assessment:
    fields = {
        "title": title,
        "passing_score": passing_score,
        "time_limit_minutes": time_limit_minutes,
        "max_attempts": max_attempts,
        "status": status,
        "show_correct_answers": show_correct_answers,
    }
    issues = assessment_issues(**fields)
    if issues:
        raise ValidationFailed(details=issues)
    fields["title"] = title.strip()
    with transaction.atomic():
        assessment = Assessment.objects.create(course=course, **fields)
        if status == Assessment.Status.PUBLISHED:
            course_progress_refresh(course_id=course.pk)
    return assessment


def assessment_update_issues(
    *, assessment: Assessment, course_id: Any = _UNSET, **fields: Any
) -> Issues:
    """Every rule the given changes to `assessment` break (`fields` as `assessment_issues`
    takes them); `course_id`, when given, must be its current course."""
    issues = assessment_issues(**fields)
    if course_id is not _UNSET and course_id != assessment.course_id:
        issues.append(_issue("course_id", "An assessment cannot be moved to another course."))
    return issues


def assessment_update(
    *,
    assessment: Assessment,
    title: Any = _UNSET,
    passing_score: Any = _UNSET,
    time_limit_minutes: Any = _UNSET,
    max_attempts: Any = _UNSET,
    status: Any = _UNSET,
    show_correct_answers: Any = _UNSET,
    course_id: Any = _UNSET,
) -> Assessment:
    """Changes the given fields and returns the stored assessment. Stored submissions keep the
    pass mark they were graded with. `course_id` may be given but must be the current course:
    assessments do not move.

    `assessment` only names the row: it is read again under a row lock and only the given
    fields are written, so a concurrent change of another field is kept. A change of `status`
    recomputes the progress of the course's live enrolments in the same transaction
    (`services.course_progress_refresh`).

    Time limits: giving an untimed assessment a limit gives every attempt in progress a deadline
    of now plus the limit, in the same transaction (the full time, counted from the change).
    Changing or removing a limit leaves the deadlines already set: an attempt keeps the time it
    started with."""
    changes = {
        name: value
        for name, value in {
            "title": title,
            "passing_score": passing_score,
            "time_limit_minutes": time_limit_minutes,
            "max_attempts": max_attempts,
            "status": status,
            "show_correct_answers": show_correct_answers,
        }.items()
        if value is not _UNSET
    }
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
        if changes.get("time_limit_minutes") is not None and stored.time_limit_minutes is None:
            _time_open_attempts(stored, changes["time_limit_minutes"])
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


# --- questions ---------------------------------------------------------------------------------


def _option_texts(question_type: Any, options: Sequence[Any]) -> list[str | None]:
    """The text each option gets: its own, trimmed (`None` when it is not a string). The first
    two options of a true_false question may leave it out: such an option gets the one of
    "True" / "False" the other option does not use ("True" for the first and "False" for the
    second when both are free)."""
    texts: list[str | None] = []
    for option in options:
        text = option.get("text") if isinstance(option, Mapping) else None
        texts.append(text.strip() if isinstance(text, str) else None)
    if question_type != Question.Type.TRUE_FALSE:
        return texts
    for index, option in enumerate(options[:2]):
        if isinstance(option, Mapping) and option.get("text") is None:
            used = {text.casefold() for text in texts if text}
            free = [text for text in TRUE_FALSE_TEXTS if text.casefold() not in used]
            default = TRUE_FALSE_TEXTS[index]
            texts[index] = default if default in free or not free else free[0]
    return texts


def _option_issues(
    question_type: Any, options: Any, option_ids: Collection[str], issues: Issues
) -> None:
    if not isinstance(options, Sequence) or isinstance(options, str):
        issues.append(_issue("options", "Must be a list of options."))
        return
    low, high = OPTION_COUNT
    if question_type == Question.Type.TRUE_FALSE and len(options) != 2:
        issues.append(_issue("options", "A true_false question has exactly 2 options."))
    elif not low <= len(options) <= high:
        issues.append(_issue("options", f"Must have between {low} and {high} options."))

    texts = _option_texts(question_type, options)
    seen_texts: set[str] = set()  # case-insensitive: "Yes" and "yes " are the same answer
    seen_ids: set[str] = set()
    given_positions: dict[int, int] = {}
    for index, option in enumerate(options):
        prefix = f"options[{index}]"
        if not isinstance(option, Mapping):
            issues.append(_issue(prefix, "Must be an object."))
            continue
        option_id = option.get("id")
        if option_id is not None:
            if option_id not in option_ids:
                issues.append(_issue(f"{prefix}.id", "No such option in this question."))
            elif option_id in seen_ids:
                issues.append(_issue(f"{prefix}.id", "This option is listed twice."))
            seen_ids.add(option_id)
        text = option.get("text")
        defaulted = text is None and question_type == Question.Type.TRUE_FALSE and index < 2
        if defaulted or not _text_in_range(f"{prefix}.text", text, OPTION_TEXT_LENGTH, issues):
            folded = str(texts[index]).casefold()
            if folded in seen_texts:
                issues.append(
                    _issue(f"{prefix}.text", "Another option of this question has this text.")
                )
            seen_texts.add(folded)
        if not isinstance(option.get("is_correct", False), bool):
            issues.append(_issue(f"{prefix}.is_correct", "Must be true or false."))
        position = option.get("position")
        if position is not None:
            if not _is_int(position) or not 1 <= position <= len(options):
                issues.append(
                    _issue(f"{prefix}.position", f"Must be an integer from 1 to {len(options)}.")
                )
            elif position in given_positions:
                issues.append(_issue(f"{prefix}.position", "Another option has this position."))
            else:
                given_positions[position] = index

    correct = sum(
        1 for option in options if isinstance(option, Mapping) and option.get("is_correct") is True
    )
    if question_type in (Question.Type.SINGLE_CHOICE, Question.Type.TRUE_FALSE) and correct != 1:
        issues.append(
            _issue("options", f"A {question_type} question has exactly 1 correct option.")
        )
    elif question_type == Question.Type.MULTIPLE_CHOICE and correct < 1:
        issues.append(
            _issue("options", "A multiple_choice question has at least 1 correct option.")
        )


def question_issues(
    *,
    text: Any = _UNSET,
    type: Any = _UNSET,
    points: Any = _UNSET,
    explanation: Any = _UNSET,
    options: Any = _UNSET,
    option_ids: Collection[str] = (),
) -> Issues:
    """The one definition of a valid question: every rule the given fields break, as `details`
    naming the item (`options[3].text`); empty when all hold. Fields not passed are not checked.
    The option rules need `type`.

    `options` is a list of mappings `{"text", "is_correct", "position"?, "id"?}`. A true_false
    question's two options may leave out `text` ("True" and "False" are used). An `id` must be
    one of `option_ids`, the ids of the question's current options (none for a new question).
    """
    issues: Issues = []
    if text is not _UNSET:
        _text_in_range("text", text, QUESTION_TEXT_LENGTH, issues)
    if type is not _UNSET and type not in Question.Type.values:
        issues.append(_issue("type", f"Must be one of: {', '.join(Question.Type.values)}."))
    if points is not _UNSET:
        _int_in_range("points", points, POINTS_RANGE, issues)
    if explanation is not _UNSET and (
        not isinstance(explanation, str) or len(explanation) > EXPLANATION_MAX_LENGTH
    ):
        issues.append(
            _issue("explanation", f"Must be at most {EXPLANATION_MAX_LENGTH} characters.")
        )
    if options is not _UNSET:
        _option_issues(type, options, option_ids, issues)
    return issues


def _ordered_options(question_type: str, options: Sequence[Mapping[str, Any]]) -> list[dict]:
    """Valid options as rows to store, in position order, positions 1..n: a given position is
    kept, the others fill the free places in request order."""
    rows = []
    for option, text in zip(options, _option_texts(question_type, options), strict=True):
        rows.append(
            {
                "id": option.get("id"),
                "text": text,
                "is_correct": bool(option.get("is_correct", False)),
                "position": option.get("position"),
            }
        )
    free = iter(sorted(set(range(1, len(rows) + 1)) - {r["position"] for r in rows}))
    for row in rows:
        if row["position"] is None:
            row["position"] = next(free)
    return sorted(rows, key=lambda row: row["position"])


def _store_options(question: Question, options: Sequence[Mapping[str, Any]]) -> None:
    """Makes the question's options exactly `options`: listed ids are kept and updated, new
    entries created, the rest deleted."""
    rows = _ordered_options(question.type, options)
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
    and returns its number of questions."""
    Assessment.objects.select_for_update().filter(pk=assessment.pk).values_list("pk").first()
    return Question.objects.filter(assessment=assessment).count()


def question_position_issues(*, position: Any, question_count: int, adding: bool) -> Issues:
    """A question's position runs from 1 to the number of questions (one more when adding)."""
    last = question_count + 1 if adding else question_count
    if not _is_int(position) or not 1 <= position <= last:
        return [_issue("position", f"Must be an integer from 1 to {last}.")]
    return []


def question_create_issues(
    *,
    assessment: Assessment,
    position: Any = None,
    question_count: int | None = None,
    **fields: Any,
) -> Issues:
    """Every rule a new question of `assessment` breaks: `fields` as `question_issues` takes
    them, and `position` (1 to one past the last question) when given. `question_count` is the
    assessment's number of questions when the caller has counted them already."""
    issues = question_issues(**fields)
    if position is not None:
        if question_count is None:
            question_count = Question.objects.filter(assessment=assessment).count()
        issues += question_position_issues(
            position=position, question_count=question_count, adding=True
        )
    return issues


@transaction.atomic
def question_create(
    *,
    assessment: Assessment,
    text: str,
    type: str,
    options: Sequence[Mapping[str, Any]],
    points: int = 1,
    explanation: str = "",
    position: int | None = None,
) -> Question:
    """Adds a question with its options. Without `position` it goes last; with one it is put
    there and the questions from that place on move down one."""
    count = _lock_questions(assessment)
    issues = question_create_issues(
        assessment=assessment,
        question_count=count,
        text=text,
        type=type,
        points=points,
        explanation=explanation,
        options=options,
        position=position,
    )
    if issues:
        raise ValidationFailed(details=issues)
    if position is None:
        position = count + 1
    Question.objects.filter(assessment=assessment, position__gte=position).update(
        position=F("position") + 1
    )
    question = Question.objects.create(
        assessment=assessment,
        text=text.strip(),
        type=type,
        points=points,
        explanation=explanation,
        position=position,
    )
    _store_options(question, options)
    return question


def question_update_issues(
    *,
    question: Question,
    text: Any = _UNSET,
    type: Any = _UNSET,
    points: Any = _UNSET,
    explanation: Any = _UNSET,
    position: Any = _UNSET,
    options: Any = _UNSET,
    question_count: int | None = None,
) -> Issues:
    """Every rule the given changes to `question` break. A new `type` is checked against the
    new options, or the current ones when none are given; option ids must be current options of
    the question; a new `position` runs from 1 to the number of questions (`question_count`
    when the caller has counted them already)."""
    new_type = question.type if type is _UNSET else type
    current = list(question.options.all())
    checked_options = options
    if options is _UNSET and type is not _UNSET:
        checked_options = [
            {"id": o.pk, "text": o.text, "is_correct": o.is_correct, "position": o.position}
            for o in current
        ]
    issues = question_issues(
        text=text,
        type=new_type,
        points=points,
        explanation=explanation,
        options=checked_options,
        option_ids={o.pk for o in current},
    )
    if position is not _UNSET and position is not None:
        if question_count is None:
            question_count = Question.objects.filter(assessment_id=question.assessment_id).count()
        issues += question_position_issues(
            position=position, question_count=question_count, adding=False
        )
    return issues


@transaction.atomic
def question_update(
    *,
    question: Question,
    text: Any = _UNSET,
    type: Any = _UNSET,
    points: Any = _UNSET,
    explanation: Any = _UNSET,
    position: Any = _UNSET,
    options: Any = _UNSET,
) -> Question:
    """Changes the given fields. `options`, when given, replaces the option set (entries with
    the `id` of a current option keep it; the others are new; missing ones are deleted). A new
    `type` is checked against the new options, or the current ones when none are given. A new
    `position` moves the question there; the others close up."""
    count = _lock_questions(question.assessment)
    issues = question_update_issues(
        question=question,
        question_count=count,
        text=text,
        type=type,
        points=points,
        explanation=explanation,
        position=position,
        options=options,
    )
    if issues:
        raise ValidationFailed(details=issues)
    if position is not _UNSET and position is not None:
        question.refresh_from_db(fields=["position"])
        _move(question, position)
    if text is not _UNSET:
        question.text = text.strip()
    if type is not _UNSET:
        question.type = type
    if points is not _UNSET:
        question.points = points
    if explanation is not _UNSET:
        question.explanation = explanation
    question.save()
    if options is not _UNSET:
        _store_options(question, options)
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
    _lock_questions(question.assessment)
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
