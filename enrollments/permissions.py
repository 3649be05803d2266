"""Who may see and change which enrolment: fetch and check in one place (SPEC §4).

Admins see every enrolment; instructors those of the courses they teach; learners their own.
Anything else is a 404. Everyone who sees an enrolment may change its status (learners drop
their own); deleting one is for admins and the course's instructor.
"""

from django.db.models import QuerySet

from accounts.models import User
from common.errors import Forbidden, NotFound
from enrollments.models import Enrollment


def enrollments_visible_to(
    user: User, queryset: QuerySet[Enrollment] | None = None
) -> QuerySet[Enrollment]:
    queryset = Enrollment.objects.all() if queryset is None else queryset
    if user.is_admin:
        return queryset
    if user.is_instructor:
        return queryset.filter(course__instructor=user)
    return queryset.filter(user=user)


def enrollments_managed_by(
    user: User, queryset: QuerySet[Enrollment] | None = None
) -> QuerySet[Enrollment]:
    """The enrolments `user` may manage from the admin: all for admins, those of their own
    courses for instructors, none else."""
    queryset = Enrollment.objects.all() if queryset is None else queryset
    if user.is_admin:
        return queryset
    if user.is_instructor:
        return queryset.filter(course__instructor=user)
    return queryset.none()


def enrollment_for_user(
    *, user: User, enrollment_id: str, queryset: QuerySet[Enrollment] | None = None
) -> Enrollment:
    """The enrolment if `user` may see it, else `NotFound` (whether or not it exists)."""
    enrollment = enrollments_visible_to(user, queryset).filter(pk=enrollment_id).first()
    if enrollment is None:
        raise NotFound("No enrolment with this id.")
    return enrollment


def enrollment_for_manager(*, user: User, enrollment_id: str) -> Enrollment:
    """For deletion: the enrolment if `user` is an admin or the course's instructor. Learners who
    can see it (their own) get `Forbidden`: they drop it instead."""
    enrollment = enrollment_for_user(user=user, enrollment_id=enrollment_id)
    if not (user.is_admin or user.is_instructor):
        raise Forbidden(
            "Learners cannot delete an enrolment; set its status to dropped to leave the course."
        )
    return enrollment
