"""Who may see and change which course: fetch and check in one place (SPEC §4).

Admins see and manage every course. Instructors see and manage the courses they teach; other
courses are invisible to them. Learners see published courses and may change none.
"""

from django.db.models import QuerySet

from accounts.models import User
from common.errors import Forbidden, NotFound
from courses.models import Course


def courses_visible_to(user: User, queryset: QuerySet[Course] | None = None) -> QuerySet[Course]:
    queryset = Course.objects.all() if queryset is None else queryset
    if user.is_admin:
        return queryset
    if user.is_instructor:
        return queryset.filter(instructor=user)
    return queryset.filter(status=Course.Status.PUBLISHED)


def courses_managed_by(user: User, queryset: QuerySet[Course] | None = None) -> QuerySet[Course]:
    """The courses `user` may change (and author assessments in): those they can see, for admins
    and instructors; none for learners."""
    visible = courses_visible_to(user, queryset)
    return visible.none() if user.is_learner else visible


def course_for_user(
    *, user: User, course_id: str, queryset: QuerySet[Course] | None = None
) -> Course:
    """The course if `user` may see it, else `NotFound` (whether or not it exists)."""
    course = courses_visible_to(user, queryset).filter(pk=course_id).first()
    if course is None:
        raise NotFound("No course with this id.")
    return course


def course_for_manager(
    *, user: User, course_id: str, queryset: QuerySet[Course] | None = None
) -> Course:
    """For changes: the course if `user` manages it. Learners who can see it get `Forbidden`;
    everyone else `NotFound`."""
    course = course_for_user(user=user, course_id=course_id, queryset=queryset)
    if not (user.is_admin or (user.is_instructor and course.instructor_id == user.pk)):
        raise Forbidden("Only the course's instructor or an admin may change this course.")
    return course


def require_course_author(user: User) -> None:
    """Creating courses is for admins and instructors."""
    if not (user.is_admin or user.is_instructor):
        raise Forbidden("Only instructors and admins may create courses.")
