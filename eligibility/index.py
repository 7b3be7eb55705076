"""Every published route's requirements, read once per content change.

The results page gives every published route a verdict, so every request
would read every requirement in force: thousands of rows that change only
when an editor saves. The index keeps them in memory, as the plain rows
``queries`` reads, and reads them again when the moment content last changed
(``routes.freshness``) moves. Verdicts are still computed for each request
from the visitor's answers; only the rows they are computed from are kept.
"""

import threading
from dataclasses import dataclass
from datetime import datetime

from routes import freshness
from routes.models import Route

from . import queries


@dataclass(frozen=True)
class Index:
    stamp: datetime | None
    routes: list  # queries.Listed, every published route
    requirements: dict  # route pk: [queries.Stated, ...]

    def select(self, categories=(), country=None):
        """The routes of these categories (all when empty) in this country (all when None)."""
        return [
            route
            for route in self.routes
            if (not categories or route.category in categories)
            and (country is None or route.country.pk == country.pk)
        ]


_lock = threading.Lock()
_index = Index(None, [], {})


def current():
    """The index for the content as it is now: two queries when content has changed, else none."""
    global _index
    stamp = freshness.last_changed()
    index = _index
    if stamp is not None and index.stamp == stamp:
        return index
    with _lock:
        if _index.stamp == stamp and stamp is not None:
            return _index
        # The moment is read before the rows: an edit made meanwhile moves it,
        # and the next request reads the rows again.
        routes = Route.objects.published()
        index = Index(stamp, queries.listed(routes), queries.requirements(routes))
        _index = index
    return index
