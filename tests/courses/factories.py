import factory

from courses.models import Course, fold_category
from tests.accounts.factories import InstructorFactory


class CourseFactory(factory.django.DjangoModelFactory):
    """A published course taught by a new instructor unless `instructor=` is given. Like
    `courses.services`, it stores the case-folded `category_key` the category filter compares."""

    class Meta:
        model = Course

    title = factory.Sequence(lambda n: f"Course {n}")
    description = "What the course is about."
    category = "General"
    category_key = factory.LazyAttribute(lambda course: fold_category(course.category))
    status = Course.Status.PUBLISHED
    instructor = factory.SubFactory(InstructorFactory)
