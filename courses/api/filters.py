import django_filters

from courses.models import Course


class CourseFilter(django_filters.FilterSet):
    status = django_filters.ChoiceFilter(choices=Course.Status.choices, label="Course status.")
    category = django_filters.CharFilter(
        field_name="category", lookup_expr="iexact", label="Category (case-insensitive)."
    )
    instructor_id = django_filters.CharFilter(
        field_name="instructor_id", label="Id of the instructor who teaches the course."
    )

    class Meta:
        model = Course
        fields = ["status", "category", "instructor_id"]
