"""The database keeps `is_superuser` equal to `role == "admin"`. A migration of its own, so
PostgreSQL adds the constraint after the data migration's transaction has committed."""

from django.db import migrations, models


class Migration(migrations.Migration):

    dependencies = [
        ('accounts', '0003_user_is_superuser'),
    ]

    operations = [
        migrations.AddConstraint(
            model_name='user',
            constraint=models.CheckConstraint(condition=models.Q(models.Q(('is_superuser', True), ('role', 'admin')), models.Q(models.Q(('role', 'admin'), _negated=True), ('is_superuser', False)), _connector='OR'), name='accounts_user_superuser_is_admin_role'),
        ),
    ]
