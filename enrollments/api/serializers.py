from decimal import Decimal

from rest_framework import serializers

from common.api.bodies import WriteSerializer
from common.api.fields import StrictCharField
from enrollments.models import Enrollment
from enrollments.services import SETTABLE_STATUSES


class EnrollmentSerializer(serializers.ModelSerializer[Enrollment]):
    user_id = serializers.CharField(read_only=True)
    course_id = serializers.CharField(read_only=True)
    progress_percent = serializers.DecimalField(
        max_digits=5,
        decimal_places=2,
        min_value=Decimal(0),
        max_value=Decimal(100),
        read_only=True,
        help_text="Share of the course's published assessments passed, 0 to 100.",
    )

    class Meta:
        model = Enrollment
        fields = [
            "id",
            "user_id",
            "course_id",
            "status",
            "progress_percent",
            "enrolled_at",
            "completed_at",
        ]
        read_only_fields = fields


class EnrollmentCreateSerializer(WriteSerializer):
    course_id = StrictCharField()
    user_id = StrictCharField(
        required=False,
        help_text="The learner to enrol. Learners may omit it (they enrol themselves); "
        "instructors and admins must send it.",
    )


class EnrollmentUpdateSerializer(WriteSerializer):
    status = serializers.ChoiceField(
        choices=[(value, Enrollment.Status(value).label) for value in SETTABLE_STATUSES],
        error_messages={
            "invalid_choice": 'Must be "active" or "dropped"; "completed" is set by the system '
            "when the learner has passed every assessment of the course."
        },
    )
