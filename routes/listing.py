"""Routes in lists and tables: the country hub and the category comparison."""

from dataclasses import dataclass
from decimal import Decimal
from itertools import groupby

from django.db.models import Case, DecimalField, F, OuterRef, Subquery, Value, When
from django.db.models.functions import Coalesce
from django.utils.functional import cached_property

from .facts import FactGroup, group_facts, joined
from .models import Country, Fact, Route
from .search import Casefold
from .vocabulary import DAYS_PER_UNIT, FEE, Criterion, FigureTopic, Pathway, Standing, Status


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

    def silent_on(self, criteria):
        """Of these criteria, those the route's sources say nothing about, in words."""
        silent = [g.label.lower() for g in self.criteria(criteria) if not g.facts]
        return joined(silent) if silent else ""


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
#
# The database sorts a category's routes and a page reads only its own rows:
# however many routes a category has, a page of the table costs the same.
# Each sort reads the value the table shows: the first current fact of a
# topic in the order the route's page lists them (``facts.newest_first``).


def _first_current(topic, value):
    """``value`` of the route's first current fact of ``topic``, newest first."""
    facts = Fact.objects.filter(
        route=OuterRef("pk"), topic=topic, standing=Standing.CURRENT
    ).order_by(
        Coalesce("as_of", "source__page_date", "source__via_date", "source__verified_on").desc(
            nulls_last=True
        ),
        "position",
    )
    return Subquery(facts.annotate(value=value).values("value")[:1])


# A time figure's length in days, to sort by: the upper bound, else the lower.
_DAYS = Case(
    *(
        When(unit=unit, then=Coalesce("maximum", "minimum") * Value(Decimal(str(days))))
        for unit, days in DAYS_PER_UNIT.items()
    ),
    output_field=DecimalField(),
)
# Leads to permanent residence, then indirectly, then not; unstated last.
_PATHWAY_RANK = Case(
    When(pathway=Pathway.YES, then=Value(0)),
    When(pathway=Pathway.INDIRECT, then=Value(1)),
    When(pathway=Pathway.NO, then=Value(2)),
    default=Value(3),
)


@dataclass(frozen=True)
class Sort:
    key: str
    label: str
    order: tuple = ()  # what the routes are ordered by, before country and name

    def apply(self, routes):
        return routes.order_by(*self.order, "country__name", "official_name", "pk")


SORTS = {
    sort.key: sort
    for sort in [
        Sort("country", "Country"),
        Sort("route", "Route", (Casefold("official_name"),)),
        Sort(
            "processing",
            "Processing time, shortest first",
            (_first_current(FigureTopic.PROCESSING_TIME, _DAYS).asc(nulls_last=True),),
        ),
        Sort(
            "validity",
            "Validity, longest first",
            (_first_current(FigureTopic.VALIDITY, _DAYS).desc(nulls_last=True),),
        ),
        Sort(
            "residence",
            "Path to permanent residence",
            (Coalesce(_first_current(FigureTopic.PERMANENT_RESIDENCE, _PATHWAY_RANK), 3),),
        ),
        Sort(
            "verified",
            "Last verified, newest first",
            (F("verified_oldest").desc(nulls_last=True),),
        ),
    ]
}
DEFAULT_SORT = "country"


@dataclass
class Comparison:
    """A category's routes in the order chosen, and the criteria that they state."""

    category: object
    published: object  # the category's published routes
    sort: Sort

    @cached_property
    def order(self):
        """The routes' keys, sorted: what a page of the table counts and cuts."""
        routes = self.published.with_verification()  # read only if the sort needs it
        return self.sort.apply(routes).values_list("pk", flat=True)

    def rows(self, keys):
        """The routes of these keys, in their order, with what their rows show.

        Read apart from the sort, so that what a row shows (its facts, its
        sources' verification) is read for the page's rows only, not for
        every route before them in the order.
        """
        routes = self.published.with_facts().with_verification().in_bulk(keys)
        return [routes[key] for key in keys if key in routes]

    @cached_property
    def _stated(self):
        """The topics some route of the category states, read once for every page of the table.

        A fact saying the sources are silent ("not stated") states nothing.
        """
        facts = Fact.objects.filter(route__in=self.published).exclude(status=Status.NOT_STATED)
        # No ordering: DISTINCT would take in the ordering's columns, a row per fact.
        return set(facts.order_by().values_list("topic", flat=True).distinct())

    @cached_property
    def criteria(self):
        """The table's requirement columns: every criterion a route of the category states."""
        return [c for c in Criterion if c.value in self._stated]

    @property
    def shows_renewal(self):
        """A permit's renewal gets a column when a route of the category states one."""
        return self.category.grants_permit and FigureTopic.RENEWAL in self._stated

    @cached_property
    def unstated(self):
        """What no route of the category states: left out of the table, and named under it."""
        renewal = self.category.grants_permit and not self.shows_renewal
        topics = [FigureTopic.RENEWAL] if renewal else []
        topics += [c for c in Criterion if c.value not in self._stated]
        return joined(topic.label.lower() for topic in topics) if topics else ""

    @cached_property
    def countries(self):
        return list(
            Country.objects.filter(routes__in=self.published)
            .distinct()
            .order_by("name")
            .values_list("name", flat=True)
        )


# Sorts by what only a permit or visa has: not offered for a lasting status
# such as citizenship (Category.grants_permit), whose table has no such columns.
PERMIT_SORTS = {"validity", "residence"}


def sorts_for(category):
    return {
        key: sort
        for key, sort in SORTS.items()
        if category.grants_permit or key not in PERMIT_SORTS
    }


def comparison(category, sort_key):
    """The category's published routes, sorted by one of its sorts (else the default)."""
    routes = Route.objects.published().filter(category=category)
    return Comparison(category, routes, sorts_for(category).get(sort_key) or SORTS[DEFAULT_SORT])
