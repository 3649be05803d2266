"""Writes for courses. The API, the admin and `seed_demo` all call these."""

from typing import Any

from django.db import transaction
from django.db.models import ProtectedError

from accounts.models import Role, User
from common.errors import Forbidden, ValidationFailed
from courses.errors import CourseInUse
from courses.models import Course

_UNSET: Any = object()

TITLE_MIN, TITLE_MAX = 3, 200
CATEGORY_MAX = Course._meta.get_field("category").max_length


def course_field_issues(
    *,
    title: Any = _UNSET,
    category: Any = _UNSET,
    status: Any = _UNSET,
) -> list[dict[str, str]]:
    """Every rule a course's own fields must keep, as `details`; empty when all hold."""
    issues: list[dict[str, str]] = []
    if title is not _UNSET and not (TITLE_MIN <= len(title.strip()) <= TITLE_MAX):
        issues.append(
            {"field": "title", "issue": f"Must be between {TITLE_MIN} and {TITLE_MAX} characters."}
        )
    if category is not _UNSET and len(category.strip()) > CATEGORY_MAX:
        issues.append({"field": "category", "issue": f"At most {CATEGORY_MAX} characters."})
    if status is not _UNSET and status not in Course.Status.values:
        issues.append(
            {"field": "status", "issue": f"Must be one of: {', '.join(Course.Status.values)}."}
        )
    return issues


def course_instructor_resolve(
    *, actor: User, instructor_id: str | None, current: Course | None = None
) -> User | None:
    """Who teaches the course, given the `instructor_id` the caller sent (`None`: not sent).

    Instructors always teach the courses they write: naming anyone else is `Forbidden`. Admins
    must name an active user with the instructor role when creating a course, and may name one
    to hand a course over. Returns `None` when the course keeps its instructor.
    """
    if actor.is_instructor:
        if instructor_id is not None and instructor_id != actor.pk:
            raise Forbidden(
                "Instructors may only teach their own courses; only admins set instructor_id."
            )
        return actor if current is None else None
    if not actor.is_admin:
        raise Forbidden("Only instructors and admins may create or change courses.")
    if instructor_id is None:
        if current is None:
            raise ValidationFailed.for_field(
                "instructor_id", "Required when an admin creates a course."
            )
        return None
    if current is not None and instructor_id == current.instructor_id:
        return None
    instructor = User.objects.filter(pk=instructor_id, role=Role.INSTRUCTOR, is_active=True).first()
    if instructor is None:
        raise ValidationFailed.for_field("instructor_id", "Must be the id of an active instructor.")
    return instructor


@transaction.atomic
def course_create(
    *,
    actor: User,
    title: str,
    description: str = "",
    category: str = "",
    status: str = Course.Status.DRAFT,
    instructor_id: str | None = None,
) -> Course:
    instructor = course_instructor_resolve(actor=actor, instructor_id=instructor_id)
    issues = course_field_issues(title=title, category=category, status=status)
    if issues:
        raise ValidationFailed(details=issues)
    return Course.objects.create(
        title=title.strip(),
        description=description,
        category=category.strip(),
        status=status,
        instructor=instructor,
    )


@transaction.atomic
def course_update(
    *,
    actor: User,
    course: Course,
    title: Any = _UNSET,
    description: Any = _UNSET,
    category: Any = _UNSET,
    status: Any = _UNSET,
    instructor_id: Any = _UNSET,
) -> Course:
    """Changes the given fields; `actor` must manage the course (see `courses.permissions`)."""
    instructor = course_instructor_resolve(
        actor=actor,
        instructor_id=None if instructor_id is _UNSET else instructor_id,
        current=course,
    )
    issues = course_field_issues(title=title, category=category, status=status)
    if issues:
        raise ValidationFailed(details=issues)
    if title is not _UNSET:
        course.title = title.strip()
    if description is not _UNSET:
        course.description = description
    if category is not _UNSET:
        course.category = category.strip()
    if status is not _UNSET:
        course.status = status
    if instructor is not None:
        course.instructor = instructor
    course.save()
    return course


def course_delete(*, course: Course) -> None:
    """Deletes a course with its assessments and enrolments. A course whose assessments have
    submissions is kept: results are never lost (unpublish it instead)."""
    try:
        with transaction.atomic():
            course.delete()
    except ProtectedError:
        raise CourseInUse() from None
