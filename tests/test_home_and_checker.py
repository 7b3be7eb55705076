"""The home page and the way into the checker."""

import datetime

import pytest
from django.utils import timezone

from routes.models import Change

from .factories import (
    CategoryFactory,
    CountryFactory,
    FactFactory,
    FeeFactory,
    RouteFactory,
    SourceFactory,
)
from .helpers import MOMENT, text_of

pytestmark = pytest.mark.django_db


def test_home_lists_countries_with_published_routes(client):
    route = RouteFactory()
    RouteFactory(country=route.country)
    RouteFactory(status="draft")  # a country with only a draft is not listed
    response = client.get("/")
    assert response.status_code == 200
    text = text_of(response)
    assert f"{route.country.name} 2 routes" in text
    assert "Employer-sponsored work" in text
    assert 'href="/check/"' in response.content.decode()
    assert 'action="/search/"' in response.content.decode()
    assert 'href="/compare/employer-sponsored-work/"' in response.content.decode()
    # Pages without a disclaimer of their own carry the site footer's.
    assert "Informational only, not legal or immigration advice." in text


def test_home_lists_countries_by_name_and_categories_in_their_order(client):
    # Codes in another order than names: a grouped query may come back in code order.
    for code, name in [("AA", "Zambia"), ("ZZ", "Albania"), ("MM", "Mexico")]:
        RouteFactory(country=CountryFactory(code=code, name=name))
    RouteFactory(category=CategoryFactory(name="Study", position=2))
    RouteFactory(category=CategoryFactory(name="Family", position=1))
    text = text_of(client.get("/"))
    assert text.index("Albania") < text.index("Mexico") < text.index("Zambia")
    assert text.index("Family") < text.index("Study")


@pytest.mark.parametrize("routes", [1, 20])
def test_home_query_count_is_constant(client, django_assert_num_queries, routes):
    for route in RouteFactory.create_batch(routes):
        FactFactory(route=route)  # a change, and a verified source
    # Countries, categories, recently changed, recently verified.
    with django_assert_num_queries(MOMENT + 4):
        assert client.get("/").status_code == 200


def test_home_offers_purposes_the_checker_and_the_latest_verified_and_changed(client):
    today = timezone.localdate()
    older = FactFactory(source=SourceFactory(verified_on=today - datetime.timedelta(days=30)))
    newer = FactFactory(source=SourceFactory(verified_on=today - datetime.timedelta(days=2)))
    unverified = FactFactory(source=SourceFactory(verified_on=None)).route
    Change.objects.all().delete()
    FeeFactory(route=older.route, text="Application", minimum=10, unit="EUR", source=older.source)
    text = text_of(client.get("/"))
    assert "What you want to do Employer-sponsored work" in text
    assert "Check your eligibility →" in text
    verified = text[text.index("Recently verified") : text.index("Recently changed")]
    assert verified.index(newer.route.short_name) < verified.index(older.route.short_name)
    assert unverified.short_name not in verified
    changed = text[text.index("Recently changed") :]
    assert f"{older.route.short_name} {older.route.country.name}" in changed
    assert "Fee “Application” added: 10 EUR" in changed


def test_a_fresh_site_says_why_nothing_is_listed_as_changed(client):
    FactFactory(source=SourceFactory(verified_on=None))
    Change.objects.all().delete()  # as after loading the content
    text = text_of(client.get("/"))
    assert "No route's sources have been verified by an editor yet." in text
    assert "Nothing has changed since the routes were published." in text
    changes = text_of(client.get("/changes/"))
    assert "Nothing has changed since the routes were published. When an editor" in changes


def test_checker_address_asks_the_questions(client):
    response = client.get("/check/")
    assert response.status_code == 200
    assert "Eligibility checker" in text_of(response)
    assert 'action="/check/questions/"' in response.content.decode()
