"""The Django admin rights of the Instructors group (made by accounts' migration 0002).

Each app grants the permissions on its own models from a data migration of its own:
`operations = [instructor_permissions.grant_operation("courses", ["view_course", ...])]`.
What an instructor then reaches is narrowed to their own courses by each app's admin.
"""

from django.apps import apps as global_apps
from django.contrib.auth.management import create_permissions
from django.db import migrations

GROUP = "Instructors"


def grant_operation(app_label: str, codenames: list[str]) -> migrations.RunPython:
    """A reversible migration operation that gives the Instructors group these permissions."""

    def permissions(apps):
        Permission = apps.get_model("auth", "Permission")
        return Permission.objects.filter(content_type__app_label=app_label, codename__in=codenames)

    def grant(apps, schema_editor):
        # Permissions are normally created after all migrations ran (post_migrate); create this
        # app's now, with the historical models, so they can be granted here.
        create_permissions(
            global_apps.get_app_config(app_label),
            apps=apps,
            using=schema_editor.connection.alias,
            verbosity=0,
        )
        group, _ = apps.get_model("auth", "Group").objects.get_or_create(name=GROUP)
        group.permissions.add(*permissions(apps))

    def revoke(apps, schema_editor):
        group = apps.get_model("auth", "Group").objects.filter(name=GROUP).first()
        if group is not None:
            group.permissions.remove(*permissions(apps))

    return migrations.RunPython(grant, revoke)
