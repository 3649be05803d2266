import django_filters

from assessments.models import Assessment


class AssessmentFilter(django_filters.FilterSet):
    course_id = django_filters.CharFilter(field_name="course_id", label="Only this course's.")

    class Meta:
        model = Assessment
        fields = ["course_id"]
