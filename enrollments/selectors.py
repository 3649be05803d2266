from django.db.models import QuerySet

from accounts.models import User
from assessments.models import Submission
from enrollments.models import Enrollment
from enrollments.permissions import enrollments_visible_to


def enrollment_list(*, user: User) -> QuerySet[Enrollment]:
    return enrollments_visible_to(user).order_by("enrolled_at", "id")


def enrollment_has_submissions(enrollment: Enrollment) -> bool:
    """Whether the learner has submitted any assessment of the enrolment's course."""
    return Submission.objects.filter(
        user_id=enrollment.user_id, assessment__course_id=enrollment.course_id
    ).exists()
