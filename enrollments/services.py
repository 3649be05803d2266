"""Writes for enrolments. The API, the admin and `seed_demo` all call these.

One active or completed enrolment per learner and course is a database constraint
(`enrollments_one_live_per_user_course`); the services check it first for a clear answer, and
turn the constraint's refusal into `AlreadyEnrolled` when two requests race past the check.
"""

from typing import Any

from django.db import IntegrityError, transaction
from django.db.models import QuerySet
from django.utils import timezone

from accounts.models import Role, User
from accounts.services import user_lock
from common.errors import Forbidden, NotFound, ValidationFailed
from courses.models import Course
from enrollments.errors import AlreadyEnrolled, EnrollmentInUse
from enrollments.models import Enrollment
from enrollments.progress import enrollment_progress_update
from enrollments.selectors import enrollment_has_submissions

# The statuses a person may set; `completed` is set by the system (course completion) only.
SETTABLE_STATUSES = (Enrollment.Status.ACTIVE, Enrollment.Status.DROPPED)


def _live_enrollments(*, user_id: str, course_id: str) -> QuerySet[Enrollment]:
    return Enrollment.objects.live().filter(user_id=user_id, course_id=course_id)


def enrollment_learner_resolve(*, actor: User, user_id: str | None) -> User:
    """The user to enrol, from the `user_id` of a request (`None`: not sent). Learners enrol
    themselves, so it defaults to them, and naming anyone else is `Forbidden`; staff must name
    the learner."""
    if actor.is_learner:
        if user_id is not None and user_id != actor.pk:
            raise Forbidden("Learners may only enrol themselves.")
        return actor
    if user_id is None:
        raise ValidationFailed.for_field("user_id", "Required: the id of the learner to enrol.")
    user = User.objects.filter(pk=user_id).first()
    if user is None:
        raise ValidationFailed.for_field("user_id", "No user with this id.")
    return user


def enrollment_create_check(*, actor: User, course: Course, user: User) -> None:
    """Raises unless `actor` may enrol `user` in `course` now: admins enrol anyone, instructors
    enrol learners in the courses they teach, learners enrol themselves in published courses.
    Only active learners are enrolled, and only once at a time."""
    if actor.is_instructor and course.instructor_id != actor.pk:
        raise Forbidden("Instructors may enrol learners only in the courses they teach.")
    if actor.is_learner:
        if user.pk != actor.pk:
            raise Forbidden("Learners may only enrol themselves.")
        if course.status != Course.Status.PUBLISHED:
            raise NotFound("No course with this id.")
    elif not (actor.is_admin or actor.is_instructor):
        raise Forbidden("You may not enrol users.")
    if user.role != Role.LEARNER:
        raise ValidationFailed.for_field(
            "user_id", "Only users with the learner role can be enrolled."
        )
    if not user.is_active:
        raise ValidationFailed.for_field("user_id", "This user is deactivated.")
    if _live_enrollments(user_id=user.pk, course_id=course.pk).exists():
        raise AlreadyEnrolled()


def _save_or_already_enrolled(enrollment: Enrollment, **save_kwargs: Any) -> None:
    """Saves in a savepoint; the live-enrolment constraint's refusal becomes `AlreadyEnrolled`."""
    try:
        with transaction.atomic():
            enrollment.save(**save_kwargs)
    except IntegrityError:
        others = _live_enrollments(user_id=enrollment.user_id, course_id=enrollment.course_id)
        if others.exclude(pk=enrollment.pk).exists():
            raise AlreadyEnrolled() from None
        raise


def _lock_user(user_id: str) -> User:
    """Locks the row of the user to enrol and reads it again. `accounts.services.user_update`
    takes the same lock, so an enrolment and a change of the user's role are ordered: whichever
    comes second sees the other (a learner with live enrolments keeps the learner role)."""
    user = user_lock(user_id=user_id)
    if user is None:
        raise ValidationFailed.for_field("user_id", "No user with this id.")
    return user


@transaction.atomic
def enrollment_create(*, actor: User, course: Course, user: User) -> Enrollment:
    # The course row is locked against a concurrent delete (`courses.services.course_delete`
    # locks it too): the enrolment lands first, or the course is gone and this is a 404.
    if not Course.objects.select_for_update(no_key=True).filter(pk=course.pk).exists():
        raise NotFound("No course with this id.")
    user = _lock_user(user.pk)
    enrollment_create_check(actor=actor, course=course, user=user)
    enrollment = Enrollment(user=user, course=course, status=Enrollment.Status.ACTIVE)
    _save_or_already_enrolled(enrollment, force_insert=True)
    # Passes the learner holds from an earlier enrolment count: all passed, it completes now.
    return enrollment_progress_update(enrollment=enrollment, completed_by=enrollment.enrolled_at)


def enrollment_status_check(*, actor: User, enrollment: Enrollment, status: str) -> None:
    """Raises unless `enrollment` may move to `status`: people move enrolments between active
    and dropped; completed is set by the system and is final. Re-activating needs the user to
    hold the learner role still and no other live enrolment in the course (and, for learners, a
    published course)."""
    if enrollment.status == Enrollment.Status.COMPLETED:
        raise ValidationFailed.for_field(
            "status", "This enrolment is completed; completion is final and cannot be changed."
        )
    if status not in SETTABLE_STATUSES:
        raise ValidationFailed.for_field(
            "status",
            'Must be "active" or "dropped"; "completed" is set by the system when the learner '
            "has passed every assessment of the course.",
        )
    if status == Enrollment.Status.ACTIVE and enrollment.status != status:
        if actor.is_learner and enrollment.course.status != Course.Status.PUBLISHED:
            raise Forbidden("This course is not open for enrolment.")
        if enrollment.user.role != Role.LEARNER:
            raise ValidationFailed.for_field(
                "status", "Only users with the learner role can be enrolled."
            )
        if not enrollment.user.is_active:
            raise ValidationFailed.for_field("status", "This user is deactivated.")
        others = _live_enrollments(user_id=enrollment.user_id, course_id=enrollment.course_id)
        if others.exclude(pk=enrollment.pk).exists():
            raise AlreadyEnrolled()


@transaction.atomic
def enrollment_update(*, actor: User, enrollment: Enrollment, status: str) -> Enrollment:
    """Sets the status (active or dropped). Re-activating a dropped enrolment while the learner
    holds another live one in the course is `AlreadyEnrolled`; enrol anew or re-activate, once."""
    locked = (
        Enrollment.objects.select_for_update(of=("self",))
        .select_related("course")
        .filter(pk=enrollment.pk)
        .first()
    )
    if locked is None:
        raise NotFound("No enrolment with this id.")
    if status == Enrollment.Status.ACTIVE and locked.status != status:
        locked.user = _lock_user(locked.user_id)
    enrollment_status_check(actor=actor, enrollment=locked, status=status)
    if locked.status == status:
        return locked
    locked.status = status
    _save_or_already_enrolled(locked, update_fields=["status"])
    if status == Enrollment.Status.ACTIVE:
        enrollment_progress_update(enrollment=locked, completed_by=timezone.now())
    return locked


@transaction.atomic
def enrollment_delete(*, enrollment: Enrollment) -> None:
    """Deletes an enrolment made by mistake. Once the learner has submissions in the course the
    enrolment stays (results are never orphaned): drop it instead.

    No row refers to an enrolment, so no foreign key guards this delete; the row lock does.
    Submitting locks the learner's live enrolment too (`assessments.taking`), so a submission
    in progress is stored before the check here, which then sees it."""
    locked = Enrollment.objects.select_for_update().filter(pk=enrollment.pk).first()
    if locked is None:
        return
    if enrollment_has_submissions(locked):
        raise EnrollmentInUse()
    locked.delete()
