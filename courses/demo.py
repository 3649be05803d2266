"""The demo course for `manage.py seed_demo`: published, taught by the demo instructor."""

from accounts.models import User
from courses import services
from courses.models import Course

DEMO_COURSE = {
    "title": "Python Foundations",
    "description": (
        "Values, lists, functions and the standard library, from the first line of code to "
        "small programs. Each module ends with a short quiz."
    ),
    "category": "Programming",
    "status": Course.Status.PUBLISHED,
}


def seed_courses(users: dict[str, User]) -> dict[str, Course]:
    """Creates the demo course, or resets it to its demo fields. Safe to run again."""
    instructor = users["instructor"]
    # The demo instructor's first course is the demo course, whatever it was renamed to.
    course = Course.objects.filter(instructor=instructor).order_by("created_at", "id").first()
    if course is None:
        course = services.course_create(actor=instructor, **DEMO_COURSE)
    else:
        course = services.course_update(actor=instructor, course=course, **DEMO_COURSE)
    return {"demo": course}
