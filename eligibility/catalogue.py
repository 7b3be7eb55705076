"""Every published route's requirements, read once for each moment content last changed.

The results page gives every published route a verdict, so every request
would read every requirement in force: thousands of rows that change only
when an editor saves. The catalogue keeps them in memory for the moment it
was read at (``publishing.freshness``) and is read again when the moment
moves. Rows are read as plain tuples (model instances for a thousand routes
and eight thousand requirements would cost more than the verdicts), and
each distinct requirement is kept once (a thousand routes state a few
dozen), with the routes stating it as a bit mask, so that a request assesses
each once and reads every route's verdict off the masks (``Catalogue.report``). The routes a page shows are read as
models, with their facts and sources, so that their cards cite sources
exactly as the route pages do; they are kept too, up to ``MAX_CARDS``.
Verdicts and cards are made for each request from the visitor's answers;
only the content they are made from is kept.
"""

import threading
from collections import defaultdict
from dataclasses import dataclass, field
from functools import cached_property, lru_cache
from itertools import product
from typing import NamedTuple

from routes.models import Fact, ReferenceRate, Route, takes_the
from routes.vocabulary import CRITERIA, Criterion, Standing

from .results import Report, RouteCard
from .rules import Rate
from .verdicts import FINDING_MARKS, StatedRequirement, Summary, Verdict, assess, verdict_from

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

    @cached_property
    def _countries(self):
        return sorted({route.country for route in self.routes}, key=lambda c: c.name)

    def countries(self):
        """The countries with published routes, by name."""
        return self._countries

    @cached_property
    def categories(self):
        """The slugs of the categories with published routes."""
        return frozenset(self._in_category)

    @cached_property
    def holders(self):
        """For each requirement, by number, the routes stating it: bit i for ``routes[i]``.

        A request then marks routes a finding at a time (``report``), not a
        route at a time: a few thousand integer operations at any size.
        """
        positions = [[] for _ in self.requirements]
        for i, route in enumerate(self.routes):
            for n in _bits(route.requirements):
                positions[n].append(i)
        return [_bitset(held, len(self.routes)) for held in positions]

    @cached_property
    def _in_category(self):
        return self._grouped(lambda route: route.category)

    @cached_property
    def _in_country(self):
        return self._grouped(lambda route: route.country.pk)

    def _grouped(self, key):
        """{key: the routes with it, as a bitset of positions in ``routes``}."""
        positions = defaultdict(list)
        for i, route in enumerate(self.routes):
            positions[key(route)].append(i)
        return {k: _bitset(held, len(self.routes)) for k, held in positions.items()}

    @cached_property
    def _stating(self):
        """{criterion: the routes stating a requirement for it (always or in some cases)}."""
        stating = defaultdict(int)
        for requirement, holders in zip(self.requirements, self.holders, strict=True):
            if requirement.states_something:
                stating[requirement.criterion] |= holders
        return dict(stating)

    def chosen(self, categories=(), country=None):
        """The routes of these categories (all when empty) in this country (all when None),
        as a bitset of positions in ``routes``."""
        every = (1 << len(self.routes)) - 1
        if categories:
            every = 0
            for category in categories:
                every |= self._in_category.get(category, 0)
        if country is not None:
            every &= self._in_country.get(country.pk, 0)
        return every

    def criteria(self, chosen):
        """The criteria some of the chosen routes (a bitset, ``chosen``) state a requirement
        for (always or in some cases)."""
        return {criterion for criterion, routes in self._stating.items() if routes & chosen}

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

    def report(self, chosen, profile):
        """Every chosen route's verdict (``chosen``: a bitset, as ``chosen()`` gives), as
        ``verdicts.judge`` gives it: a ``Report``.

        Each distinct requirement is assessed once, and its finding marks at once
        every route stating it (``holders``). What ``verdicts.summarize`` reads of
        a route's findings (``FINDING_MARKS``) then comes to four sets of routes,
        and each verdict to a combination of them, decided by ``verdict_from``.
        Only routes that meet every requirement are counted one by one, for how
        many requirements were checked, which orders them.
        """
        by_finding = defaultdict(int)  # a finding's (outcome, comparable): the routes with it
        findings = [assess(requirement, profile) for requirement in self.requirements]
        for holders, finding in zip(self.holders, findings, strict=True):
            by_finding[finding.outcome, finding.comparable] |= holders
        alike = {(f.outcome, f.comparable): f for f in findings}
        marked = {
            name: _union(routes for key, routes in by_finding.items() if mark(alike[key]))
            for name, mark in FINDING_MARKS.items()
            if name != "checked"
        }
        by_verdict = dict.fromkeys(Verdict, 0)
        for marks in product((False, True), repeat=len(marked)):
            routes = chosen
            for has, name in zip(marks, marked, strict=True):
                routes &= marked[name] if has else ~marked[name]
            by_verdict[verdict_from(Summary(*marks, checked=0))] |= routes
        listed = {
            verdict: [self.routes[i] for i in _bits(routes)]
            for verdict, routes in by_verdict.items()
        }
        checked = _bitset(
            [n for n, f in enumerate(findings) if FINDING_MARKS["checked"](f)], len(findings)
        )
        met = {
            route.pk: (route.requirements & checked).bit_count() for route in listed[Verdict.MEETS]
        }
        listed[Verdict.MEETS].sort(key=lambda route: -met[route.pk])
        return Report(listed, met)

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


def catalogue_at(moment):
    """The catalogue of published routes for the content as of ``moment``: three queries.

    One thread reads it while the others wait for it: at 10,000 routes it takes
    about a second, and the threads of a worker reading it at once would each
    take as long as all of them together.
    """
    with _reading:
        return _catalogue_at(moment)


_reading = threading.Lock()


@lru_cache(maxsize=1)
def _catalogue_at(moment):
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


def _bitset(positions, size):
    """An integer with bit i set for each i of ``positions`` (all under ``size``)."""
    bitmap = bytearray(size // 8 + 1)
    for i in positions:
        bitmap[i >> 3] |= 1 << (i & 7)
    return int.from_bytes(bitmap, "little")


def _bits(bitset):
    """The positions of the bits set, in increasing order."""
    text = bin(bitset)[:1:-1]  # bit 0 first
    found, at = [], text.find("1")
    while at != -1:
        found.append(at)
        at = text.find("1", at + 1)
    return found


def _union(bitsets):
    union = 0
    for bitset in bitsets:
        union |= bitset
    return union
