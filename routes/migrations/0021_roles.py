"""The editorial roles: Editors write content, Publishers also publish and verify.

An Editor adds and changes countries, categories, sources, routes and their
rows, and may delete rows and draft routes (the admin refuses to delete a
published route without ``publish_route``). A Publisher can do all that, and
publish or unpublish a route (``publish_route``) and mark sources verified
(``verify_source``). Both can read and resolve visitors' error reports.
"""

from django.contrib.auth.management import create_permissions
from django.db import migrations

CONTENT = [
    "country",
    "category",
    "source",
    "route",
    "fact",
    "requirement",
    "fee",
    "figure",
    "document",
    "step",
    "question",
    "referencerate",
]
DELETABLE = ["route", "fact", "requirement", "fee", "figure", "document", "step", "question"]

EDITOR = [
    *(f"{action}_{model}" for model in CONTENT for action in ("add", "change", "view")),
    *(f"delete_{model}" for model in DELETABLE),
    "view_errorreport",
    "change_errorreport",
]
PUBLISHER = [*EDITOR, "publish_route", "verify_source"]
ROLES = {"Editor": EDITOR, "Publisher": PUBLISHER}


def create_roles(apps, schema_editor):
    # Permissions are normally created after migrate; the groups need them now.
    routes = apps.get_app_config("routes")
    routes.models_module = True
    create_permissions(routes, apps=apps, verbosity=0)
    routes.models_module = None

    Group = apps.get_model("auth", "Group")
    Permission = apps.get_model("auth", "Permission")
    for name, codenames in ROLES.items():
        permissions = Permission.objects.filter(
            content_type__app_label="routes", codename__in=codenames
        )
        if permissions.count() != len(codenames):
            raise RuntimeError(f"The {name} role names a permission that does not exist.")
        group, _ = Group.objects.get_or_create(name=name)
        group.permissions.set(permissions)


def remove_roles(apps, schema_editor):
    apps.get_model("auth", "Group").objects.filter(name__in=ROLES).delete()


class Migration(migrations.Migration):
    dependencies = [
        ("auth", "0012_alter_user_first_name_max_length"),
        ("contenttypes", "0002_remove_content_type_name"),
        ("routes", "0019_search_on_postgresql"),
    ]

    operations = [
        migrations.AlterModelOptions(
            name="route",
            options={
                "ordering": ["country__name", "official_name"],
                "permissions": [
                    ("publish_route", "Can publish, unpublish and delete published routes")
                ],
            },
        ),
        migrations.AlterModelOptions(
            name="source",
            options={
                "ordering": ["publisher", "title"],
                "permissions": [("verify_source", "Can mark sources verified")],
            },
        ),
        migrations.RunPython(create_roles, remove_roles),
    ]
