import datetime

from django.db import migrations, models


def first_moment(apps, schema_editor):
    """Content counts as changed now: whatever a cache kept before is not served again."""
    epoch = datetime.datetime(1970, 1, 1, tzinfo=datetime.UTC)
    now = datetime.datetime.now(datetime.UTC)
    moment = (now - epoch) // datetime.timedelta(microseconds=1)
    apps.get_model("publishing", "ContentStamp").objects.create(pk=1, moment=moment)


class Migration(migrations.Migration):
    initial = True

    dependencies = []

    operations = [
        migrations.CreateModel(
            name="ContentStamp",
            fields=[
                (
                    "id",
                    models.BigAutoField(
                        auto_created=True, primary_key=True, serialize=False, verbose_name="ID"
                    ),
                ),
                ("moment", models.BigIntegerField()),
            ],
        ),
        migrations.RunPython(first_moment, migrations.RunPython.noop),
    ]
