"""The demo enrolments for `manage.py seed_demo`: both demo learners in the demo course."""

from accounts.models import User
from courses.models import Course
from enrollments.models import Enrollment
from enrollments.services import enrollment_create

DEMO_LEARNERS = ("learner", "learner2")


def seed_enrollments(users: dict[str, User], courses: dict[str, Course]) -> list[Enrollment]:
    """Makes sure both demo learners hold an active (or completed) enrolment in the demo course,
    enrolled by its instructor. Safe to run again: a live enrolment is kept as it is."""
    course = courses["demo"]
    enrollments = []
    for key in DEMO_LEARNERS:
        learner = users[key]
        enrollment = Enrollment.objects.live().filter(user=learner, course=course).first()
        if enrollment is None:
            enrollment = enrollment_create(actor=users["instructor"], course=course, user=learner)
        enrollments.append(enrollment)
    return enrollments
