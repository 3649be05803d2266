"""Instructors may manage the enrolments of their courses in the Django admin: the Instructors
group gets the model permissions on enrolments (the admin limits them to their own courses)."""

from django.db import migrations

from accounts.instructor_permissions import grant_operation

CODENAMES = ["add_enrollment", "change_enrollment", "delete_enrollment", "view_enrollment"]


class Migration(migrations.Migration):
    dependencies = [
        ("enrollments", "0001_initial"),
        ("accounts", "0002_instructors_group"),
        ("contenttypes", "0002_remove_content_type_name"),
    ]

    operations = [grant_operation("enrollments", CODENAMES)]
