import django_filters

from enrollments.models import Enrollment


class EnrollmentFilter(django_filters.FilterSet):
    user_id = django_filters.CharFilter(field_name="user_id", label="Id of the enrolled learner.")
    course_id = django_filters.CharFilter(field_name="course_id", label="Id of the course.")
    status = django_filters.ChoiceFilter(
        choices=Enrollment.Status.choices, label="Enrolment status."
    )

    class Meta:
        model = Enrollment
        fields = ["user_id", "course_id", "status"]
