import django_filters
from django.db.models import QuerySet

from courses.models import Course, fold_category


class CourseFilter(django_filters.FilterSet):
    status = django_filters.ChoiceFilter(choices=Course.Status.choices, label="Course status.")
    category = django_filters.CharFilter(
        method="filter_category", label="Category (case-insensitive, exact)."
    )
    instructor_id = django_filters.CharFilter(
        field_name="instructor_id", label="Id of the instructor who teaches the course."
    )

    class Meta:
        model = Course
        fields = ["status", "category", "instructor_id"]

    def filter_category(
        self, queryset: QuerySet[Course], name: str, value: str
    ) -> QuerySet[Course]:
        return queryset.filter(category_key=fold_category(value))
