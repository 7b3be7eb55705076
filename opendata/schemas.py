"""The shapes of the API's answers, as its OpenAPI document describes them (``api``)."""

from ninja import Schema


class Licence(Schema):
    name: str
    url: str
    note: str


class About(Schema):
    licence: Licence
    cite_as: str


class CountryOut(Schema):
    code: str
    name: str
    slug: str
    page: str
    routes: int | None


class CategoryOut(Schema):
    slug: str
    name: str
    description: str
    grants_permit: bool
    comparison: str
    routes: int | None


class RouteSummaryOut(Schema):
    country: str
    country_name: str
    country_slug: str
    category: str
    slug: str
    official_name: str
    common_name: str
    code: str
    summary: str
    page: str
    data: str
    updated_at: str


class SourceOut(Schema):
    number: int
    ref: str
    publisher: str
    title: str
    url: str
    kind: str
    kind_label: str
    page_date: str | None
    verified_on: str | None
    via_publisher: str
    via_url: str
    via_date: str | None
    quote: str
    quote_language: str


class FactOut(Schema):
    topic: str
    topic_label: str
    statement: str
    text: str
    status: str
    minimum: float | None
    maximum: float | None
    exclusive: bool
    unit: str
    period: str
    level: str
    pathway: str
    nationality_rule: str
    countries: list[str]
    url: str
    applies_to: str
    standing: str
    as_of: str | None
    as_of_year_only: bool
    disputed: bool
    source: int | None


class DocumentOut(Schema):
    name: str
    applies_to: str
    source: int | None


class StepOut(Schema):
    text: str
    url: str
    source: int | None


class QuestionOut(Schema):
    question: str
    answer: str
    source: int | None


class RouteOut(RouteSummaryOut):
    facts: list[FactOut]
    documents: list[DocumentOut]
    steps: list[StepOut]
    questions: list[QuestionOut]
    sources: list[SourceOut]


class ChangeOut(Schema):
    when: str
    text: str
    route: str
    page: str


class Listing(About):
    count: int
    page: int
    pages: int
    next: str | None
    previous: str | None


class CountryList(About):
    results: list[CountryOut]


class CategoryList(About):
    results: list[CategoryOut]


class RouteList(Listing):
    results: list[RouteSummaryOut]


class ChangeList(Listing):
    results: list[ChangeOut]


class RouteAnswer(About):
    route: RouteOut


class Error(Schema):
    detail: str | list
