"""Query filters of the attempt and submission lists."""

import django_filters

from assessments.models import Attempt, Submission


class AttemptFilter(django_filters.FilterSet):
    user_id = django_filters.CharFilter(field_name="user_id", label="Only this learner's.")

    class Meta:
        model = Attempt
        fields = ["user_id"]


class SubmissionFilter(django_filters.FilterSet):
    user_id = django_filters.CharFilter(field_name="user_id", label="Only this learner's.")

    class Meta:
        model = Submission
        fields = ["user_id"]
