"""List every published route that breaks a content rule; fail on any.

    python manage.py audit_content
    python manage.py audit_content --notes fixtures ../shared/content   # quotes checked too

The rules are in ``routes/audit.py``. The test suite runs this over the
content of fixtures/, so a change that breaks a rule cannot land.
"""

from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from routes.audit import audit
from routes.models import Route


class Command(BaseCommand):
    help = "List published routes that break a content rule; exit non-zero on any."

    def add_arguments(self, parser):
        parser.add_argument(
            "--notes",
            nargs="+",
            metavar="PATH",
            help="Source notes: .md files or folders of them. Every quoted passage must be "
            "found in them word for word.",
        )

    def handle(self, *args, notes=(), **options):
        files = []
        for path in map(Path, notes or ()):
            found = sorted(path.glob("*.md")) if path.is_dir() else [path]
            if not found or not all(f.is_file() for f in found):
                raise CommandError(f"No notes (*.md) at {path}.")
            files += found
        text = "\n".join(path.read_text(encoding="utf-8") for path in files)
        findings = audit(Route.objects.published(), text)
        for finding in findings:
            self.stdout.write(str(finding))
        if findings:
            raise CommandError(f"{len(findings)} break(s) of the content rules.")
        checked = Route.objects.published().count()
        self.stdout.write(f"{checked} published routes keep every content rule.")
