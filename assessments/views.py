"""Learner pages of assessments: a course's assessments with their state, an assessment with
its history, the quiz, the check before submitting, the result, the attempt history, the
autosave endpoint the quiz's script calls, and the staff preview.

Each view fetches and checks through `assessments.permissions` (what the learner may not see is
a 404, what they see but may not do a 403), then calls one service or selector. Submitting is
`taking.submission_submit`, the API's entry point, with the form's own parse and render and an
idempotency key generated for each rendered form.
"""

import json
import secrets
import time
from collections.abc import Sequence
from datetime import datetime
from typing import Any

from django.conf import settings
from django.contrib import messages
from django.core.cache import cache
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_http_methods, require_POST, require_safe

from accounts.models import User
from accounts.pages import page, signed_in_user
from assessments import idempotency, selectors, taking
from assessments.api.taking_serializers import AnswersSaveSerializer
from assessments.api.taking_views import parse_answers
from assessments.errors import (
    AssessmentNotReady,
    AttemptClosed,
    AttemptLimitReached,
    DeadlinePassed,
    IdempotencyKeyInUse,
    IdempotencyKeyReused,
    LearnersOnly,
    TimeLimitExceeded,
)
from assessments.forms import (
    ShownQuestion,
    answered,
    answers_from_form,
    error_list,
    selections_from_answers,
    shown_questions,
)
from assessments.models import Assessment, Attempt, Question, Submission
from assessments.permissions import (
    assessment_for_staff,
    assessment_for_taking,
    assessment_for_user,
    review_allowed,
)
from common.errors import ApplicationError, ValidationFailed
from courses.selectors import course_get
from enrollments.models import Enrollment

# --- reading -----------------------------------------------------------------------------------


@page
@require_safe
def course(request: HttpRequest, user: User, course_id: str) -> HttpResponse:
    """A course and its assessments: for a learner with their state (not started, in progress
    with time left, passed, failed, attempts left); for its instructor or an admin, every
    assessment, drafts included, to preview."""
    shown = course_get(user=user, course_id=course_id)
    context: dict[str, Any] = {"course": shown, "now": timezone.now()}
    if user.is_staff:
        context["assessments"] = list(
            selectors.assessment_list(user=user).filter(course_id=shown.pk)
        )
        return render(request, "assessments/course_staff.html", context)
    taking.learner_overdue_close(user=user)
    context["enrollment"] = Enrollment.objects.live().filter(user=user, course_id=shown.pk).first()
    context["states"] = (
        selectors.learner_assessment_states(user=user, course_id=shown.pk)
        if context["enrollment"]
        else []
    )
    return render(request, "assessments/course.html", context)


@page
@require_safe
def assessment(request: HttpRequest, user: User, assessment_id: str) -> HttpResponse:
    """Pass mark, time limit, attempts used and left, the learner's results, Start or Resume."""
    found = assessment_for_user(
        user=user,
        assessment_id=assessment_id,
        queryset=selectors.with_counts(Assessment.objects.select_related("course"), user),
    )
    if user.is_staff:
        return render(request, "assessments/assessment_staff.html", {"assessment": found})
    submissions = list(taking.submission_list(user=user, assessment=found))
    in_progress = (
        Attempt.objects.filter(user=user, assessment=found, status=Attempt.Status.IN_PROGRESS)
        .only("id", "deadline_at", "attempt_number")
        .first()
    )
    used = Attempt.objects.filter(user=user, assessment=found).count()
    left = found.attempts_left(used)
    return render(
        request,
        "assessments/assessment.html",
        {
            "assessment": found,
            "submissions": submissions,
            "in_progress": in_progress,
            "attempts_used": used,
            "attempts_left": left,
            "now": timezone.now(),
        },
    )


@page
@require_safe
def history(request: HttpRequest, user: User, assessment_id: str) -> HttpResponse:
    """The learner's attempts at an assessment, each with its result."""
    found = assessment_for_user(user=user, assessment_id=assessment_id)
    if user.is_staff:
        raise LearnersOnly("Staff see learners' attempts in the admin.")
    attempts = list(taking.attempt_list(user=user, assessment=found).order_by("-started_at", "-id"))
    results = {
        submission.attempt_id: submission
        for submission in Submission.objects.filter(user=user, assessment=found).only(
            "id", "attempt_id", "score", "passed", "submitted_at"
        )
    }
    rows = [(attempt, results.get(attempt.pk)) for attempt in attempts]
    return render(request, "assessments/history.html", {"assessment": found, "rows": rows})


def _result_items(results: Sequence[dict[str, Any]], *, reveal: bool) -> list[dict[str, Any]]:
    """A result snapshot as the result page shows it: correct options and explanations only
    when `reveal` (the review setting, through `permissions.review_allowed`)."""
    items = []
    for number, result in enumerate(results, start=1):
        selected = set(result["selected_option_ids"])
        correct_ids = set(result["correct_option_ids"]) if reveal else set()
        items.append(
            {
                "number": number,
                "text": result["text"],
                "correct": result["correct"],
                "points_awarded": result["points_awarded"],
                "points_possible": result["points_possible"],
                "unanswered": not selected,
                "options": [
                    {
                        "text": option["text"],
                        "selected": option["id"] in selected,
                        "correct": option["id"] in correct_ids,
                    }
                    for option in result["options"]
                ],
                "explanation": result["explanation"] if reveal else "",
            }
        )
    return items


@page
@require_safe
def result(
    request: HttpRequest, user: User, assessment_id: str, submission_id: str
) -> HttpResponse:
    """Score, passed, each question's correctness; the answer key as the review setting allows."""
    found = assessment_for_user(user=user, assessment_id=assessment_id)
    submission = selectors.submission_get(user=user, assessment=found, submission_id=submission_id)
    reveal = review_allowed(submission=submission, user=user)
    return render(
        request,
        "assessments/result.html",
        {
            "assessment": found,
            "submission": submission,
            "items": _result_items(submission.results, reveal=reveal),
            "reveal": reveal,
        },
    )


# --- taking ------------------------------------------------------------------------------------


@page
@require_POST
def start(request: HttpRequest, user: User, assessment_id: str) -> HttpResponse:
    """Starts an attempt, or resumes the one in progress (`taking.attempt_start`)."""
    found = assessment_for_taking(user=user, assessment_id=assessment_id)
    try:
        attempt, _created = taking.attempt_start(user=user, assessment=found)
    except (AttemptLimitReached, AssessmentNotReady) as error:
        messages.error(request, error.message)
        return redirect("assessment", assessment_id=found.pk)
    return redirect("quiz", assessment_id=found.pk, attempt_id=attempt.pk)


def _result_url(submission: Submission) -> str:
    return reverse("result", args=[submission.assessment_id, submission.pk])


def _epoch_ms(moment: datetime) -> int:
    return int(moment.timestamp() * 1000)


def _quiz_context(
    *,
    user: User,
    found: Assessment,
    attempt: Attempt,
    questions: list[ShownQuestion],
    errors: Sequence[dict[str, Any]] = (),
) -> dict[str, Any]:
    now = timezone.now()
    seconds_left = (
        max(int((attempt.deadline_at - now).total_seconds()), 0)
        if attempt.deadline_at is not None
        else None
    )
    return {
        "assessment": found,
        "attempt": attempt,
        "questions": questions,
        "errors": errors,
        "idempotency_key": secrets.token_urlsafe(24),
        "now": now,
        "server_now_ms": _epoch_ms(now),
        "deadline_ms": _epoch_ms(attempt.deadline_at) if attempt.deadline_at else "",
        "seconds_left": seconds_left,
        "minutes_left": None if seconds_left is None else (seconds_left + 59) // 60,
        "user_key": user.pk,
    }


def _closed_attempt_redirect(request: HttpRequest, attempt: Attempt, why: str) -> HttpResponse:
    """Where a learner goes when their attempt is already closed: its result, with `why`."""
    submission = (
        Submission.objects.filter(attempt_id=attempt.pk).only("id", "assessment_id").first()
    )
    messages.info(request, why)
    if submission is None:
        return redirect("assessment", assessment_id=attempt.assessment_id)
    return redirect(_result_url(submission))


LATE = (
    "The time limit ended at {deadline} UTC, before your answers arrived. What you had saved by "
    "then was counted; changes sent after the deadline were not."
)


@page
@require_http_methods(["GET", "POST"])
def quiz(request: HttpRequest, user: User, assessment_id: str, attempt_id: str) -> HttpResponse:
    """The quiz: every question, the answers saved so far, Save and Submit (both plain posts);
    with unanswered questions Submit first shows a check page."""
    found = assessment_for_user(user=user, assessment_id=assessment_id)
    if user.is_staff:
        raise LearnersOnly()
    attempt = taking.attempt_get(user=user, assessment=found, attempt_id=attempt_id)
    questions = selectors.questions_for_taking(assessment=found)
    action = request.POST.get("action", "submit")
    if (
        request.method == "POST"
        and action != "save"
        and attempt.status != Attempt.Status.IN_PROGRESS
    ):
        # A double click, a refresh or the back button: the submission's idempotency key
        # answers it (the first result again, or why this attempt is closed).
        answers = answers_from_form(request.POST, questions)
        return _submit(request, user, found, attempt, questions, answers)
    if attempt.status != Attempt.Status.IN_PROGRESS:
        why = (
            LATE.format(deadline=f"{attempt.deadline_at:%H:%M}")
            if attempt.status == Attempt.Status.EXPIRED and attempt.deadline_at
            else "This attempt is already submitted: here is its result."
        )
        return _closed_attempt_redirect(request, attempt, why)
    if request.method == "GET":
        shown = shown_questions(questions, attempt.saved_answers or {})
        context = _quiz_context(user=user, found=found, attempt=attempt, questions=shown)
        return render(request, "assessments/quiz.html", context)
    answers = answers_from_form(request.POST, questions)
    if action == "save":
        return _save(request, user, found, attempt, questions, answers)
    unanswered = [q for q, a in zip(questions, answers, strict=True) if not answered(a)]
    if action == "submit" and unanswered:
        return _check(request, user, found, attempt, questions, answers, unanswered)
    return _submit(request, user, found, attempt, questions, answers)


def _quiz_again(
    request: HttpRequest,
    user: User,
    found: Assessment,
    attempt: Attempt,
    questions: list[Question],
    answers: list[taking.Answer],
    error: ApplicationError,
) -> HttpResponse:
    """The quiz again as posted, with the error summary."""
    issues = error.details if isinstance(error, ValidationFailed) else []
    shown = shown_questions(questions, selections_from_answers(answers), issues)
    general = [] if issues else [error.message]
    context = _quiz_context(
        user=user, found=found, attempt=attempt, questions=shown, errors=error_list(shown, general)
    )
    return render(request, "assessments/quiz.html", context, status=error.status)


def _save(
    request: HttpRequest,
    user: User,
    found: Assessment,
    attempt: Attempt,
    questions: list[Question],
    answers: list[taking.Answer],
) -> HttpResponse:
    try:
        saved = taking.attempt_answers_save(
            user=user, assessment=found, attempt_id=attempt.pk, answers=answers, replace=False
        )
    except ValidationFailed as error:
        return _quiz_again(request, user, found, attempt, questions, answers, error)
    except DeadlinePassed as error:
        return _quiz_again(request, user, found, attempt, questions, answers, error)
    except (TimeLimitExceeded, AttemptClosed):
        attempt.refresh_from_db()
        return _closed_attempt_redirect(
            request, attempt, LATE.format(deadline=f"{attempt.deadline_at:%H:%M}")
        )
    assert saved.saved_at is not None  # noqa: S101 - just saved
    messages.success(request, f"Your answers were saved at {saved.saved_at:%H:%M} UTC.")
    return redirect("quiz", assessment_id=found.pk, attempt_id=attempt.pk)


def _check(
    request: HttpRequest,
    user: User,
    found: Assessment,
    attempt: Attempt,
    questions: list[Question],
    answers: list[taking.Answer],
    unanswered: list[Question],
) -> HttpResponse:
    """ "N questions have no answer: go back or submit anyway". The answers are saved first
    (where the deadline allows), so going back shows them; submitting anyway posts the same
    answers with the same idempotency key."""
    try:
        taking.attempt_answers_save(
            user=user, assessment=found, attempt_id=attempt.pk, answers=answers, replace=False
        )
    except ValidationFailed as error:
        return _quiz_again(request, user, found, attempt, questions, answers, error)
    except (TimeLimitExceeded, AttemptClosed):
        attempt.refresh_from_db()
        return _closed_attempt_redirect(
            request, attempt, LATE.format(deadline=f"{attempt.deadline_at:%H:%M}")
        )
    except DeadlinePassed:
        pass  # in the grace period: submitting is still possible, saving is not
    numbers = {q.pk: i for i, q in enumerate(questions, start=1)}
    hidden = [
        (f"q-{answer['question_id']}", option_id)
        for answer in answers
        for option_id in selections_from_answers([answer])[answer["question_id"]]
    ]
    return render(
        request,
        "assessments/check.html",
        {
            "assessment": found,
            "attempt": attempt,
            "unanswered": [(numbers[q.pk], q) for q in unanswered],
            "hidden": hidden,
            "idempotency_key": request.POST.get("idempotency_key", ""),
        },
    )


def _submit(
    request: HttpRequest,
    user: User,
    found: Assessment,
    attempt: Attempt,
    questions: list[Question],
    answers: list[taking.Answer],
) -> HttpResponse:
    """`taking.submission_submit` with the form's answers and key: a double click, a refresh or
    the back button replays the first submission's redirect instead of submitting again."""
    key = request.POST.get("idempotency_key") or None
    payload = {"attempt_id": attempt.pk, "answers": answers}
    try:
        sent = taking.submission_submit(
            user=user,
            assessment_id=found.pk,
            payload=payload,
            parse=lambda _assessment: taking.SubmissionInput(
                answers=answers, attempt_id=attempt.pk
            ),
            render=lambda submission: idempotency.StoredResponse(
                303, "", location=_result_url(submission)
            ),
            idempotency_key=key,
            scope=f"POST {request.path}",
        )
    except ValidationFailed as error:
        return _quiz_again(request, user, found, attempt, questions, answers, error)
    except TimeLimitExceeded:
        attempt.refresh_from_db()
        return _closed_attempt_redirect(
            request, attempt, LATE.format(deadline=f"{attempt.deadline_at:%H:%M}")
        )
    except (AttemptClosed, IdempotencyKeyReused):
        return _closed_attempt_redirect(
            request, attempt, "This attempt is already submitted: here is its result."
        )
    except IdempotencyKeyInUse:
        messages.info(request, "Your answers are being submitted.")
        return redirect("quiz", assessment_id=found.pk, attempt_id=attempt.pk)
    response = redirect(sent.location)
    response.status_code = 303
    return response


# --- autosave ----------------------------------------------------------------------------------


def _autosave_allowed(user: User) -> tuple[bool, int]:
    """A fixed window per user (not per IP: learners behind one school's address would share
    it) in the shared cache. Returns (allowed, seconds until the window resets)."""
    limit, period = settings.PAGE_AUTOSAVE_RATE
    window = int(time.time() // period)
    key = f"page-autosave:{user.pk}:{window}"
    cache.add(key, 0, timeout=period + 5)
    try:
        count = cache.incr(key)
    except ValueError:  # evicted between add and incr
        cache.set(key, 1, timeout=period + 5)
        count = 1
    return count <= limit, int((window + 1) * period - time.time()) + 1


def _json_error(error: ApplicationError) -> JsonResponse:
    return JsonResponse(
        {"error": {"code": error.code, "message": error.message, "details": error.details}},
        status=error.status,
    )


@require_POST
def autosave(request: HttpRequest, assessment_id: str, attempt_id: str) -> JsonResponse:
    """`POST {"answers": [...]}` (the API's answer items), from the quiz's script with the
    session and a CSRF token: saves the answers it names and keeps the others
    (`taking.attempt_answers_save(replace=False)`, the API's PATCH). JSON in and out."""
    if not request.user.is_authenticated:
        return JsonResponse(
            {"error": {"code": "UNAUTHORIZED", "message": "Sign in again.", "details": []}},
            status=401,
        )
    user = signed_in_user(request)
    allowed, retry_after = _autosave_allowed(user)
    if not allowed:
        response = _json_error(
            ApplicationError("Too many saves; retrying shortly.", code="RATE_LIMITED", status=429)
        )
        response["Retry-After"] = str(retry_after)
        return response
    try:
        data = json.loads(request.body)
    except (ValueError, UnicodeDecodeError):
        return _json_error(ApplicationError("Not JSON.", code="BAD_REQUEST", status=400))
    try:
        found = assessment_for_taking(user=user, assessment_id=assessment_id)
        body = parse_answers(AnswersSaveSerializer, data, found)
        saved = taking.attempt_answers_save(
            user=user,
            assessment=found,
            attempt_id=attempt_id,
            answers=body["answers"],
            replace=False,
        )
    except ApplicationError as error:
        return _json_error(error)
    assert saved.saved_at is not None  # noqa: S101 - just saved
    return JsonResponse({"saved_at": saved.saved_at.isoformat()})


# --- staff preview -----------------------------------------------------------------------------


@page
@require_http_methods(["GET", "POST"])
def preview(request: HttpRequest, user: User, assessment_id: str) -> HttpResponse:
    """Staff who manage an assessment take it as a learner sees it (drafts and unpublished
    courses included) and see the score and the review. Nothing is recorded."""
    found = assessment_for_staff(user=user, assessment_id=assessment_id)
    questions = list(selectors.question_list(assessment=found))
    if request.method == "POST":
        answers = answers_from_form(request.POST, questions)
        issues = taking.answer_issues(assessment=found, answers=answers)
        if not issues and questions:
            grade, results = taking.grade_snapshot(
                questions=questions,
                selections=selections_from_answers(answers),
                passing_score=found.passing_score,
            )
            return render(
                request,
                "assessments/preview_result.html",
                {"assessment": found, "grade": grade, "items": _result_items(results, reveal=True)},
            )
        shown = shown_questions(questions, selections_from_answers(answers), issues)
        errors = error_list(shown, [] if issues else ["This assessment has no questions yet."])
        status = 422
    else:
        shown, errors, status = shown_questions(questions, {}), [], 200
    return render(
        request,
        "assessments/preview.html",
        {"assessment": found, "questions": shown, "errors": errors},
        status=status,
    )
