"""Routes in lists and tables: the country hub and the comparison."""

from dataclasses import dataclass
from itertools import groupby

from django.utils.functional import cached_property

from .facts import FactGroup, group_facts
from .vocabulary import FigureTopic


@dataclass
class RouteSummary:
    """A route with its key figures, read from its prefetched facts."""

    route: object

    @cached_property
    def _figures(self):
        groups = group_facts(self.route.facts.all(), set(FigureTopic.values))
        return {g.topic: g for g in groups}

    def figure(self, topic):
        return self._figures.get(topic) or FactGroup(topic)

    @property
    def processing(self):
        return self.figure(FigureTopic.PROCESSING_TIME)

    @property
    def validity(self):
        return self.figure(FigureTopic.VALIDITY)

    @property
    def permanent_residence(self):
        return self.figure(FigureTopic.PERMANENT_RESIDENCE)


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


def comparison_rows(routes):
    """One row per route of a category, by country."""
    return [
        RouteSummary(r) for r in sorted(routes, key=lambda r: (r.country.name, r.official_name))
    ]
