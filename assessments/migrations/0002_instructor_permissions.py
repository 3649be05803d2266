"""The Instructors group's Django admin rights on assessments: authoring (view, add, change,
delete assessments, questions and options) and reading results (view attempts and submissions).
What each instructor sees is then narrowed to their own courses by the admin itself."""

from django.apps import apps as global_apps
from django.contrib.auth.management import create_permissions
from django.db import migrations

GROUP = "Instructors"
AUTHORING = ["assessment", "question", "option"]
READ_ONLY = ["attempt", "submission"]


def _codenames() -> list[str]:
    return [
        f"{action}_{model}"
        for model in AUTHORING
        for action in ("view", "add", "change", "delete")
    ] + [f"view_{model}" for model in READ_ONLY]


def grant(apps, schema_editor):
    # Permissions are normally created after all migrations ran; create them now so they can
    # be granted here.
    create_permissions(
        global_apps.get_app_config("assessments"),
        verbosity=0,
        using=schema_editor.connection.alias,
        apps=apps,
    )
    Group = apps.get_model("auth", "Group")
    Permission = apps.get_model("auth", "Permission")
    group, _ = Group.objects.get_or_create(name=GROUP)
    group.permissions.add(
        *Permission.objects.filter(
            content_type__app_label="assessments", codename__in=_codenames()
        )
    )


def revoke(apps, schema_editor):
    Group = apps.get_model("auth", "Group")
    Permission = apps.get_model("auth", "Permission")
    group = Group.objects.filter(name=GROUP).first()
    if group is not None:
        group.permissions.remove(
            *Permission.objects.filter(
                content_type__app_label="assessments", codename__in=_codenames()
            )
        )


class Migration(migrations.Migration):
    dependencies = [
        ("assessments", "0001_initial"),
        ("accounts", "0002_instructors_group"),
        ("auth", "0012_alter_user_first_name_max_length"),
        ("contenttypes", "0002_remove_content_type_name"),
    ]

    operations = [migrations.RunPython(grant, revoke)]
