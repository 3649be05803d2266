"""`User.is_superuser` becomes a stored field (it was a property of the role): admins get it."""

from django.db import migrations, models


def superuser_for_admins(apps, schema_editor):
    apps.get_model("accounts", "User").objects.filter(role="admin").update(is_superuser=True)


class Migration(migrations.Migration):

    dependencies = [
        ('accounts', '0002_instructors_group'),
        ('auth', '0012_alter_user_first_name_max_length'),
    ]

    operations = [
        migrations.AddField(
            model_name='user',
            name='is_superuser',
            field=models.BooleanField(default=False, help_text='Designates that this user has all permissions without explicitly assigning them.', verbose_name='superuser status'),
        ),
        # Backwards the column goes away, so there is nothing to undo.
        migrations.RunPython(superuser_for_admins, migrations.RunPython.noop),
    ]
