"""Fetch cited pages and record whether each still says what is quoted.

    python manage.py check_sources                    # every source
    python manage.py check_sources --ref REF [REF ...]
    python manage.py check_sources --older-than 6     # not checked in the last 6 days

One line per source, then a summary. It reports and never fails on what it
finds (a gone page is news for an editor, not an error of the run): the exit
code is non-zero only when it is called wrongly. Nothing public changes: the
checks are shown to editors in the admin (see ``routes/source_checks.py``
and ``routes/models/checks.py``). deploy/check-sources.timer runs it weekly.
"""

import datetime

from django.core.management.base import BaseCommand, CommandError
from django.db.models import Q
from django.utils import timezone

from routes.models import Source, with_latest_check
from routes.source_checks import Limits, check_sources, describe, summary


class Command(BaseCommand):
    help = "Check that every source's page still answers and still holds its quote; report."

    def add_arguments(self, parser):
        parser.add_argument(
            "--ref", nargs="+", metavar="REF", default=[], help="Only the sources of these refs."
        )
        parser.add_argument(
            "--older-than",
            type=int,
            metavar="DAYS",
            help="Only sources never checked or last checked more than DAYS days ago.",
        )
        parser.add_argument(
            "--concurrency", type=int, default=Limits.concurrency, help="Pages fetched at once."
        )
        parser.add_argument(
            "--delay",
            type=float,
            default=Limits.delay,
            help="Seconds between two requests to one host.",
        )

    def handle(self, *args, ref, older_than, concurrency, delay, **options):
        if concurrency < 1 or delay < 0:
            raise CommandError("--concurrency must be at least 1 and --delay not negative.")
        sources = self.chosen(ref, older_than)
        if not sources:
            self.stdout.write("No sources to check.")
            return
        limits = Limits(concurrency=concurrency, delay=delay)
        checks = check_sources(
            sources, limits, on_check=lambda check: self.stdout.write(describe(check))
        )
        self.stdout.write(summary(checks))

    def chosen(self, refs, older_than):
        sources = Source.objects.order_by("ref")
        if refs:
            unknown = sorted(
                set(refs) - set(sources.filter(ref__in=refs).values_list("ref", flat=True))
            )
            if unknown:
                raise CommandError(f"No source with the ref {', '.join(unknown)}.")
            sources = sources.filter(ref__in=refs)
        if older_than is not None:
            if older_than < 0:
                raise CommandError("--older-than takes a number of days, 0 or more.")
            cutoff = timezone.now() - datetime.timedelta(days=older_than)
            sources = with_latest_check(sources).filter(
                Q(check_at__isnull=True) | Q(check_at__lt=cutoff)
            )
        return list(sources)
