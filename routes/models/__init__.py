"""Countries, categories, routes and every sourced fact on a route page.

- ``countries``: Country and Category.
- ``routes``: Route, with its querysets (the publish rule, lists, review),
  and Source, the cited passage every fact points at.
- ``rows``: what a route page lists, each row citing its Source: Fact (with
  its views Requirement, Fee and Figure), Document, Step and Question.
- ``rates``: ReferenceRate, the sourced exchange rates the checker converts with.
- ``editorial``: what the site keeps beside the content: Change (an edit in
  words) and its Review (approved or undone by a publisher), OldAddress (a
  moved page), ErrorReport (a visitor's report) and FixtureLoad (when
  fixtures/ was last loaded).
- ``checks``: SourceCheck, one fetch of a source's page: is the quote still there?
"""

from ..vocabulary import RouteStatus
from .checks import CheckOutcome, SourceCheck, checks_for_route, with_latest_check
from .countries import (
    Category,
    Country,
    takes_the,
    validate_country_code,
    validate_country_slug,
)
from .editorial import (
    Change,
    ErrorReport,
    FixtureLoad,
    OldAddress,
    ReportStatus,
    Review,
    ReviewVerdict,
)
from .rates import ReferenceRate
from .routes import Route, Source, validate_https, validate_not_future
from .rows import Document, Fact, Fee, Figure, Question, Requirement, RouteChild, Step

# Everything a public page shows: a save or delete of any of these is a change.
CONTENT_MODELS = [
    Country,
    Category,
    Source,
    Route,
    Fact,
    Requirement,
    Fee,
    Figure,
    Document,
    Step,
    Question,
    ReferenceRate,
]

__all__ = [
    "CONTENT_MODELS",
    "Category",
    "Change",
    "CheckOutcome",
    "Country",
    "Document",
    "ErrorReport",
    "Fact",
    "Fee",
    "Figure",
    "FixtureLoad",
    "OldAddress",
    "Question",
    "ReferenceRate",
    "ReportStatus",
    "Review",
    "Requirement",
    "Route",
    "RouteChild",
    "RouteStatus",
    "Source",
    "SourceCheck",
    "Step",
    "ReviewVerdict",
    "checks_for_route",
    "takes_the",
    "validate_country_code",
    "validate_country_slug",
    "validate_https",
    "validate_not_future",
    "with_latest_check",
]
