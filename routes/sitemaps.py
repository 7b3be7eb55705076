"""The sitemap: an index of sections, each listing public pages with the moment they last changed.

``/sitemap.xml`` is a sitemap index (django.contrib.sitemaps' ``index`` view):
a crawler reads one small file and finds a section per kind of page at a
stable address, ``/sitemap-<section>.xml``, paged with ``?p=2`` past its
``limit``. One file may hold at most 50,000 addresses and 50 MB (the
sitemaps protocol); the index keeps every section under both at any amount
of content. Each section's entry in the index carries its ``lastmod``: the
newest change among its pages, read in one query. No drafts, no results.
"""

from functools import cached_property, wraps

from django.contrib.sitemaps import Sitemap
from django.contrib.sitemaps import views as sitemap_views
from django.db.models import Max, Q
from django.urls import reverse

from .models import Category, Country, Route, RouteStatus

PUBLISHED = Q(routes__status=RouteStatus.PUBLISHED)


def newest_change(queryset):
    """The newest change among countries or categories that have published routes,
    and those routes: one query, however many there are."""
    found = queryset.filter(PUBLISHED).aggregate(
        own=Max("updated_at"), routes=Max("routes__updated_at")
    )
    return max((value for value in found.values() if value), default=None)


def with_newest_route(queryset):
    """Those with a published route, each with its newest published route's last change."""
    return queryset.annotate(newest=Max("routes__updated_at", filter=PUBLISHED)).filter(
        newest__isnull=False
    )


class PageSitemap(Sitemap):
    """The fixed pages; their last change is the newest published route's."""

    # A handful of pages: one page of the section whatever the content.
    limit = 100

    def items(self):
        return [
            "routes:home",
            "routes:compare_index",
            "routes:about",
            "routes:changes",
            "eligibility:check",
            "eligibility:how",
        ]

    def location(self, item):
        return reverse(item)

    def lastmod(self, item):
        return self.newest

    def get_latest_lastmod(self):
        return self.newest

    @cached_property
    def newest(self):
        return Route.objects.published().aggregate(newest=Max("updated_at"))["newest"]


class CountrySitemap(Sitemap):
    # The world has fewer than 250 countries: always one page.
    limit = 1000

    def items(self):
        return with_newest_route(Country.objects.all()).order_by("name")

    def lastmod(self, country):
        return max(country.newest, country.updated_at)

    def get_latest_lastmod(self):
        return newest_change(Country.objects.all())


class CategorySitemap(Sitemap):
    # Categories are a short editorial list: always one page.
    limit = 1000

    def items(self):
        return with_newest_route(Category.objects.all()).order_by("position", "name")

    def lastmod(self, category):
        return max(category.newest, category.updated_at)

    def get_latest_lastmod(self):
        return newest_change(Category.objects.all())


class RouteSitemap(Sitemap):
    # 10,000 addresses a page, a fifth of the protocol's 50,000: a page is
    # built in one request and kept whole in each worker's page cache and in
    # Redis, so it stays near 1 MB (about 100 bytes an address) and under a
    # second of work, far below the 50 MB a file may weigh.
    limit = 10_000

    def items(self):
        return (
            Route.objects.published()
            .select_related("country")
            .only("slug", "updated_at", "country__slug")
            .order_by("id")
        )

    def lastmod(self, route):
        return route.updated_at

    def get_latest_lastmod(self):
        return Route.objects.published().aggregate(newest=Max("updated_at"))["newest"]


SITEMAPS = {
    "pages": PageSitemap,
    "countries": CountrySitemap,
    "compare": CategorySitemap,
    "routes": RouteSitemap,
}


def dated_by_the_moment(view):
    """A sitemap view whose response is dated like every public page: by the moment
    content last changed (``public_page`` sets Last-Modified from it).

    Django's views date a sitemap by its newest item. Removing or unpublishing
    a route changes the list without making any item newer, so that date
    would stay put, and the page cache would answer a crawler's
    If-Modified-Since with a 304 for a list that has changed.
    """

    @wraps(view)
    def dated(request, *args, **kwargs):
        response = view(request, *args, **kwargs)
        if response.has_header("Last-Modified"):
            del response["Last-Modified"]
        return response

    return dated


index = dated_by_the_moment(sitemap_views.index)
section = dated_by_the_moment(sitemap_views.sitemap)
