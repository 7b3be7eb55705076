"""Django's ``loaddata``, with everything it loads counted as one change of content.

Fixtures are saved raw, and a raw save leaves the moment content last
changed alone (``publishing.freshness.changed``): the load moves it once,
in the load's own transaction, so pages are fresh as soon as it commits.
"""

from django.core.management.commands import loaddata
from django.db import transaction

from publishing import freshness


class Command(loaddata.Command):
    def handle(self, *fixture_labels, **options):
        with transaction.atomic(using=options["database"]):
            super().handle(*fixture_labels, **options)
            if self.loaded_object_count:
                freshness.changed()
