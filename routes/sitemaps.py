"""The sitemap: every public page, with the moment it last changed; no drafts, no results."""

from django.contrib.sitemaps import Sitemap
from django.db.models import Max, Q
from django.urls import reverse

from .models import Category, Country, Route, RouteStatus

PUBLISHED = Q(routes__status=RouteStatus.PUBLISHED)


class PageSitemap(Sitemap):
    """The fixed pages; their last change is the newest published route's."""

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
        return self._newest

    def get_urls(self, *args, **kwargs):
        self._newest = Route.objects.published().aggregate(m=Max("updated_at"))["m"]
        return super().get_urls(*args, **kwargs)


class CountrySitemap(Sitemap):
    def items(self):
        return (
            Country.objects.annotate(newest=Max("routes__updated_at", filter=PUBLISHED))
            .filter(newest__isnull=False)
            .order_by("name")
        )

    def lastmod(self, country):
        return max(country.newest, country.updated_at)


class CategorySitemap(Sitemap):
    def items(self):
        return (
            Category.objects.annotate(newest=Max("routes__updated_at", filter=PUBLISHED))
            .filter(newest__isnull=False)
            .order_by("position", "name")
        )

    def lastmod(self, category):
        return max(category.newest, category.updated_at)


class RouteSitemap(Sitemap):
    limit = 5000

    def items(self):
        return Route.objects.published().select_related("country").order_by("id")

    def lastmod(self, route):
        return route.updated_at


SITEMAPS = {
    "pages": PageSitemap,
    "countries": CountrySitemap,
    "compare": CategorySitemap,
    "routes": RouteSitemap,
}
