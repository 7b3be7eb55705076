"""Every published route's requirements, read once for each moment content last changed.

The results page gives every published route a verdict, so every request
would read every requirement in force: thousands of rows that change only
when an editor saves. The catalogue keeps them in memory for the moment it
was read at (``publishing.freshness``) and is read again when the moment
moves. Rows are read as plain tuples (model instances for a thousand routes
and eight thousand requirements would cost more than the verdicts), and
each distinct requirement is kept once (a thousand routes state a few
dozen) and a route's as a bit mask of them, so that a request assesses each
once and reads every route's verdict off the masks. The routes a page shows are read as
models, with their facts and sources, so that their cards cite sources
exactly as the route pages do; they are kept too, up to ``MAX_CARDS``.
Verdicts and cards are made for each request from the visitor's answers;
only the content they are made from is kept.
"""

from collections import defaultdict
from dataclasses import dataclass, field
from functools import lru_cache
from typing import NamedTuple

from routes.models import Fact, ReferenceRate, Route, takes_the
from routes.vocabulary import CRITERIA, Criterion, Standing

from .results import RouteCard
from .rules import Rate
from .verdicts import FINDING_MARKS, StatedRequirement, Summary, assess, verdict_from

MONEY_CRITERIA = {Criterion.INCOME, Criterion.INVESTMENT}

# Routes kept with their facts, at most (about 30 MB of memory per process).
# Beyond that they are read again page by page.
MAX_CARDS = 1000


class ListedCountry(NamedTuple):
    """A country with published routes, as the checker offers it as a destination."""

    pk: int
    name: str
    slug: str

    @property
    def in_sentence(self):
        return f"the {self.name}" if takes_the(self.name) else self.name


class Listed(NamedTuple):
    """A route as the choice, order and counting of results need it: no more."""

    pk: int
    official_name: str
    country: ListedCountry
    category: str  # the category's slug
    requirements: int  # the requirements it states: bit n for the catalogue's requirement n


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
    level: str
    nationality_rule: str
    countries: str
    exclusive: bool
    source_id: int | None

    is_current = Fact.is_current
    value_key = Fact.value_key


@dataclass(frozen=True)
class Catalogue:
    moment: int | None
    routes: list  # Listed, every published route, in the order results list them
    requirements: list  # verdicts.StatedRequirement, each distinct one once, by number
    rates: dict = field(default_factory=dict)  # currency: rules.Rate, the latest of each
    cards: dict = field(default_factory=dict)  # pk: RouteCard of a route shown

    def countries(self):
        """The countries with published routes, by name."""
        return sorted({route.country for route in self.routes}, key=lambda c: c.name)

    def criteria(self, routes):
        """The criteria some of these routes state a requirement for (always or in some cases)."""
        stated = 0
        for route in routes:
            stated |= route.requirements
        return {
            requirement.criterion
            for n, requirement in enumerate(self.requirements)
            if stated >> n & 1 and requirement.states_something
        }

    def currencies(self):
        """What a visitor may give an amount in: every currency with a rate on record, the
        euro, and each currency or local unit a requirement states an amount in."""
        stated = {
            s.unit
            for r in self.requirements
            for s in r.stated
            if s.unit and r.criterion in MONEY_CRITERIA
        }
        return sorted(set(self.rates) | {"EUR"} | stated)

    def select(self, categories=(), country=None):
        """The routes of these categories (all when empty) in this country (all when None)."""
        return [
            route
            for route in self.routes
            if (not categories or route.category in categories)
            and (country is None or route.country.pk == country.pk)
        ]

    def verdicts(self, routes, profile):
        """Each route's (verdict, requirements checked), in order, as ``verdicts.judge``
        gives them.

        Each distinct requirement is assessed once. What ``verdicts.summarize``
        reads of a route's findings is read off bit masks of its requirements:
        which findings mark it not needed, unmet, and so on. So a request costs
        a few integer operations a route, however many requirements it states.
        """
        findings = [assess(requirement, profile) for requirement in self.requirements]
        marked = {
            name: sum(1 << n for n, finding in enumerate(findings) if mark(finding))
            for name, mark in FINDING_MARKS.items()
        }
        not_needed, unmet = marked["not_needed"], marked["unmet"]
        comparable, unsettled, checked = (
            marked["comparable"],
            marked["unsettled"],
            marked["checked"],
        )
        found, decided = [], {}
        for route in routes:
            mask = route.requirements
            marks = (
                mask & not_needed != 0,
                mask & unmet != 0,
                mask & comparable != 0,
                mask & unsettled != 0,
            )
            verdict = decided.get(marks)
            if verdict is None:
                verdict = decided[marks] = verdict_from(Summary(*marks, checked=0))
            found.append((verdict, (mask & checked).bit_count()))
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
    """The catalogue of published routes for the content as of ``moment``: three queries."""
    routes = Route.objects.published()
    by_route = _requirements(routes)
    numbers = {}  # requirement: its number
    listed, countries = [], {}
    rows = routes.order_by().values_list(
        "pk", "official_name", "country_id", "country__name", "country__slug", "category__slug"
    )
    for pk, name, country, country_name, country_slug, category in rows:
        stated = sum(1 << numbers.setdefault(r, len(numbers)) for r in by_route.get(pk, ()))
        listed.append(
            Listed(
                pk,
                name,
                countries.setdefault(country, ListedCountry(country, country_name, country_slug)),
                category,
                stated,
            )
        )
    listed.sort(key=lambda route: (route.country.name, route.official_name, route.pk))
    rates = {
        rate.currency: Rate(rate.per_euro, rate.day, rate.source.publisher)
        for rate in ReferenceRate.objects.latest_each()
    }
    return Catalogue(moment, listed, list(numbers), rates)


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
