"""Instructors may author courses in the Django admin: the Instructors group gets the model
permissions on courses (which courses they reach is limited to their own by the admin)."""

from django.db import migrations

from accounts.instructor_permissions import grant_operation

CODENAMES = ["add_course", "change_course", "delete_course", "view_course"]


class Migration(migrations.Migration):
    dependencies = [
        ("courses", "0001_initial"),
        ("accounts", "0002_instructors_group"),
        ("contenttypes", "0002_remove_content_type_name"),
    ]

    operations = [grant_operation("courses", CODENAMES)]
