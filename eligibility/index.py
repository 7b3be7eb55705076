"""Every published route's requirements, read once per content change.

The results page gives every published route a verdict, so every request
would read every requirement in force: thousands of rows that change only
when an editor saves. The index keeps them in memory, read as plain rows
(``queries``) and numbered (``rules.Catalogue``), and so are the routes a
page has shown, with their facts and sources, once read. All of it is read
again when the moment content last changed (``publishing.freshness``) moves.
Verdicts and cards are still made for each request from the visitor's
answers; only the content they are made from is kept.

The cards are many Python objects (some 150 a route: the route, its facts
and sources), and they live, like the site's code (some 60,000 objects),
until the next change. Left to the garbage collector, every full pass would
walk them all again (tens of milliseconds, with every request in the process
waiting), so once read they are frozen (``gc.freeze``) with all else that
lives then: left out of collections. When content changes, or cards are
dropped, everything is unfrozen and collected first, so that what was let go
is freed.
"""

import gc
import threading
from dataclasses import dataclass, field
from datetime import datetime

from routes.models import Route

from . import queries, rules


@dataclass(frozen=True)
class Index:
    stamp: datetime | None
    routes: list  # queries.Listed, every published route
    catalogue: rules.Catalogue  # every route's requirements in force
    cards: dict = field(default_factory=dict)  # pk: rules.RouteFacts of a route shown

    def select(self, categories=(), country=None):
        """The routes of these categories (all when empty) in this country (all when None)."""
        return [
            route
            for route in self.routes
            if (not categories or route.category in categories)
            and (country is None or route.country.pk == country.pk)
        ]

    def shown(self, pks):
        """{pk: rules.RouteFacts}, the route with country and category, its facts and
        sources: two queries for routes not shown since content last changed, none
        for the others.

        A route deleted since the index was made is missing from the answer.
        """
        found = {pk: route for pk in pks if (route := self.cards.get(pk)) is not None}
        missing = [pk for pk in pks if pk not in found]
        if missing:
            read = {
                pk: rules.RouteFacts.of(route, route.facts.all())
                for pk, route in queries.shown(missing).items()
            }
            dropped = len(self.cards) > MAX_CARDS
            if dropped:
                self.cards.clear()
            self.cards.update(read)
            found.update(read)
            _freeze(after_letting_go=dropped)
        return found


# Routes kept with their facts, at most (about 30 MB of memory per process).
# Beyond that they are read again page by page.
MAX_CARDS = 1000


_lock = threading.Lock()
_index = Index(None, [], rules.Catalogue([], {}))


def current(stamp):
    """The index for the content as of ``stamp`` (the moment content last changed):
    two queries when content has changed, else none."""
    global _index
    index = _index
    if stamp is not None and index.stamp == stamp:
        return index
    with _lock:
        if _index.stamp == stamp and stamp is not None:
            return _index
        # The moment is read before the rows: an edit made meanwhile moves it,
        # and the next request reads the rows again.
        routes = Route.objects.published()
        catalogue = rules.Catalogue.of(queries.requirements(routes))
        index = Index(stamp, queries.listed(routes), catalogue)
        _index = index
        _freeze(after_letting_go=True)
    return index


def _freeze(after_letting_go):
    """Leave what lives now out of garbage collections (see the module).

    After letting go of an index or of cards, which hold cycles (a route and
    its facts point to each other), what was frozen is unfrozen and collected
    first: frozen again, it would never be freed. Otherwise only the young
    objects are collected, so that little garbage of requests under way is
    frozen with the cards.
    """
    if after_letting_go:
        gc.unfreeze()
        gc.collect()
    else:
        gc.collect(1)
    gc.freeze()
