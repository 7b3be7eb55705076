"""Django's ``loaddata``, with everything it loads counted as one change of content.

Each object loaded is saved, and each save would move the moment content
last changed (``routes.freshness``) on its own: two queries apiece, a third
of all a load makes. Pages need it moved once, with the load's commit.
"""

from django.core.management.commands import loaddata
from django.db import transaction

from routes import freshness


class Command(loaddata.Command):
    def handle(self, *fixture_labels, **options):
        with transaction.atomic(using=options["database"]), freshness.one_change():
            super().handle(*fixture_labels, **options)
