"""Atom feeds of what changed: every published route, or one country's."""

from django.contrib.syndication.views import Feed
from django.shortcuts import get_object_or_404
from django.urls import reverse
from django.utils.feedgenerator import Atom1Feed

from publishing.meta import SITE_NAME

from .models import Change, Country

FEED_ITEMS = 50


class ChangesFeed(Feed):
    feed_type = Atom1Feed
    title = f"What changed: {SITE_NAME}"
    subtitle = "Every change to a published route page, generated from the edit history."

    def link(self):
        return reverse("routes:changes")

    def items(self):
        return Change.objects.public().select_related("route", "route__country")[:FEED_ITEMS]

    def item_title(self, change):
        return f"{change.route.country.name} · {change.route.official_name}: {change.text}"

    def item_description(self, change):
        return f"{change.text} ({change.when:%Y-%m-%d})."

    def item_link(self, change):
        return change.route.get_absolute_url()

    def item_guid(self, change):
        return f"change-{change.kind}-{change.history_id}"

    item_guid_is_permalink = False

    def item_pubdate(self, change):
        return change.when

    def item_updateddate(self, change):
        return change.when


class CountryChangesFeed(ChangesFeed):
    def get_object(self, request, country_slug):
        return get_object_or_404(Country, slug=country_slug)

    def title(self, country):
        return f"What changed: {country.name} immigration routes"

    def link(self, country):
        return country.get_absolute_url()

    def items(self, country):
        return (
            Change.objects.public()
            .filter(route__country=country)
            .select_related("route", "route__country")[:FEED_ITEMS]
        )
