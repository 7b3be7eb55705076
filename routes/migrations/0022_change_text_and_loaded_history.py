"""A change's words take any length, and rows loaded before loads kept history get it.

Fixtures were loaded without history records (a raw save leaves none), so
the first edit of such a row could not be reverted and its removal read as
its addition. Each row of a model with history that has no record yet gets
one, attributed to the load, as ``publishing.loads`` records it for new loads.
"""

from django.db import migrations, models
from django.utils import timezone

LOADED = "Loaded from fixtures"
WITH_HISTORY = [
    "Country",
    "Category",
    "Source",
    "Route",
    "Fact",
    "Document",
    "Step",
    "Question",
    "ReferenceRate",
]


def record_history_where_none(apps, schema_editor):
    now = timezone.now()
    for name in WITH_HISTORY:
        model = apps.get_model("routes", name)
        historical = apps.get_model("routes", f"Historical{name}")
        fields = [field.attname for field in model._meta.concrete_fields]
        unrecorded = model._base_manager.exclude(pk__in=historical.objects.values("id"))
        historical.objects.bulk_create(
            [
                historical(
                    history_date=now,
                    history_type="+",
                    history_change_reason=LOADED,
                    **{attname: getattr(row, attname) for attname in fields},
                )
                for row in unrecorded.iterator()
            ],
            batch_size=500,
        )


class Migration(migrations.Migration):
    dependencies = [
        ("routes", "0021_roles"),
    ]

    operations = [
        migrations.AlterField(
            model_name="change",
            name="text",
            field=models.TextField(),
        ),
        migrations.RunPython(record_history_where_none, migrations.RunPython.noop),
    ]
