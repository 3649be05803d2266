"""Course writes re-check what they depend on under the row lock."""

import pytest

from common.errors import NotFound
from courses.models import Course
from courses.services import course_update
from enrollments.services import enrollment_create
from tests.courses.factories import CourseFactory

pytestmark = pytest.mark.django_db


def test_instructor_cannot_edit_a_course_handed_to_someone_else_meanwhile(
    admin, instructor, other_instructor
):
    course = CourseFactory(instructor=instructor, title="Original")
    stale = Course.objects.get(pk=course.pk)  # the instructor's request checked access here
    course_update(actor=admin, course=course, instructor_id=other_instructor.pk)

    with pytest.raises(NotFound):
        course_update(actor=instructor, course=stale, title="Edited after the hand-over")

    course.refresh_from_db()
    assert (course.title, course.instructor_id) == ("Original", other_instructor.pk)


def test_enrolling_in_a_course_deleted_meanwhile_is_not_found(admin, learner):
    course = CourseFactory(status=Course.Status.PUBLISHED)
    stale = Course.objects.get(pk=course.pk)  # the enrolment request read it here
    Course.objects.filter(pk=course.pk).delete()

    with pytest.raises(NotFound):
        enrollment_create(actor=admin, course=stale, user=learner)
