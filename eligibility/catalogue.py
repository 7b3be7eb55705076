"""Every published route's requirements, read once for each moment content last changed.

The results page gives every published route a verdict, so every request
would read every requirement in force: thousands of rows that change only
when an editor saves. The catalogue keeps them in memory for the moment it
was read at (``publishing.freshness``) and is read again when the moment
moves. Rows are read as plain tuples (model instances for a thousand routes
and eight thousand requirements would cost more than the verdicts), and
each distinct requirement is kept once (a thousand routes state a few
dozen), so that a request assesses each once and reads a route's verdict
off the outcomes of its own. The routes a page shows are read as
models, with their facts and sources, so that their cards cite sources
exactly as the route pages do; they are kept too, up to ``MAX_CARDS``.
Verdicts and cards are made for each request from the visitor's answers;
only the content they are made from is kept.
"""

from collections import defaultdict
from dataclasses import dataclass, field
from functools import lru_cache
from typing import NamedTuple

from routes.models import Fact, Route
from routes.vocabulary import CRITERIA, Standing

from .results import RouteCard
from .verdicts import StatedRequirement, assess, verdict_from

# Routes kept with their facts, at most (about 30 MB of memory per process).
# Beyond that they are read again page by page.
MAX_CARDS = 1000


class ListedCountry(NamedTuple):
    pk: int
    name: str


class Listed(NamedTuple):
    """A route as the choice, order and counting of results need it: no more."""

    pk: int
    official_name: str
    country: ListedCountry
    category: str  # the category's slug
    requirements: tuple  # the catalogue's numbers of the requirements it states


class StatedRow(NamedTuple):
    """A requirement in force as a plain row: what ``StatedRequirement.of`` reads of a ``Fact``."""

    route_id: int
    topic: str
    standing: str
    status: str
    pathway: str
    minimum: object
    maximum: object
    unit: str
    period: str
    source_id: int | None

    is_current = Fact.is_current
    value_key = Fact.value_key


@dataclass(frozen=True)
class Catalogue:
    moment: int | None
    routes: list  # Listed, every published route, in the order results list them
    requirements: list  # verdicts.StatedRequirement, each distinct one once, by number
    cards: dict = field(default_factory=dict)  # pk: RouteCard of a route shown

    def select(self, categories=(), country=None):
        """The routes of these categories (all when empty) in this country (all when None)."""
        return [
            route
            for route in self.routes
            if (not categories or route.category in categories)
            and (country is None or route.country.pk == country.pk)
        ]

    def verdicts(self, routes, profile):
        """Each route's verdict, in order, as ``verdicts.judge`` gives it.

        Each distinct requirement is assessed once, and each distinct
        combination of outcomes gives its verdict once.
        """
        outcomes = [assess(requirement, profile).outcome for requirement in self.requirements]
        found, decided = [], {}
        for route in routes:
            verdict = decided.get(route.requirements)
            if verdict is None:
                verdict = verdict_from({outcomes[n] for n in route.requirements})
                decided[route.requirements] = verdict
            found.append(verdict)
        return found

    def shown(self, pks):
        """{pk: RouteCard}, with the route's country, category, facts and sources: two
        queries for routes not shown since content last changed, none for the others.

        A route deleted since the catalogue was read is missing from the answer.
        """
        found = {pk: card for pk in pks if (card := self.cards.get(pk)) is not None}
        missing = [pk for pk in pks if pk not in found]
        if missing:
            read = {
                route.pk: RouteCard.of(route, route.facts.all())
                for route in Route.objects.filter(pk__in=missing).with_facts()
            }
            if len(self.cards) > MAX_CARDS:
                self.cards.clear()
            self.cards.update(read)
            found.update(read)
        return found


@lru_cache(maxsize=1)
def catalogue_at(moment):
    """The catalogue of published routes for the content as of ``moment``: two queries."""
    routes = Route.objects.published()
    by_route = _requirements(routes)
    numbers = {}  # requirement: its number
    listed, countries = [], {}
    rows = routes.order_by().values_list(
        "pk", "official_name", "country_id", "country__name", "category__slug"
    )
    for pk, name, country, country_name, category in rows:
        stated = tuple(numbers.setdefault(r, len(numbers)) for r in by_route.get(pk, ()))
        listed.append(
            Listed(
                pk,
                name,
                countries.setdefault(country, ListedCountry(country, country_name)),
                category,
                stated,
            )
        )
    listed.sort(key=lambda route: (route.country.name, route.official_name, route.pk))
    return Catalogue(moment, listed, list(numbers))


def _requirements(routes):
    """{route pk: (StatedRequirement, ...)}: the routes' requirements in force (one query).

    Facts not in force never change a verdict.
    """
    rows = (
        Fact.objects.filter(
            route__in=routes.order_by().values("pk"),
            topic__in=CRITERIA,
            standing=Standing.CURRENT,
        )
        .order_by("route_id", "topic", "position")
        .values_list(*StatedRow._fields)
    )
    by_route = defaultdict(list)
    for row in map(StatedRow._make, rows):
        by_route[row.route_id].append(row)
    return {pk: requirements_of(facts) for pk, facts in by_route.items()}


def requirements_of(facts):
    """A route's requirements in force, as its verdict reads them, from its facts in any order.

    The verdict is the one its card gives (``RouteCard``), which reads the
    route's facts in page order and with those not in force: neither
    changes a verdict.
    """
    by_criterion = defaultdict(list)
    for fact in facts:
        if fact.topic in CRITERIA and fact.is_current:
            by_criterion[fact.topic].append(fact)
    return tuple(
        StatedRequirement.of(criterion, group) for criterion, group in by_criterion.items()
    )
