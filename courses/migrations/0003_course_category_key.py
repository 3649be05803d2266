from django.db import migrations, models


def fill_category_keys(apps, schema_editor):
    """Existing courses get the key the services now store: the category, case-folded."""
    Course = apps.get_model("courses", "Course")
    courses = list(Course.objects.exclude(category="").only("pk", "category"))
    for course in courses:
        course.category_key = course.category.strip().casefold()
    Course.objects.bulk_update(courses, ["category_key"], batch_size=500)


class Migration(migrations.Migration):
    dependencies = [
        ("courses", "0002_instructors_permissions"),
    ]

    operations = [
        migrations.AddField(
            model_name="course",
            name="category_key",
            field=models.CharField(
                blank=True, db_index=True, default="", editable=False, max_length=300
            ),
        ),
        migrations.RunPython(fill_category_keys, migrations.RunPython.noop, elidable=True),
    ]
