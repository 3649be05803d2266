"""Taking assessments: attempts, saved answers, time limits, submissions and retakes (SPEC §6-§8).

The API and the learner pages call these functions; every rule of taking a quiz lives here.
Progress and course completion are `enrollments.progress`'s, which every submission calls.

Concurrency: every write that starts, saves, submits or closes an attempt runs in
`transaction.atomic()` and first locks the learner's live enrolment in the course with
`select_for_update()`. That serialises one learner's requests for the course (learners do not
block each other), so attempts are counted and numbered exactly; the unique constraints on
`Attempt` back it.

Time: an attempt of a timed assessment takes saved answers until `deadline_at`, and a
submission until `deadline_at` plus `settings.ATTEMPT_GRACE_SECONDS` (the grace absorbs network
delay). After that it is closed as `expired` and graded from the answers it had saved, in a
durable transaction of its own (`attempt_expire`), which commits even when the request then
fails with `403 TIME_LIMIT_EXCEEDED`, and which no caller's transaction can turn into a
savepoint. Overdue attempts are closed whenever their learner touches the assessment, and by
`manage.py close_expired_attempts`; staff reads never write.
"""

from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any, NotRequired, TypedDict

from django.conf import settings
from django.db import IntegrityError, transaction
from django.db.models import Count, Exists, Max, OuterRef, QuerySet
from django.utils import timezone

from accounts.models import User
from assessments import idempotency, scoring, selectors
from assessments.errors import (
    AssessmentNotReady,
    AttemptClosed,
    AttemptLimitReached,
    AttemptRequired,
    DeadlinePassed,
    NotEnrolled,
    TimeLimitExceeded,
)
from assessments.models import Assessment, Attempt, Question, Submission
from assessments.permissions import assessment_for_taking
from common.db import check_references_now
from common.errors import NotFound, ValidationFailed
from common.validation import Issues
from enrollments.models import Enrollment
from enrollments.progress import enrollment_progress_update


class Answer(TypedDict):
    """One well-shaped answer: `selected_option_id` (null: unanswered; on a multiple_choice
    question it selects that one option, the seed's shape) or `selected_option_ids`."""

    question_id: str
    selected_option_id: NotRequired[str | None]
    selected_option_ids: NotRequired[list[str]]


# --- reads -------------------------------------------------------------------------------------


def attempt_list(*, user: User, assessment: Assessment) -> QuerySet[Attempt]:
    """A learner's own attempts (their overdue ones closed first), or (staff) everyone's as
    stored: staff reads never write; `close_expired_attempts` closes the others."""
    attempts = Attempt.objects.filter(assessment=assessment).order_by("started_at", "id")
    if user.is_staff:
        return attempts
    attempts_close_overdue(assessment=assessment, user=user)
    return attempts.filter(user=user)


def attempt_get(*, user: User, assessment: Assessment, attempt_id: str) -> Attempt:
    """One attempt (a learner's own only; `404` otherwise). A learner's overdue attempt is
    closed first; staff see it as stored."""
    attempts = Attempt.objects.filter(assessment=assessment, pk=attempt_id)
    if not user.is_staff:
        attempts = attempts.filter(user=user)
    attempt = attempts.first()
    if attempt is None:
        raise NotFound("No attempt with this id.")
    if not user.is_staff and _is_overdue(attempt, timezone.now()):
        attempt_expire(attempt_id=attempt.pk)
        attempt.refresh_from_db()  # closed now, or by a concurrent request
    return attempt


def submission_list(*, user: User, assessment: Assessment) -> QuerySet[Submission]:
    """A learner's own submissions (their overdue attempts closed and graded first), or (staff)
    all of the assessment's as stored; oldest first."""
    if not user.is_staff:
        attempts_close_overdue(assessment=assessment, user=user)
    submissions = (
        Submission.objects.filter(assessment=assessment)
        .select_related("assessment")
        .order_by("submitted_at", "id")
    )
    return submissions if user.is_staff else submissions.filter(user=user)


# --- helpers -----------------------------------------------------------------------------------


def _grace() -> timedelta:
    return timedelta(seconds=settings.ATTEMPT_GRACE_SECONDS)


def _overdue(now: datetime) -> QuerySet[Attempt]:
    """Attempts still open past their deadline plus the grace period: to be closed and graded."""
    return Attempt.objects.filter(status=Attempt.Status.IN_PROGRESS, deadline_at__lt=now - _grace())


def _is_overdue(attempt: Attempt, now: datetime) -> bool:
    """`_overdue` for one attempt already in memory."""
    return (
        attempt.status == Attempt.Status.IN_PROGRESS
        and attempt.deadline_at is not None
        and now > attempt.deadline_at + _grace()
    )


def _lock_enrollment(
    *, user_id: str, course_id: str, skip_locked: bool = False
) -> Enrollment | None:
    """The learner's live enrolment in the course, locked until the transaction ends."""
    return (
        Enrollment.objects.live()
        .select_for_update(skip_locked=skip_locked)
        .filter(user_id=user_id, course_id=course_id)
        .first()
    )


def _lock_enrollment_or_refuse(*, user: User, assessment: Assessment) -> Enrollment:
    enrollment = _lock_enrollment(user_id=user.pk, course_id=assessment.course_id)
    if enrollment is None:
        raise NotEnrolled()
    return enrollment


def _in_progress(*, user: User, assessment: Assessment) -> Attempt | None:
    return Attempt.objects.filter(
        assessment=assessment, user=user, status=Attempt.Status.IN_PROGRESS
    ).first()


def _check_open(attempt: Attempt, *, submitting: bool = False) -> None:
    """Refuses an attempt that is no longer in progress: `409 ATTEMPT_CLOSED` (SPEC §6), except
    that submitting an attempt closed at its deadline is `403 TIME_LIMIT_EXCEEDED`, whoever
    closed it (the command, a read, an earlier request or this one): a late submission always
    says it was late."""
    if submitting and attempt.status == Attempt.Status.EXPIRED:
        raise TimeLimitExceeded()
    if attempt.status != Attempt.Status.IN_PROGRESS:
        raise AttemptClosed()


def _not_found_if_deleted(assessment: Assessment) -> None:
    """`404` when the assessment has been deleted since the request found it."""
    if not Assessment.objects.filter(pk=assessment.pk).exists():
        raise NotFound("No assessment with this id.")


def _next_attempt_number(*, user: User, assessment: Assessment) -> int:
    """The number a new attempt would get; `403 ATTEMPT_LIMIT_REACHED` when none is left.
    Every attempt counts, whatever its status. Call with the enrolment locked."""
    used = Attempt.objects.filter(assessment=assessment, user=user).aggregate(
        count=Count("id"), last=Max("attempt_number")
    )
    if assessment.max_attempts is not None and used["count"] >= assessment.max_attempts:
        raise AttemptLimitReached()
    return (used["last"] or 0) + 1


def _check_answers(
    questions: Sequence[Question], answers: Sequence[Answer | None]
) -> tuple[dict[str, tuple[str, ...]], Issues]:
    """Checks well-shaped answers against the questions. Returns the selections (question id ->
    selected option ids) and every problem found, each pointing at its item
    (`answers[2].question_id`). `None` items (badly shaped ones) are skipped."""
    by_id = {question.pk: question for question in questions}
    issues: Issues = []
    selections: dict[str, tuple[str, ...]] = {}
    for index, answer in enumerate(answers):
        if answer is None:
            continue
        path = f"answers[{index}]"
        question = by_id.get(answer["question_id"])
        if question is None:
            issues.append(
                {"field": f"{path}.question_id", "issue": "No such question in this assessment."}
            )
            continue
        if question.pk in selections:
            issues.append(
                {"field": f"{path}.question_id", "issue": "This question is answered twice."}
            )
            continue
        option_ids = {option.pk for option in question.options.all()}
        if question.type == Question.Type.MULTIPLE_CHOICE and "selected_option_ids" in answer:
            chosen = tuple(answer["selected_option_ids"])
            issues.extend(
                {
                    "field": f"{path}.selected_option_ids[{position}]",
                    "issue": "No such option in this question.",
                }
                for position, option_id in enumerate(chosen)
                if option_id not in option_ids
            )
        elif "selected_option_id" in answer:
            # On a multiple_choice question too (the seed's item shape): that option alone.
            selected = answer["selected_option_id"]
            chosen = () if selected is None else (selected,)
            if selected is not None and selected not in option_ids:
                issues.append(
                    {
                        "field": f"{path}.selected_option_id",
                        "issue": "No such option in this question.",
                    }
                )
        else:
            issues.append(
                {
                    "field": f"{path}.selected_option_ids",
                    "issue": f"A {question.type} question takes one selected_option_id.",
                }
            )
            continue
        selections[question.pk] = chosen
    return selections, issues


def _selections(
    questions: Sequence[Question], answers: Sequence[Answer]
) -> dict[str, tuple[str, ...]]:
    """The selections of answers that fit the questions, else `422` listing every problem."""
    selections, issues = _check_answers(questions, answers)
    if issues:
        raise ValidationFailed(details=issues)
    return selections


def answer_issues(*, assessment: Assessment, answers: Sequence[Answer | None]) -> Issues:
    """The problems of well-shaped answers against the assessment's questions, for reporting
    them together with a body's shape errors (`None` marks a badly shaped item)."""
    return _check_answers(selectors.questions_for_taking(assessment=assessment), answers)[1]


def _saved_selections(
    questions: Sequence[Question], saved: Mapping[str, Any]
) -> dict[str, tuple[str, ...]]:
    """Saved answers as selections, keeping only options the questions still have."""
    selections = {}
    for question in questions:
        option_ids = {option.pk for option in question.options.all()}
        chosen = saved.get(question.pk) or []
        selections[question.pk] = tuple(o for o in chosen if o in option_ids)
    return selections


def _progress_update(enrollment: Enrollment, submission: Submission) -> None:
    """The enrolment's progress after `submission`, which completes the course when it passes
    the last assessment left."""
    enrollment_progress_update(
        enrollment=enrollment, completed_by=submission.submitted_at if submission.passed else None
    )


def _submission_store(
    *,
    attempt: Attempt,
    assessment: Assessment,
    questions: Sequence[Question],
    selections: Mapping[str, Sequence[str]],
    submitted_at: datetime,
) -> Submission:
    """Grades and stores the result as a snapshot: the questions, options, answer key and pass
    mark as they are now, so later edits never change it."""
    grade, results = grade_snapshot(
        questions=questions, selections=selections, passing_score=assessment.passing_score
    )
    return Submission.objects.create(
        assessment=assessment,
        user_id=attempt.user_id,
        attempt=attempt,
        attempt_number=attempt.attempt_number,
        score=grade.score,
        passed=grade.passed,
        passing_score=assessment.passing_score,
        points_earned=grade.points_earned,
        points_possible=grade.points_possible,
        results=results,
        submitted_at=submitted_at,
    )


def grade_snapshot(
    *,
    questions: Sequence[Question],
    selections: Mapping[str, Sequence[str]],
    passing_score: int,
) -> tuple[scoring.Grade, list[dict[str, Any]]]:
    """Grades `selections` against the questions and builds the result snapshot a submission
    stores, per question in order (the staff preview shows the same without storing it)."""
    keys = [
        scoring.QuestionKey(
            id=question.pk,
            type=question.type,
            points=question.points,
            correct_option_ids=frozenset(o.pk for o in question.options.all() if o.is_correct),
        )
        for question in questions
    ]
    try:
        grade = scoring.grade(keys, selections, passing_score)
    except scoring.NothingToGrade:
        raise AssessmentNotReady() from None
    results = [
        {
            "question_id": question.pk,
            "type": question.type,
            "text": question.text,
            "options": [{"id": o.pk, "text": o.text} for o in question.options.all()],
            "selected_option_ids": list(result.selected_option_ids),
            "correct": result.correct,
            "points_awarded": result.points_awarded,
            "points_possible": result.points_possible,
            "correct_option_ids": [o.pk for o in question.options.all() if o.is_correct],
            "explanation": question.explanation,
        }
        for question, result in zip(questions, grade.results, strict=True)
    ]
    return grade, results


# --- closing overdue attempts ------------------------------------------------------------------


def attempt_expire(
    *, attempt_id: str, now: datetime | None = None, skip_locked: bool = False
) -> bool:
    """Closes an attempt that is still in progress past its deadline plus the grace period:
    status `expired`, graded from its saved answers, the result stored as its submission
    (`submitted_at` = the deadline) and the enrolment's progress updated. Commits on its own.

    Returns whether it closed the attempt (false when it was not overdue or already closed, or
    with `skip_locked` when another transaction holds the learner's rows)."""
    now = now or timezone.now()
    with transaction.atomic(durable=True):
        head = Attempt.objects.filter(pk=attempt_id).values("user_id", "assessment_id").first()
        if head is None:
            return False
        assessment = Assessment.objects.get(pk=head["assessment_id"])
        enrollment = _lock_enrollment(
            user_id=head["user_id"], course_id=assessment.course_id, skip_locked=skip_locked
        )
        if enrollment is None and skip_locked:
            busy = (
                Enrollment.objects.live()
                .filter(user_id=head["user_id"], course_id=assessment.course_id)
                .exists()
            )
            if busy:
                return False
        attempt = (
            _overdue(now).select_for_update(skip_locked=skip_locked).filter(pk=attempt_id).first()
        )
        if attempt is None:
            return False
        attempt.status = Attempt.Status.EXPIRED
        attempt.closed_at = now
        attempt.save(update_fields=["status", "closed_at"])
        questions = selectors.questions_for_taking(assessment=assessment)
        if not questions:
            return True  # nothing left to grade: the attempt closes without a result
        submission = _submission_store(
            attempt=attempt,
            assessment=assessment,
            questions=questions,
            selections=_saved_selections(questions, attempt.saved_answers),
            submitted_at=attempt.deadline_at or now,  # an overdue attempt has a deadline
        )
        if enrollment is not None:
            _progress_update(enrollment, submission)
    return True


def attempts_close_overdue(
    *, assessment: Assessment, user: User | None = None, now: datetime | None = None
) -> list[str]:
    """Closes the overdue attempts of an assessment (of one learner when `user` is given), each
    in its own committed transaction. Returns the ids it closed."""
    now = now or timezone.now()
    overdue = _overdue(now).filter(assessment=assessment)
    if user is not None:
        overdue = overdue.filter(user=user)
    return _expire_each(overdue, now)


def _expire_each(overdue: QuerySet[Attempt], now: datetime) -> list[str]:
    """Closes each of `overdue` in its own committed transaction; returns the ids it closed."""
    return [
        attempt_id
        for attempt_id in overdue.values_list("id", flat=True)
        if attempt_expire(attempt_id=attempt_id, now=now)
    ]


def learner_overdue_close(*, user: User, assessment_id: str | None = None) -> list[str]:
    """What a learner's read of assessments does first (SPEC §6: touching an assessment closes
    its overdue attempts): closes the learner's overdue attempts, of one assessment or of all.
    One indexed query when there is nothing to close; nothing at all for staff, whose reads
    never write. Returns the ids it closed."""
    if user.is_staff:
        return []
    now = timezone.now()
    overdue = _overdue(now).filter(user=user)
    if assessment_id is not None:
        overdue = overdue.filter(assessment_id=assessment_id)
    return _expire_each(overdue, now)


def attempts_close_all_overdue(*, now: datetime | None = None) -> int:
    """Closes every overdue attempt; rows another transaction holds are left for the next run,
    so several runs at once never wait on each other or close an attempt twice."""
    now = now or timezone.now()
    overdue = _overdue(now).order_by("deadline_at", "id").values_list("id", flat=True)
    return sum(
        attempt_expire(attempt_id=attempt_id, now=now, skip_locked=True)
        for attempt_id in list(overdue)
    )


# --- attempts ----------------------------------------------------------------------------------


def attempt_start(*, user: User, assessment: Assessment) -> tuple[Attempt, bool]:
    """Starts an attempt, or returns the learner's attempt in progress unchanged (no new timer).
    Returns `(attempt, created)`. Checks, in order: the enrolment (`403 NOT_ENROLLED`), the
    attempt limit (`403 ATTEMPT_LIMIT_REACHED`), questions present (`422 ASSESSMENT_NOT_READY`).
    `assessment` comes from `assessment_for_taking`; one deleted while this runs is a `404`
    (the new attempt's foreign keys are checked before it returns, as in `submission_create`)."""
    now = timezone.now()
    attempts_close_overdue(assessment=assessment, user=user, now=now)
    try:
        return _attempt_start(user=user, assessment=assessment, now=now)
    except IntegrityError:
        # The assessment was deleted after the attempt referred to it.
        _not_found_if_deleted(assessment)
        raise


def _attempt_start(*, user: User, assessment: Assessment, now: datetime) -> tuple[Attempt, bool]:
    with transaction.atomic():
        _lock_enrollment_or_refuse(user=user, assessment=assessment)
        current = _in_progress(user=user, assessment=assessment)
        if current is not None:
            return current, False
        # Read under the enrolment lock: a time limit given to an untimed assessment meanwhile
        # is seen here (`authoring.assessment_update` takes the course's enrolment locks to
        # time the attempts in progress).
        state = (
            Assessment.objects.filter(pk=assessment.pk)
            .annotate(has_questions=Exists(Question.objects.filter(assessment=OuterRef("pk"))))
            .values("time_limit_minutes", "has_questions")
            .first()
        )
        if state is None:
            raise NotFound("No assessment with this id.")
        number = _next_attempt_number(user=user, assessment=assessment)
        if not state["has_questions"]:
            raise AssessmentNotReady()
        limit = state["time_limit_minutes"]
        deadline = now + timedelta(minutes=limit) if limit is not None else None
        attempt = Attempt.objects.create(
            assessment=assessment,
            user=user,
            attempt_number=number,
            status=Attempt.Status.IN_PROGRESS,
            started_at=now,
            deadline_at=deadline,
        )
        check_references_now()
    return attempt, True


def attempt_answers_save(
    *,
    user: User,
    assessment: Assessment,
    attempt_id: str,
    answers: Sequence[Answer],
    replace: bool = True,
) -> Attempt:
    """Saves answers to the learner's attempt in progress, validated like a submission's:
    `replace` (`PUT`) makes them the saved set (a partial set is fine), else (`PATCH`) they
    replace the saved answers of the questions they name and the others are kept. Answers are
    saved until the deadline, not in the grace period, which is for submitting: after
    `deadline_at` it is `403 TIME_LIMIT_EXCEEDED` and nothing changes (after the deadline plus
    grace the attempt is also closed and graded). An attempt closed before this request,
    submitted or expired, is `409 ATTEMPT_CLOSED`."""
    now = timezone.now()
    if attempt_id in attempts_close_overdue(assessment=assessment, user=user, now=now):
        raise TimeLimitExceeded()
    with transaction.atomic():
        _lock_enrollment_or_refuse(user=user, assessment=assessment)
        attempt = Attempt.objects.filter(pk=attempt_id, user=user, assessment=assessment).first()
        if attempt is None:
            raise NotFound("No attempt with this id.")
        _check_open(attempt)
        if attempt.deadline_at is not None and now > attempt.deadline_at:
            raise DeadlinePassed()
        selections = _selections(selectors.questions_for_taking(assessment=assessment), answers)
        saved = {} if replace else dict(attempt.saved_answers or {})
        saved.update({qid: list(chosen) for qid, chosen in selections.items()})
        attempt.saved_answers = saved
        attempt.saved_at = now
        attempt.save(update_fields=["saved_answers", "saved_at"])
    return attempt


# --- submissions -------------------------------------------------------------------------------


def submission_create(
    *,
    user: User,
    assessment: Assessment,
    answers: Sequence[Answer],
    attempt_id: str | None = None,
) -> Submission:
    """Grades and stores a submission (SPEC §7), after closing the learner's overdue attempts
    of the assessment (each in a durable transaction: call it outside any transaction). See
    `submission_grade` for the rest; `submission_submit` is the entry point with idempotency."""
    closed = attempts_close_overdue(assessment=assessment, user=user)
    return submission_grade(
        user=user, assessment=assessment, answers=answers, attempt_id=attempt_id, closed=closed
    )


def submission_grade(
    *,
    user: User,
    assessment: Assessment,
    answers: Sequence[Answer],
    attempt_id: str | None,
    closed: Sequence[str],
) -> Submission:
    """Grades and stores a submission (SPEC §7), the learner's overdue attempts already closed
    by the caller (`closed`: the ids it just closed). `answers` are well-shaped items; anything
    that does not fit the assessment is a `422` naming the item, and changes nothing.

    Which attempt it closes: `attempt_id` (the learner's own, else `404`; already submitted:
    `409 ATTEMPT_CLOSED`; closed at its deadline: `403 TIME_LIMIT_EXCEEDED`), else the attempt
    in progress, else (untimed only) a new attempt created and closed at once; a timed
    assessment without one is `409 ATTEMPT_REQUIRED`. A new attempt is subject to the attempt
    limit. When the attempt it would close was just closed at its deadline, it is
    `403 TIME_LIMIT_EXCEEDED`. The graded answers are those the attempt saved, overlaid by
    `answers` (an answer in the request replaces the saved answer to its question).
    `assessment` comes from `assessment_for_taking`; one deleted while this runs is a `404`.
    On PostgreSQL the foreign keys of what it wrote are checked before it returns (two more
    statements), so that happens inside it even when a caller's transaction commits."""
    if closed and (attempt_id is None or attempt_id in closed):
        raise TimeLimitExceeded()
    try:
        return _submission_create(
            user=user,
            assessment=assessment,
            answers=answers,
            attempt_id=attempt_id,
            now=timezone.now(),
        )
    except IntegrityError:
        # The assessment was deleted after the attempt or submission referred to it.
        _not_found_if_deleted(assessment)
        raise


def _submission_create(
    *,
    user: User,
    assessment: Assessment,
    answers: Sequence[Answer],
    attempt_id: str | None,
    now: datetime,
) -> Submission:
    with transaction.atomic():
        enrollment = _lock_enrollment_or_refuse(user=user, assessment=assessment)
        if attempt_id is not None:
            attempt = Attempt.objects.filter(
                pk=attempt_id, user=user, assessment=assessment
            ).first()
            if attempt is None:
                raise NotFound("No attempt with this id.")
            _check_open(attempt, submitting=True)
        else:
            attempt = _in_progress(user=user, assessment=assessment)
            if attempt is None:
                # One call on an untimed assessment: a new attempt, closed at once.
                attempt = Attempt(
                    assessment=assessment,
                    user=user,
                    attempt_number=_next_attempt_number(user=user, assessment=assessment),
                    started_at=now,
                )
                if assessment.is_timed:
                    raise AttemptRequired()
        questions = selectors.questions_for_taking(assessment=assessment)
        if not questions:
            _not_found_if_deleted(assessment)  # its questions went with it
            raise AssessmentNotReady()
        # What the attempt saved, overlaid by the answers sent now (SPEC §7).
        selections = {
            **_saved_selections(questions, attempt.saved_answers or {}),
            **_selections(questions, answers),
        }
        attempt.status = Attempt.Status.SUBMITTED
        attempt.closed_at = now
        if attempt._state.adding:
            attempt.save(force_insert=True)
        else:
            attempt.save(update_fields=["status", "closed_at"])
        submission = _submission_store(
            attempt=attempt,
            assessment=assessment,
            questions=questions,
            selections=selections,
            submitted_at=now,
        )
        _progress_update(enrollment, submission)
        check_references_now()
    return submission


# --- submitting, once per idempotency key ------------------------------------------------------


@dataclass(frozen=True)
class SubmissionInput:
    """A submission request's parsed body: the answers and the attempt they close, if named."""

    answers: Sequence[Answer]
    attempt_id: str | None = None


def submission_submit(
    *,
    user: User,
    assessment_id: str,
    payload: Any,
    parse: Callable[[Assessment], SubmissionInput],
    render: Callable[[Submission], idempotency.StoredResponse],
    idempotency_key: str | None = None,
    scope: str,
) -> idempotency.StoredResponse:
    """Submits a learner's answers once: the one entry point of the API and the pages, each
    with its own `parse` (reading `payload`, the body as sent) and `render` (the response to
    send for the new submission, which is stored for retries).

    In order: a retry of a finished request with the same `idempotency_key` and `payload` is
    answered with the response first sent, before any other check (it creates nothing, and the
    learner keeps their result even after losing access); then access
    (`permissions.assessment_for_taking`); then `parse(assessment)` (a `422` naming every
    problem, a malformed key among them); then the learner's overdue attempts are closed and
    graded (committed whatever follows); then `submission_grade` runs and its response is
    rendered and stored in one transaction (`idempotency.run_once`:
    `409 IDEMPOTENCY_KEY_IN_USE` while a first request with the key runs,
    `422 IDEMPOTENCY_KEY_REUSED` for another payload). `scope` names the operation for the key
    (the API uses its method and path)."""
    stored = idempotency.stored_response(
        user=user, key=idempotency_key, scope=scope, payload=payload
    )
    if stored is not None:
        return stored
    assessment = assessment_for_taking(user=user, assessment_id=assessment_id)
    key_issues = idempotency.key_issues(idempotency_key)
    try:
        body = parse(assessment)
    except ValidationFailed as error:
        raise ValidationFailed(details=[*error.details, *key_issues]) from None
    if key_issues:
        raise ValidationFailed(details=key_issues)
    closed = attempts_close_overdue(assessment=assessment, user=user)
    return idempotency.run_once(
        user=user,
        key=idempotency_key,
        scope=scope,
        payload=payload,
        run=lambda: submission_grade(
            user=user,
            assessment=assessment,
            answers=body.answers,
            attempt_id=body.attempt_id,
            closed=closed,
        ),
        render=render,
    )
