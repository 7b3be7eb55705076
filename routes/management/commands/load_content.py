"""Load the real content of fixtures/, never over what an editor changed.

    python manage.py load_content             # what `make run` does
    python manage.py load_content --replace   # load over editors' changes, saying which

Without ``--replace`` the fixtures are loaded only into a database with no
content yet, or when a fixture file has changed and nobody has edited
anything since the last load (the moment content last changed is still the
one the load left). Otherwise the database is left as it is and the command
says why. ``--replace`` first lists every row that the load will overwrite
(rows whose fields differ from the fixtures), then loads; rows added in the
admin and absent from the fixtures are kept either way.
"""

import hashlib
from pathlib import Path

from django.conf import settings
from django.core import serializers
from django.core.management import call_command
from django.core.management.base import BaseCommand
from django.db import models, transaction

from publishing import freshness
from publishing.models import as_datetime
from routes.models import Category, Country, FixtureLoad, Route


class Command(BaseCommand):
    help = "Load fixtures/ into an empty or unedited database; --replace loads over edits."

    def add_arguments(self, parser):
        parser.add_argument(
            "paths", nargs="*", help="Fixture files or folders (default: fixtures/)."
        )
        parser.add_argument(
            "--replace",
            action="store_true",
            help="Load even over editors' changes, after listing the rows it overwrites.",
        )

    def handle(self, *args, paths, replace, **options):
        files = fixture_files(paths or [Path(settings.BASE_DIR) / "fixtures"])
        digest = digest_of(files)
        last = FixtureLoad.objects.order_by("-loaded_at", "-id").first()
        has_content = any(m.objects.exists() for m in (Country, Category, Route))
        edited = has_content and (last is None or freshness.read() != last.moment)
        if edited and not replace:
            self.refuse(last)
            return
        if has_content and not edited and last.digest == digest:
            self.stdout.write("The content is as fixtures/ has it: nothing to load.")
            return
        if edited:
            overwritten = list(differences(files))
            self.stdout.write(f"Replacing {len(overwritten)} edited row(s) with fixtures/:")
            for instance, fields in overwritten:
                self.stdout.write(f"  {type(instance).__name__} “{instance}”: {', '.join(fields)}")
            self.stdout.write("Rows added in the admin and not in fixtures/ are kept.")
        with transaction.atomic():
            call_command("loaddata", *map(str, files), verbosity=0)
            FixtureLoad.objects.create(digest=digest, moment=freshness.read())
        self.stdout.write(f"Loaded {len(files)} fixture file(s).")

    def refuse(self, last):
        since = (
            f" since fixtures/ was loaded on {last.loaded_at:%Y-%m-%d %H:%M} UTC" if last else ""
        )
        moment = freshness.read()
        when = f" (last change {as_datetime(moment):%Y-%m-%d %H:%M} UTC)" if moment else ""
        self.stdout.write(
            f"The content was edited{since}{when}: fixtures/ is not loaded over it.\n"
            "To see which rows loading would overwrite, and overwrite them, run:\n"
            "    python manage.py load_content --replace"
        )


def fixture_files(paths):
    files = []
    for path in map(Path, paths):
        files += sorted(path.glob("*.json")) if path.is_dir() else [path]
    return files


def digest_of(files):
    digest = hashlib.sha256()
    for path in files:
        digest.update(path.name.encode() + b"\0" + path.read_bytes())
    return digest.hexdigest()


def differences(files):
    """(row as the database has it, names of the fields the fixtures would change)."""
    for path in files:
        with path.open() as stream:
            for loaded in serializers.deserialize("json", stream, handle_forward_references=True):
                instance = loaded.object
                if instance.pk is None:
                    continue  # not in the database: added, not overwritten
                model = type(instance)
                current = model._base_manager.filter(pk=instance.pk).first()
                if current is None:
                    continue
                fields = [
                    field.name
                    for field in model._meta.concrete_fields
                    if compared(field)
                    and field.value_from_object(current) != field.value_from_object(instance)
                ]
                if fields:
                    yield current, fields


def compared(field):
    """Fields an editor changes: not the key, nor the times Django sets itself."""
    automatic = isinstance(field, models.DateTimeField) and (field.auto_now or field.auto_now_add)
    return not field.primary_key and not automatic
