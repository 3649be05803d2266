import factory

from courses.models import Course
from tests.accounts.factories import InstructorFactory


class CourseFactory(factory.django.DjangoModelFactory):
    """A published course taught by a new instructor unless `instructor=` is given."""

    class Meta:
        model = Course

    title = factory.Sequence(lambda n: f"Course {n}")
    description = "What the course is about."
    category = "General"
    status = Course.Status.PUBLISHED
    instructor = factory.SubFactory(InstructorFactory)
