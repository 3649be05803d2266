from collections.abc import Callable, Iterator
from contextlib import contextmanager
from decimal import Decimal

import factory
from django.db.models import Model
from django.db.models.signals import pre_delete
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


def make_submission(
    *, user: User, course: Course | None = None, assessment: Assessment | None = None
) -> Submission:
    """A graded submission of `user` for `assessment`, or for a new assessment of `course`, built
    directly with the models (the assessment when not given, a submitted attempt and its
    submission)."""
    now = timezone.now()
    if assessment is None:
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


@contextmanager
def while_deleting(model: type[Model], store: Callable[[Model], object]) -> Iterator[None]:
    """Within the block, deleting a `model` row calls `store(row)` after Django's checks for
    protected records and before the rows are deleted: what a concurrent request can commit
    between the two. The stored row is undone with the delete when the database refuses it."""

    def handler(sender: type[Model], instance: Model, **kwargs: object) -> None:
        store(instance)

    uid = f"while_deleting_{model._meta.label}"
    pre_delete.connect(handler, sender=model, dispatch_uid=uid, weak=False)
    try:
        yield
    finally:
        pre_delete.disconnect(sender=model, dispatch_uid=uid)
