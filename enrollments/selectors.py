from django.db.models import QuerySet

from accounts.models import User
from courses.models import Course
from enrollments.models import Enrollment
from enrollments.permissions import enrollments_visible_to


def enrollment_list(*, user: User) -> QuerySet[Enrollment]:
    return enrollments_visible_to(user).order_by("enrolled_at", "id")


def enrollment_has_submissions(enrollment: Enrollment) -> bool:
    """Whether the learner has submitted any assessment of the enrolment's course. Asked through
    the course's reverse relations (`assessments`, then `submissions`): the assessments app sits
    above this one."""
    return Course.objects.filter(
        pk=enrollment.course_id, assessments__submissions__user_id=enrollment.user_id
    ).exists()
