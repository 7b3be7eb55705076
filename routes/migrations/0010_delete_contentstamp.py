from django.db import migrations


class Migration(migrations.Migration):
    """The moment content last changed now lives in publishing.ContentStamp."""

    dependencies = [
        ("routes", "0009_category_grants_permit"),
        ("publishing", "0001_initial"),
    ]

    operations = [
        migrations.DeleteModel(name="ContentStamp"),
    ]
