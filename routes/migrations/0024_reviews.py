"""Who made each change, and publishers' reviews of changes already on the site.

A source's edit is a change too, of no one route.

Changes recorded before this migration get their author from the history
record they were written from. Both roles may read the review queue; the
right to approve or undo is ``publish_route``.
"""

import django.db.models.deletion
import simple_history.models
from django.conf import settings
from django.db import migrations, models


HISTORIES = {
    "route": "HistoricalRoute",
    "fact": "HistoricalFact",
    "document": "HistoricalDocument",
    "step": "HistoricalStep",
    "question": "HistoricalQuestion",
}
READ_QUEUE = ["view_change", "view_review"]


def fill_in_authors(apps, schema_editor):
    Change = apps.get_model("routes", "Change")
    for kind, history in HISTORIES.items():
        records = apps.get_model("routes", history).objects.filter(history_user__isnull=False)
        authors = dict(records.values_list("history_id", "history_user_id"))
        for change in Change.objects.filter(kind=kind, history_id__in=authors):
            change.user_id = authors[change.history_id]
            change.save(update_fields=["user"])


def let_roles_read_the_queue(apps, schema_editor):
    from django.contrib.auth.management import create_permissions

    routes = apps.get_app_config("routes")
    routes.models_module = True
    create_permissions(routes, apps=apps, verbosity=0)
    routes.models_module = None
    Group = apps.get_model("auth", "Group")
    Permission = apps.get_model("auth", "Permission")
    permissions = Permission.objects.filter(
        content_type__app_label="routes", codename__in=READ_QUEUE
    )
    for group in Group.objects.filter(name__in=["Editor", "Publisher"]):
        group.permissions.add(*permissions)


class Migration(migrations.Migration):
    dependencies = [
        ("routes", "0023_source_checks"),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.AlterModelOptions(
            name="change",
            options={"ordering": ["-when", "-id"], "verbose_name_plural": "changes to review"},
        ),
        migrations.AlterField(
            model_name="change",
            name="route",
            field=models.ForeignKey(
                blank=True,
                db_constraint=False,
                help_text="Empty for a change to a source, which every route citing it shows.",
                null=True,
                on_delete=django.db.models.deletion.DO_NOTHING,
                related_name="changes",
                to="routes.route",
            ),
        ),
        migrations.AddField(
            model_name="change",
            name="user",
            field=models.ForeignKey(
                blank=True,
                help_text="Who made the change; empty for a load of fixtures/.",
                null=True,
                on_delete=django.db.models.deletion.SET_NULL,
                related_name="+",
                to=settings.AUTH_USER_MODEL,
                verbose_name="made by",
            ),
        ),
        migrations.CreateModel(
            name="HistoricalReview",
            fields=[
                (
                    "id",
                    models.BigIntegerField(
                        auto_created=True, blank=True, db_index=True, verbose_name="ID"
                    ),
                ),
                (
                    "verdict",
                    models.CharField(
                        choices=[("approved", "Approved"), ("undone", "Undone")], max_length=10
                    ),
                ),
                ("reviewed_at", models.DateTimeField()),
                ("history_id", models.AutoField(primary_key=True, serialize=False)),
                ("history_date", models.DateTimeField(db_index=True)),
                ("history_change_reason", models.CharField(max_length=100, null=True)),
                (
                    "history_type",
                    models.CharField(
                        choices=[("+", "Created"), ("~", "Changed"), ("-", "Deleted")], max_length=1
                    ),
                ),
                (
                    "change",
                    models.ForeignKey(
                        blank=True,
                        db_constraint=False,
                        null=True,
                        on_delete=django.db.models.deletion.DO_NOTHING,
                        related_name="+",
                        to="routes.change",
                    ),
                ),
                (
                    "history_user",
                    models.ForeignKey(
                        null=True,
                        on_delete=django.db.models.deletion.SET_NULL,
                        related_name="+",
                        to=settings.AUTH_USER_MODEL,
                    ),
                ),
                (
                    "reviewer",
                    models.ForeignKey(
                        blank=True,
                        db_constraint=False,
                        null=True,
                        on_delete=django.db.models.deletion.DO_NOTHING,
                        related_name="+",
                        to=settings.AUTH_USER_MODEL,
                    ),
                ),
            ],
            options={
                "verbose_name": "historical review",
                "verbose_name_plural": "historical reviews",
                "ordering": ("-history_date", "-history_id"),
                "get_latest_by": ("history_date", "history_id"),
            },
            bases=(simple_history.models.HistoricalChanges, models.Model),
        ),
        migrations.CreateModel(
            name="Review",
            fields=[
                (
                    "id",
                    models.BigAutoField(
                        auto_created=True, primary_key=True, serialize=False, verbose_name="ID"
                    ),
                ),
                (
                    "verdict",
                    models.CharField(
                        choices=[("approved", "Approved"), ("undone", "Undone")], max_length=10
                    ),
                ),
                ("reviewed_at", models.DateTimeField()),
                (
                    "change",
                    models.OneToOneField(
                        on_delete=django.db.models.deletion.CASCADE,
                        related_name="review",
                        to="routes.change",
                    ),
                ),
                (
                    "reviewer",
                    models.ForeignKey(
                        on_delete=django.db.models.deletion.PROTECT,
                        related_name="+",
                        to=settings.AUTH_USER_MODEL,
                    ),
                ),
            ],
            options={
                "ordering": ["-reviewed_at", "-id"],
            },
        ),
        migrations.RunPython(fill_in_authors, migrations.RunPython.noop),
        migrations.RunPython(let_roles_read_the_queue, migrations.RunPython.noop),
    ]
