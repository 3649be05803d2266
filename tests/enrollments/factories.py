from collections.abc import Callable, Iterator
from contextlib import contextmanager

import factory
from django.db.models import Model
from django.db.models.signals import pre_delete

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
