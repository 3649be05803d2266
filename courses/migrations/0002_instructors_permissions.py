"""Instructors may author courses in the Django admin: the Instructors group gets the model
permissions on courses (which courses they reach is limited to their own by the admin)."""

from django.apps import apps as global_apps
from django.contrib.auth.management import create_permissions
from django.db import migrations

APP_LABEL = "courses"
CODENAMES = ["add_course", "change_course", "delete_course", "view_course"]


# Self-contained on purpose: a migration must not import app code that may change or move.
GROUP = "Instructors"  # made by accounts' migration 0002_instructors_group


def _permissions(apps):
    Permission = apps.get_model("auth", "Permission")
    return Permission.objects.filter(content_type__app_label=APP_LABEL, codename__in=CODENAMES)


def grant(apps, schema_editor):
    # Permissions are normally created after all migrations ran (post_migrate); create this
    # app's now, with the historical models, so they can be granted here.
    create_permissions(
        global_apps.get_app_config(APP_LABEL),
        apps=apps,
        using=schema_editor.connection.alias,
        verbosity=0,
    )
    group, _ = apps.get_model("auth", "Group").objects.get_or_create(name=GROUP)
    group.permissions.add(*_permissions(apps))


def revoke(apps, schema_editor):
    group = apps.get_model("auth", "Group").objects.filter(name=GROUP).first()
    if group is not None:
        group.permissions.remove(*_permissions(apps))


class Migration(migrations.Migration):
    dependencies = [
        ("courses", "0001_initial"),
        ("accounts", "0002_instructors_group"),
        ("contenttypes", "0002_remove_content_type_name"),
    ]

    operations = [migrations.RunPython(grant, revoke)]
