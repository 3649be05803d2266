from django.db.models import Count, Q, QuerySet

from accounts.models import User
from courses.models import Course
from courses.permissions import course_for_user, courses_visible_to

# The statuses of a live enrolment (`enrollments.models.Enrollment.LIVE_STATUSES`, which a test
# holds equal to this), named here because the enrollments app sits above this one.
LIVE_ENROLLMENT_STATUSES = ("active", "completed")


def courses_with_enrollment_count(queryset: QuerySet[Course] | None = None) -> QuerySet[Course]:
    """Courses annotated with `enrollment_count`: their active and completed enrolments (the
    reverse relation `enrollments`), counted in the same query."""
    queryset = Course.objects.all() if queryset is None else queryset
    return queryset.annotate(
        enrollment_count=Count(
            "enrollments", filter=Q(enrollments__status__in=LIVE_ENROLLMENT_STATUSES)
        )
    )


def course_list(*, user: User) -> QuerySet[Course]:
    return courses_visible_to(user, courses_with_enrollment_count()).order_by("created_at", "id")


def course_get(*, user: User, course_id: str) -> Course:
    """The course with its `enrollment_count`, or `NotFound` if `user` may not see it."""
    return course_for_user(user=user, course_id=course_id, queryset=courses_with_enrollment_count())
