"""The open data API under /api/v1/: countries, categories, routes, one route in full, changes.

Read-only and public like the pages: every answer goes through
``publishing.pagecache.public_page`` (the same bytes for every anonymous
caller, ETag and Last-Modified from the moment content last changed, 304s,
the pages' Cache-Control, kept until content changes) and is open to any
origin (``open_to_all``). No answer sets a cookie. Lists come a fixed
``PAGE_SIZE`` at a time, in a fixed order (pages are stable until content
changes), and each answer names the data's licence and how to cite it.

Built with django-ninja rather than Django REST framework: the API only
reads, so what it needs is typed query parameters checked before a view
runs, answers described by the same types, and an OpenAPI document made
from them; django-ninja does exactly that in plain functions over Django's
own request and response, which ``public_page`` already wraps, where DRF
would bring its own views, serializers, renderers and settings to do the
same.
"""

import datetime
from urllib.parse import urlencode

from django.core.paginator import Paginator
from django.db.models import Count, Q
from ninja import NinjaAPI, Query
from ninja.decorators import decorate_view
from ninja.errors import HttpError, ValidationError

from publishing.meta import SITE_NAME
from publishing.pagecache import open_to_all, public_page
from routes.models import Category, Change, Country
from routes.vocabulary import RouteStatus

from . import records, schemas

ROOT = "/api/v1/"

api = NinjaAPI(
    title=f"{SITE_NAME} open data",
    version="1",
    description=(
        "Every published immigration route and every fact on it, each with the dated "
        "source it comes from. Read-only, no key, open to any origin. Licence: CC BY 4.0."
    ),
    urls_namespace="api",
    docs_url=None,  # the API's page is the site's own (/api/), with no outside scripts
    openapi_url="/openapi.json",
    openapi_extra={"info": {"license": {"name": "CC BY 4.0", "identifier": "CC-BY-4.0"}}},
)


@api.exception_handler(ValidationError)
def bad_parameters(request, error):
    """A parameter of the wrong type or out of range: 400, with what was wrong."""
    return api.create_response(request, {"detail": error.errors}, status=400)


def _about(request):
    return records.about(records.site_of(request))


def _page(request, queryset, number, params):
    """One page of a list: (the Paginator's page, its links); 404 past the last page."""
    paginator = Paginator(queryset, records.PAGE_SIZE)
    if number > max(1, paginator.num_pages):
        raise HttpError(404, f"There are {paginator.num_pages} pages; page {number} is past them.")
    page = paginator.page(number)

    def link(n):
        query = urlencode([*((k, v) for k, v in params.items() if v), ("page", n)])
        return f"{records.site_of(request)}{request.path}?{query}"

    return page, {
        "count": paginator.count,
        "page": number,
        "pages": paginator.num_pages,
        "next": link(number + 1) if page.has_next() else None,
        "previous": link(number - 1) if page.has_previous() else None,
    }


def _published_count(relation="routes"):
    return Count(relation, filter=Q(**{f"{relation}__status": RouteStatus.PUBLISHED}))


@api.get("/countries", response=schemas.CountryList, summary="Countries with published routes")
@decorate_view(public_page, open_to_all)
def countries(request):
    found = (
        Country.objects.annotate(published_routes=_published_count())
        .filter(published_routes__gt=0)
        .order_by("name")
    )
    site = records.site_of(request)
    return {**_about(request), "results": [records.country_record(c, site) for c in found]}


@api.get("/categories", response=schemas.CategoryList, summary="Categories of routes")
@decorate_view(public_page, open_to_all)
def categories(request):
    found = Category.objects.annotate(published_routes=_published_count()).order_by(
        "position", "name"
    )
    site = records.site_of(request)
    return {**_about(request), "results": [records.category_record(c, site) for c in found]}


@api.get("/routes", response=schemas.RouteList, summary="Published routes, a page at a time")
@decorate_view(public_page(reads=("country", "category", "changed_since", "page")), open_to_all)
def routes(
    request,
    country: str = Query("", description="A country's ISO 3166 code or slug."),
    category: str = Query("", description="A category's slug."),
    changed_since: datetime.date | None = Query(
        None, description="Only routes changed on or after this day (YYYY-MM-DD)."
    ),
    page: int = Query(1, ge=1, le=100_000),
):
    found = records.published().select_related("country", "category")
    if country:
        match = Country.objects.filter(Q(code=country.upper()) | Q(slug=country)).first()
        if match is None:
            raise HttpError(400, f"No country has the code or slug {country!r}.")
        found = found.filter(country=match)
    if category:
        match = Category.objects.filter(slug=category).first()
        if match is None:
            raise HttpError(400, f"No category has the slug {category!r}.")
        found = found.filter(category=match)
    if changed_since:
        found = found.filter(updated_at__date__gte=changed_since)
    params = {"country": country, "category": category, "changed_since": changed_since}
    shown, links = _page(request, found, page, params)
    site = records.site_of(request)
    return {
        **_about(request),
        **links,
        "results": [records.route_summary(r, site, site + ROOT) for r in shown],
    }


@api.get(
    "/routes/{country_slug}/{route_slug}",
    response=schemas.RouteAnswer,
    summary="One route: every fact, document, step and question, with the sources they cite",
)
@decorate_view(public_page, open_to_all)
def route(request, country_slug: str, route_slug: str):
    chosen = records.published().filter(country__slug=country_slug, slug=route_slug)
    page = next(records.pages_of(chosen), None)
    if page is None:
        raise HttpError(404, "No published route has this address.")
    site = records.site_of(request)
    return {**_about(request), "route": records.route_record(page, site, site + ROOT)}


@api.get("/changes", response=schemas.ChangeList, summary="What changed, newest first")
@decorate_view(public_page(reads=("page",)), open_to_all)
def changes(request, page: int = Query(1, ge=1, le=100_000)):
    found = Change.objects.public().select_related("route", "route__country")
    shown, links = _page(request, found.order_by("-when", "-id"), page, {})
    site = records.site_of(request)
    return {
        **_about(request),
        **links,
        "results": [
            {
                "when": c.when.isoformat(),
                "text": c.text,
                "route": c.route.official_name,
                "page": site + c.route.get_absolute_url(),
            }
            for c in shown
        ],
    }
