"""Django's ``loaddata``: one change of content, and a history entry for each object.

Fixtures are saved raw, and a raw save leaves the moment content last
changed alone (``publishing.freshness.changed``): the load moves it once,
in the load's own transaction, so pages are fresh as soon as it commits.
A raw save leaves no history either: ``publishing.loads`` records one entry
per loaded object, attributed to the load, so its first edit can be reverted.
"""

from django.core.management.commands import loaddata
from django.db import transaction

from publishing import freshness
from publishing.loads import history_of_load


class Command(loaddata.Command):
    def handle(self, *fixture_labels, **options):
        with transaction.atomic(using=options["database"]), history_of_load():
            super().handle(*fixture_labels, **options)
            if self.loaded_object_count:
                freshness.changed()
