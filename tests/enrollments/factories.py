from decimal import Decimal

import factory
from django.utils import timezone

from accounts.models import User
from assessments.models import Assessment, Attempt, Submission
from courses.models import Course
from enrollments.models import Enrollment
from tests.accounts.factories import LearnerFactory
from tests.courses.factories import CourseFactory


class EnrollmentFactory(factory.django.DjangoModelFactory):
    """An active enrolment of a new learner in a new published course unless given."""

    class Meta:
        model = Enrollment

    user = factory.SubFactory(LearnerFactory)
    course = factory.SubFactory(CourseFactory)
    status = Enrollment.Status.ACTIVE


def make_submission(*, user: User, course: Course) -> Submission:
    """A graded submission of `user` for a new assessment of `course`, built directly with the
    models (an assessment, a submitted attempt and its submission)."""
    now = timezone.now()
    assessment = Assessment.objects.create(course=course, title="Quiz", passing_score=70)
    attempt = Attempt.objects.create(
        assessment=assessment,
        user=user,
        attempt_number=1,
        status=Attempt.Status.SUBMITTED,
        started_at=now,
        closed_at=now,
    )
    return Submission.objects.create(
        assessment=assessment,
        user=user,
        attempt=attempt,
        attempt_number=1,
        score=Decimal("100.00"),
        passed=True,
        passing_score=70,
        points_earned=1,
        points_possible=1,
        results=[],
        submitted_at=now,
    )
