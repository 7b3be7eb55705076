"""The content as records: every published route and fact with the source it comes from.

One place turns the models into plain data, for the API (``api``) and the
downloads (``downloads``) alike. A record carries what the route page shows
for each value: the source's number on that page and its reference, kind
and dates, whether sources disagree on the topic, and whether the value is
in force, historical or a draft. Drafts (routes not published) are never
read here.
"""

from django.db.models import Prefetch
from django.utils import timezone

from publishing.meta import SITE_NAME
from routes.facts import group_facts, statement
from routes.models import Document, Fact, Question, Route, Step
from routes.route_page import RoutePage
from routes.vocabulary import SOURCE_KIND_SHORT

# The data's licence: attribution keeps the chain of sources that is the
# data's worth (whoever reuses it names this site, which names its sources).
LICENCE = {
    "name": "CC BY 4.0",
    "url": "https://creativecommons.org/licenses/by/4.0/",
    "note": (
        "The quotes are short passages of the sources' own pages, quoted to show where "
        "each value comes from: their rights stay with their publishers."
    ),
}

# Rows of a page of a list: a fixed maximum, whatever a caller asks for.
PAGE_SIZE = 100


def site_of(request):
    """The site's address as the caller asked for it: what records' addresses start with."""
    return f"{request.scheme}://{request.get_host()}"


def citation(site, day=None):
    """How to cite the data: “Sourced Routes, open data, https://…, retrieved 2026-12-04.”"""
    day = day or timezone.localdate()
    return f"{SITE_NAME}, open data of immigration routes, {site}, retrieved {day.isoformat()}."


def about(site):
    """What every response and download says of itself: licence and citation."""
    return {"licence": LICENCE, "cite_as": citation(site)}


def country_record(country, site):
    return {
        "code": country.code,
        "name": country.name,
        "slug": country.slug,
        "page": site + country.get_absolute_url(),
        "routes": getattr(country, "published_routes", None),
    }


def category_record(category, site):
    return {
        "slug": category.slug,
        "name": category.name,
        "description": category.description,
        "grants_permit": category.grants_permit,
        "comparison": site + category.get_absolute_url(),
        "routes": getattr(category, "published_routes", None),
    }


def route_summary(route, site, api):
    """A route as lists show it: its names, country, category, addresses and last change."""
    return {
        "country": route.country.code,
        "country_name": route.country.name,
        "country_slug": route.country.slug,
        "category": route.category.slug,
        "slug": route.slug,
        "official_name": route.official_name,
        "common_name": route.common_name,
        "code": route.code,
        "summary": route.summary,
        "page": site + route.get_absolute_url(),
        "data": f"{api}routes/{route.country.slug}/{route.slug}",
        "updated_at": route.updated_at.isoformat(),
    }


def source_record(source):
    """A cited source as the route page's list of sources shows it, numbered as there."""
    return {
        "number": source.number,
        "ref": source.ref,
        "publisher": source.publisher,
        "title": source.title,
        "url": source.url,
        "kind": source.kind,
        "kind_label": SOURCE_KIND_SHORT[source.kind],
        "page_date": _day(source.page_date),
        "verified_on": _day(source.verified_on),
        "via_publisher": source.via_publisher,
        "via_url": source.via_url,
        "via_date": _day(source.via_date),
        "quote": source.quote,
        "quote_language": source.quote_language,
    }


def fact_record(fact, disputed):
    """One value of a route, with its source's number and the marks its page shows."""
    return {
        "topic": fact.topic,
        "topic_label": fact.get_topic_display(),
        "statement": statement(fact),
        "text": fact.text,
        "status": fact.status,
        "minimum": _number(fact.minimum),
        "maximum": _number(fact.maximum),
        "exclusive": fact.exclusive,
        "unit": fact.unit,
        "period": fact.period,
        "level": fact.level,
        "pathway": fact.pathway,
        "nationality_rule": fact.nationality_rule,
        "countries": fact.countries.split(),
        "url": fact.url,
        "applies_to": fact.applies_to,
        "standing": fact.standing,
        "as_of": _day(fact.as_of),
        "as_of_year_only": fact.as_of_year_only,
        "disputed": disputed,
        "source": _number_of(fact),
    }


def row_record(row, **fields):
    """A document, step or question: its words, link and source's number."""
    return {**fields, "source": _number_of(row)}


def route_record(page, site, api):
    """Everything a route page states, as data (``page``: a ``RoutePage``)."""
    sources = page.sources  # numbers them as the page does
    disputed = {g.topic for g in group_facts(page.facts) if g.disputed}
    facts = sorted(page.facts, key=lambda f: (f.position, f.pk))
    return {
        **route_summary(page.route, site, api),
        "facts": [fact_record(f, f.topic in disputed) for f in facts],
        "documents": [row_record(d, name=d.name, applies_to=d.applies_to) for d in page.documents],
        "steps": [row_record(s, text=s.text, url=s.url) for s in page.steps],
        "questions": [row_record(q, question=q.question, answer=q.answer) for q in page.questions],
        "sources": [source_record(s) for s in sources],
    }


def pages_of(routes):
    """``RoutePage``s of these published routes, each with its rows and their sources:
    five queries, however many routes."""
    rows = {
        "facts": Fact.objects.select_related("source").order_by("position", "pk"),
        "documents": Document.objects.select_related("source").order_by("position", "pk"),
        "steps": Step.objects.select_related("source").order_by("position", "pk"),
        "questions": Question.objects.select_related("source").order_by("position", "pk"),
    }
    routes = routes.select_related("country", "category").prefetch_related(
        *(Prefetch(name, queryset=queryset) for name, queryset in rows.items())
    )
    for route in routes:
        facts, documents, steps, questions = (list(getattr(route, name).all()) for name in rows)
        _share_sources(facts, documents, steps, questions)
        yield RoutePage(route, facts, documents, steps, questions, others=[])


def published():
    return Route.objects.published().order_by("pk")


def _share_sources(*groups):
    """Rows citing one source share one object, so its number is the same for all."""
    shared = {}
    for group in groups:
        for row in group:
            if row.source_id is not None:
                row.source = shared.setdefault(row.source_id, row.source)


def _number_of(row):
    source = row.source if row.source_id else None
    return source.number if source is not None else None


def _day(value):
    return value.isoformat() if value else None


def _number(value):
    """A bound as a JSON number: an integer when whole."""
    if value is None:
        return None
    return int(value) if value == value.to_integral_value() else float(value)
