"""Routes in lists and tables: the country hub and the category comparison."""

import datetime
from dataclasses import dataclass
from itertools import groupby

from django.utils.functional import cached_property

from .facts import FactGroup, approx_days, group_facts
from .vocabulary import FEE, Criterion, FigureTopic, Pathway


@dataclass
class RouteSummary:
    """A route with its key facts, read from its prefetched facts."""

    route: object

    @cached_property
    def _groups(self):
        return group_facts(self.route.facts.all())

    @cached_property
    def _by_topic(self):
        return {g.topic: g for g in self._groups if g.topic != FEE}

    def group(self, topic):
        return self._by_topic.get(topic) or FactGroup(topic)

    @cached_property
    def fees(self):
        return [g for g in self._groups if g.topic == FEE]

    @property
    def processing(self):
        return self.group(FigureTopic.PROCESSING_TIME)

    @property
    def validity(self):
        return self.group(FigureTopic.VALIDITY)

    @property
    def renewal(self):
        return self.group(FigureTopic.RENEWAL)

    @property
    def permanent_residence(self):
        return self.group(FigureTopic.PERMANENT_RESIDENCE)

    def criteria(self, criteria):
        """The route's requirement groups for these criteria, in their order."""
        return [self.group(c) for c in criteria]


@dataclass
class Section:
    category: object
    routes: list


def country_sections(routes):
    """A country's routes grouped by category, in the categories' order."""
    routes = sorted(routes, key=lambda r: (r.category.position, r.category.name, r.official_name))
    return [
        Section(category, [RouteSummary(r) for r in members])
        for category, members in groupby(routes, key=lambda r: r.category)
    ]


# ---------------------------------------------------------------------------
# The comparison table


def _days(group):
    fact = group.first
    days = approx_days(fact) if fact else None
    return (days is None, days or 0)


_PATHWAY_ORDER = {Pathway.YES: 0, Pathway.INDIRECT: 1, Pathway.NO: 2}


def _pathway(group):
    fact = group.first
    return _PATHWAY_ORDER.get(fact.pathway, 3) if fact else 3


def _verified(summary):
    date = summary.route.verified_oldest
    return (date is None, -(date or datetime.date.min).toordinal())


@dataclass(frozen=True)
class Sort:
    key: str
    label: str
    order: object  # RouteSummary -> sortable value


SORTS = {
    sort.key: sort
    for sort in [
        Sort("country", "Country", lambda s: (s.route.country.name, s.route.official_name)),
        Sort("route", "Route", lambda s: s.route.official_name.lower()),
        Sort("processing", "Processing time, shortest first", lambda s: _days(s.processing)),
        Sort("validity", "Validity, longest first", lambda s: _neg(_days(s.validity))),
        Sort("residence", "Path to permanent residence", lambda s: _pathway(s.permanent_residence)),
        Sort("verified", "Last verified, newest first", _verified),
    ]
}
DEFAULT_SORT = "country"


def _neg(key):
    missing, days = key
    return (missing, -days)


@dataclass
class Comparison:
    """One row per route of a category, with the criteria that its routes state."""

    rows: list
    criteria: list
    sort: Sort


def comparison(routes, sort_key):
    rows = [RouteSummary(r) for r in routes]
    stated = {g.topic for row in rows for g in row._groups}
    criteria = [c for c in Criterion if c.value in stated]
    sort = SORTS.get(sort_key) or SORTS[DEFAULT_SORT]
    rows.sort(key=sort.order)
    return Comparison(rows=rows, criteria=criteria, sort=sort)
