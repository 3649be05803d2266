"""Progress and course completion (SPEC §8), computed for an enrolment from its course's published
assessments and the learner's passing submissions.

This module reads those through reverse relations (`Course.assessments`, an assessment's
`submissions`) and imports nothing from the `assessments` app, which sits above this one. Every
operation that can change the answer calls it, in its own transaction, with the enrolment locked:
creating and re-activating an enrolment (`enrollments.services`), submitting and closing an
attempt (`assessments.taking`), and changing the set of published assessments
(`assessments.authoring`).
"""

from datetime import datetime
from decimal import Decimal

from django.db.models import Count, Max, Q

from courses.models import Course
from enrollments.models import Enrollment

# `Assessment.Status.PUBLISHED`, by value: the assessments app sits above this one.
PUBLISHED = "published"


def _percent(part: int, whole: int) -> Decimal:
    """`part / whole * 100`, rounded half-up to 2 decimals, computed exactly in integers."""
    hundredths, remainder = divmod(part * 10_000, whole)
    return Decimal(hundredths + (2 * remainder >= whole)).scaleb(-2)


def enrollment_progress_update(
    *, enrollment: Enrollment, completed_by: datetime | None = None
) -> Enrollment:
    """Recomputes a live enrolment from the learner's passing submissions.

    `progress_percent` is the share of the course's published assessments the learner holds a
    passing submission for. When all are passed, an active enrolment becomes `completed`, with
    `completed_at` = `completed_by`, the moment of the event that completed the set (the
    `submitted_at` of the passing submission just graded; the moment an enrolment that finds the
    set already passed is created or re-activated), else (the set of published assessments
    changed) the latest pass among them; never before `enrolled_at`. Completion is final and a
    completed enrolment's progress never goes down.

    Two queries at most: the passes, and the update when something changed. Call it in the
    transaction that changed the submissions, assessments or enrolment, with the enrolment
    locked."""
    published = Q(assessments__status=PUBLISHED)
    passes = published & Q(
        assessments__submissions__user_id=enrollment.user_id,
        assessments__submissions__passed=True,
    )
    counts = Course.objects.filter(pk=enrollment.course_id).aggregate(
        total=Count("assessments", filter=published, distinct=True),
        passed=Count("assessments", filter=passes, distinct=True),
        last_pass=Max("assessments__submissions__submitted_at", filter=passes),
    )
    total, passed = counts["total"], counts["passed"]
    if not total:
        return enrollment
    progress = _percent(passed, total)
    changed = []
    if enrollment.status == Enrollment.Status.COMPLETED:
        progress = max(progress, enrollment.progress_percent)
    if progress != enrollment.progress_percent:
        enrollment.progress_percent = progress
        changed.append("progress_percent")
    if enrollment.status == Enrollment.Status.ACTIVE and passed == total:
        completed_at = completed_by or counts["last_pass"]
        enrollment.status = Enrollment.Status.COMPLETED
        enrollment.completed_at = max(completed_at, enrollment.enrolled_at)
        changed += ["status", "completed_at"]
    if changed:
        enrollment.save(update_fields=changed)
    return enrollment


def course_enrollments_lock(*, course_id: str) -> list[Enrollment]:
    """The course's live enrolments, locked in id order until the transaction ends (the order
    every writer takes them in, so none deadlock)."""
    return list(
        Enrollment.objects.live().select_for_update().filter(course_id=course_id).order_by("pk")
    )


def course_progress_refresh(*, course_id: str) -> None:
    """Recomputes every live enrolment of the course after its set of published assessments
    changed (an assessment created, deleted, published or unpublished): progress may go down
    for an active enrolment, and one whose remaining assessments are all passed becomes
    `completed`. Completed enrolments stay completed, their progress never lowered.

    Locks the course's live enrolments (in id order) until the transaction ends, so it
    serialises with submissions, which lock the learner's enrolment first. Queries: one for
    the locks, then at most two per live enrolment."""
    for enrollment in course_enrollments_lock(course_id=course_id):
        enrollment_progress_update(enrollment=enrollment)
