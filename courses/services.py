"""Writes for courses. The API, the admin and `seed_demo` all call these."""

from typing import TypedDict, Unpack

from django.db import IntegrityError, transaction
from django.db.models import ProtectedError

from accounts.models import Role, User
from accounts.services import user_lock
from common.db import delete_checking_references
from common.errors import Forbidden, NotFound, ValidationFailed
from common.validation import Issues, field_issues
from courses.errors import CourseInUse
from courses.models import Course, fold_category


class CourseChanges(TypedDict, total=False):
    """The fields of a course that `course_update` changes; a field left out keeps its value."""

    title: str
    description: str
    category: str
    status: str
    instructor_id: str


def course_field_issues(**fields: Unpack[CourseChanges]) -> Issues:
    """Every rule the given course fields break, as `details`; empty when all hold. The rules
    are the model fields' validators and choices; text is checked as it will be stored, trimmed.
    `instructor_id` is checked against the caller by `course_instructor_resolve`."""
    values: dict[str, str] = {}
    if "title" in fields:
        values["title"] = fields["title"].strip()
    if "category" in fields:
        values["category"] = fields["category"].strip()
    if "status" in fields:
        values["status"] = fields["status"]
    return field_issues(Course, values)


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


def _lock_teacher(*, actor: User, instructor: User) -> None:
    """Locks the row of the user about to teach a course and checks they still hold the
    instructor role. `accounts.services.user_update` takes the same lock, so a demotion and a
    hand-over are ordered: whichever comes second sees the other."""
    locked = user_lock(user_id=instructor.pk)
    if locked is not None and locked.role == Role.INSTRUCTOR:
        return
    if actor.pk == instructor.pk:
        raise Forbidden("Only instructors and admins may create or change courses.")
    raise ValidationFailed.for_field("instructor_id", "Must be the id of an active instructor.")


@transaction.atomic
def course_create(*, actor: User, **fields: Unpack[CourseChanges]) -> Course:
    """Creates a course (`title` required; a draft unless `status` says otherwise), taught by
    the instructor creating it or, for an admin, the one named by `instructor_id`."""
    values: CourseChanges = {"description": "", "category": "", "status": Course.Status.DRAFT}
    values.update(fields)
    instructor = course_instructor_resolve(actor=actor, instructor_id=values.get("instructor_id"))
    if instructor is None:  # not for a new course: it gets its instructor or an error
        raise ValueError("A new course needs an instructor.")
    issues = course_field_issues(**values)
    if issues:
        raise ValidationFailed(details=issues)
    _lock_teacher(actor=actor, instructor=instructor)
    return Course.objects.create(
        title=values["title"].strip(),
        description=values["description"],
        category=values["category"].strip(),
        category_key=fold_category(values["category"]),
        status=values["status"],
        instructor=instructor,
    )


@transaction.atomic
def course_update(*, actor: User, course: Course, **changes: Unpack[CourseChanges]) -> Course:
    """Changes the given fields and returns the stored course; `actor` must manage the course
    (see `courses.permissions`).

    `course` only names the row: it is read again under a row lock and only the given fields are
    written, so a concurrent change of another field is kept."""
    stored = Course.objects.select_for_update().filter(pk=course.pk).first()
    if stored is None or (actor.is_instructor and stored.instructor_id != actor.pk):
        # Gone, or handed to another instructor since the caller's access was checked.
        raise NotFound("No course with this id.")
    instructor = course_instructor_resolve(
        actor=actor, instructor_id=changes.get("instructor_id"), current=stored
    )
    issues = course_field_issues(**changes)
    if issues:
        raise ValidationFailed(details=issues)
    changed: list[str] = []
    if "title" in changes:
        stored.title = changes["title"].strip()
        changed.append("title")
    if "description" in changes:
        stored.description = changes["description"]
        changed.append("description")
    if "category" in changes:
        stored.category = changes["category"].strip()
        stored.category_key = fold_category(changes["category"])
        changed += ["category", "category_key"]
    if "status" in changes:
        stored.status = changes["status"]
        changed.append("status")
    if instructor is not None:
        _lock_teacher(actor=actor, instructor=instructor)
        stored.instructor = instructor
        changed.append("instructor")
    if changed:
        stored.save(update_fields=[*changed, "updated_at"])
    return stored


def course_delete(*, course: Course) -> None:
    """Deletes a course with its assessments and enrolments. A course whose assessments have
    submissions is kept: results are never lost (unpublish it instead). A submission stored
    while the delete runs keeps it too. The course row is locked first, so an enrolment being
    created (which locks it too) either lands before the delete sees what to delete with the
    course, or finds the course gone."""
    try:
        with transaction.atomic():
            if not Course.objects.select_for_update().filter(pk=course.pk).exists():
                raise NotFound("No course with this id.")
            delete_checking_references(course)
    except (ProtectedError, IntegrityError):
        raise CourseInUse() from None
