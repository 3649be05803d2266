from rest_framework import serializers

from common.api.bodies import WriteSerializer
from common.api.fields import StrictCharField
from common.validation import TrimmedLength
from courses.models import Course


class CourseSerializer(serializers.ModelSerializer[Course]):
    """A course as the API shows it. The instance must carry the `enrollment_count` annotation
    (see `courses.selectors`)."""

    instructor_id = serializers.CharField(read_only=True)
    enrollment_count = serializers.IntegerField(
        read_only=True, help_text="Active and completed enrolments."
    )

    class Meta:
        model = Course
        fields = [
            "id",
            "title",
            "description",
            "category",
            "status",
            "instructor_id",
            "enrollment_count",
            "created_at",
            "updated_at",
        ]
        read_only_fields = fields


_TITLE_LENGTH = next(
    rule for rule in Course._meta.get_field("title").validators if isinstance(rule, TrimmedLength)
)


class CourseWriteSerializer(WriteSerializer):
    """The body of a create (`title` required) or PUT (`title` required) or PATCH (any subset).
    Field rules (title length, who may set `instructor_id`) are the model's and the service's."""

    title = StrictCharField(
        trim_whitespace=False, help_text=f"{_TITLE_LENGTH.low} to {_TITLE_LENGTH.high} characters."
    )
    description = StrictCharField(allow_blank=True, trim_whitespace=False, required=False)
    category = StrictCharField(allow_blank=True, required=False)
    status = serializers.ChoiceField(choices=Course.Status.choices, required=False)
    instructor_id = StrictCharField(
        required=False,
        help_text="Admins only: the instructor who teaches the course (required when an admin "
        "creates one). Instructors teach the courses they create.",
    )
