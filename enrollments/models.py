from decimal import Decimal

from django.conf import settings
from django.db import models
from django.db.models import Q

from common.ids import prefixed_id_field


class EnrollmentQuerySet(models.QuerySet["Enrollment"]):
    def live(self) -> "EnrollmentQuerySet":
        """Active or completed: the learner may take the course's assessments (SPEC §4)."""
        return self.filter(status__in=Enrollment.LIVE_STATUSES)


class Enrollment(models.Model):
    class Status(models.TextChoices):
        ACTIVE = "active", "Active"
        COMPLETED = "completed", "Completed"
        DROPPED = "dropped", "Dropped"

    # "Actively enrolled" (SPEC §4): may take the course's assessments.
    LIVE_STATUSES = (Status.ACTIVE, Status.COMPLETED)

    id = prefixed_id_field("enr")
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="enrollments"
    )
    course = models.ForeignKey(
        "courses.Course", on_delete=models.CASCADE, related_name="enrollments"
    )
    status = models.CharField(max_length=20, choices=Status.choices, default=Status.ACTIVE)
    progress_percent = models.DecimalField(max_digits=5, decimal_places=2, default=Decimal("0"))
    enrolled_at = models.DateTimeField(auto_now_add=True)
    completed_at = models.DateTimeField(null=True, blank=True)

    objects = EnrollmentQuerySet.as_manager()

    class Meta:
        ordering = ["enrolled_at", "id"]
        constraints = [
            # At most one active or completed enrolment per learner and course; dropped ones
            # may pile up. The database enforces it, so concurrent requests cannot break it.
            models.UniqueConstraint(
                fields=["user", "course"],
                condition=Q(status__in=["active", "completed"]),
                name="enrollments_one_live_per_user_course",
            ),
            models.CheckConstraint(
                condition=Q(progress_percent__gte=0) & Q(progress_percent__lte=100),
                name="enrollments_progress_percent_range",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.user_id} in {self.course_id} ({self.status})"
