"""What the results page reads from the database: a constant few queries.

Every route gets a verdict, so every route's requirements are read, but only
as plain rows: model instances for a thousand routes and eight thousand
requirements would cost more than the verdicts themselves. Only the routes
a page shows are read as models, with all their facts and sources, so that
their cards cite sources exactly as the route pages do.
"""

from collections import defaultdict
from typing import NamedTuple

from routes.models import Fact, Route
from routes.vocabulary import CRITERIA, Standing

from . import rules


class Country(NamedTuple):
    pk: int
    name: str


class Listed(NamedTuple):
    """A route as the choice and order of the results need it: no more."""

    pk: int
    official_name: str
    country: Country
    category: str  # the category's slug


_STATED = (
    "route_id",
    "topic",
    "standing",
    "status",
    "pathway",
    "minimum",
    "maximum",
    "unit",
    "period",
    "source_id",
)


class Stated(NamedTuple):
    """A requirement as its verdict needs it: what it states, not how it is cited.

    Reads like a ``Fact`` to ``rules.verdict_of``: ``is_current`` and
    ``value_key`` are the model's own.
    """

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


def listed(routes):
    """The routes, each as a ``Listed``, in the order results list them (one query)."""
    countries = {}
    rows = routes.order_by().values_list(
        "pk", "official_name", "country_id", "country__name", "category__slug"
    )
    return rules.in_listing_order(
        Listed(
            pk,
            name,
            countries.get(country) or countries.setdefault(country, Country(country, country_name)),
            category,
        )
        for pk, name, country, country_name, category in rows
    )


def requirements(routes):
    """{route pk: [Stated, ...]}: the routes' requirements in force (one query).

    Facts not in force never change a verdict (see ``rules.verdict_of``).
    """
    rows = (
        Fact.objects.filter(
            route__in=routes.order_by().values("pk"),
            topic__in=CRITERIA,
            standing=Standing.CURRENT,
        )
        .order_by()
        .values_list(*_STATED)
    )
    by_route = defaultdict(list)
    make = Stated._make
    for row in rows:
        by_route[row[0]].append(make(row))
    return by_route


def shown(pks):
    """The routes a page shows, with country, category, facts and sources (two queries)."""
    routes = Route.objects.filter(pk__in=pks).with_facts()
    return {route.pk: route for route in routes}
