"""Who may see which assessment: fetch and check in one place (SPEC §5).

Admins see every assessment; instructors those of the courses they own; learners the published
assessments of published courses they are actively enrolled in. Anything else is a 404.
"""

from django.db.models import Exists, OuterRef, QuerySet

from accounts.models import User
from assessments.errors import LearnersOnly, NotEnrolled
from assessments.models import Assessment, Submission
from common.errors import Forbidden, NotFound, ValidationFailed
from courses.models import Course
from courses.permissions import courses_managed_by
from enrollments.models import Enrollment


def live_enrollments(*, user: User) -> QuerySet[Enrollment]:
    """The user's enrolments that let them take assessments (active or completed)."""
    return Enrollment.objects.live().filter(user=user)


def assessments_visible_to(
    user: User, queryset: QuerySet[Assessment] | None = None
) -> QuerySet[Assessment]:
    queryset = Assessment.objects.all() if queryset is None else queryset
    if user.is_admin:
        return queryset
    if user.is_instructor:
        return queryset.filter(course__instructor=user)
    return queryset.filter(
        Exists(live_enrollments(user=user).filter(course=OuterRef("course"))),
        status=Assessment.Status.PUBLISHED,
        course__status=Course.Status.PUBLISHED,
    )


def assessment_for_user(
    *, user: User, assessment_id: str, queryset: QuerySet[Assessment] | None = None
) -> Assessment:
    """The assessment if `user` may see it, else `NotFound` (whether or not it exists)."""
    assessment = assessments_visible_to(user, queryset).filter(pk=assessment_id).first()
    if assessment is None:
        raise NotFound("No assessment with this id.")
    return assessment


def assessment_for_staff(*, user: User, assessment_id: str) -> Assessment:
    """For authoring routes: the assessment if `user` is its course's instructor or an admin.
    Learners who can see it get `Forbidden`; everyone else `NotFound`."""
    assessment = assessment_for_user(user=user, assessment_id=assessment_id)
    if not user.is_staff:
        raise Forbidden("Only the course's instructor or an admin may change this assessment.")
    return assessment


def require_author(user: User) -> None:
    """Creating assessments is for admins and instructors."""
    if not user.is_staff:
        raise Forbidden("Only instructors and admins may create assessments.")


def course_for_author(*, user: User, course_id: str) -> Course:
    """The course a new assessment goes into. Learners get `Forbidden`. An admin naming no
    existing course gets a 422 on `course_id`; an instructor naming a course that is not theirs
    (someone else's, or none at all) gets `NotFound`, so they learn nothing about other courses."""
    require_author(user)
    course = courses_managed_by(user).filter(pk=course_id).first()
    if course is not None:
        return course
    if user.is_admin:
        raise ValidationFailed.for_field("course_id", "No course with this id.")
    raise NotFound("No course with this id.")


def assessment_for_taking(*, user: User, assessment_id: str) -> Assessment:
    """The assessment `user` may start, save or submit, checked in this order:

    - staff: `404` if they cannot see it, else `403 FORBIDDEN` (only learners take assessments);
    - a learner: `404` unless it is a published assessment of a published course, then
      `403 NOT_ENROLLED` without an active or completed enrolment in that course.
    """
    if not user.is_learner:
        assessment_for_user(user=user, assessment_id=assessment_id)
        raise LearnersOnly()
    assessment = (
        Assessment.objects.filter(
            pk=assessment_id,
            status=Assessment.Status.PUBLISHED,
            course__status=Course.Status.PUBLISHED,
        )
        .annotate(is_enrolled=Exists(live_enrollments(user=user).filter(course=OuterRef("course"))))
        .first()
    )
    if assessment is None:
        raise NotFound("No assessment with this id.")
    if not assessment.is_enrolled:
        raise NotEnrolled()
    return assessment


def review_allowed(*, submission: Submission, user: User) -> bool:
    """Whether `user` may see the correct options and explanations of `submission`.

    Staff always may. A learner may per the assessment's current review setting: `never`,
    `after_submission` (every result), or `after_passing` (only the results that passed; a
    later pass does not open earlier failed results)."""
    if user.is_staff:
        return True
    setting = submission.assessment.show_correct_answers
    if setting == Assessment.Review.AFTER_SUBMISSION:
        return True
    return setting == Assessment.Review.AFTER_PASSING and submission.passed
