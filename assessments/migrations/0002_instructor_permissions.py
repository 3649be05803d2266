"""The Instructors group's Django admin rights on assessments: authoring (view, add, change,
delete assessments, questions and options) and reading results (view attempts and submissions).
What each instructor sees is then narrowed to their own courses by the admin itself."""

from django.db import migrations

from accounts.instructor_permissions import grant_operation

AUTHORING = ["assessment", "question", "option"]
READ_ONLY = ["attempt", "submission"]
CODENAMES = [
    f"{action}_{model}" for model in AUTHORING for action in ("view", "add", "change", "delete")
] + [f"view_{model}" for model in READ_ONLY]


class Migration(migrations.Migration):
    dependencies = [
        ("assessments", "0001_initial"),
        ("accounts", "0002_instructors_group"),
        ("auth", "0012_alter_user_first_name_max_length"),
        ("contenttypes", "0002_remove_content_type_name"),
    ]

    operations = [grant_operation("assessments", CODENAMES)]
