"""Changing a slug never breaks a public address: the old one answers 301."""

import pytest

from .factories import RouteFactory

pytestmark = pytest.mark.django_db


def test_a_route_slug_change_redirects_the_old_address(client):
    route = RouteFactory(slug="old-name")
    old_url = route.get_absolute_url()
    route.slug = "new-name"
    route.save()
    response = client.get(old_url)
    assert response.status_code == 301
    assert response["Location"] == route.get_absolute_url()
    assert client.get(route.get_absolute_url()).status_code == 200


def test_a_country_slug_change_redirects_the_hub_and_its_routes(client):
    route = RouteFactory(slug="permit")
    country = route.country
    old_hub, old_route = country.get_absolute_url(), route.get_absolute_url()
    country.slug = "renamed-country"
    country.save()
    route.refresh_from_db()
    assert client.get(old_hub)["Location"] == "/renamed-country/"
    response = client.get(old_route)
    assert response.status_code == 301
    assert response["Location"] == "/renamed-country/permit/"


def test_chains_of_changes_lead_to_the_newest_address(client):
    route = RouteFactory(slug="first")
    first = route.get_absolute_url()
    route.slug = "second"
    route.save()
    country = route.country
    country.slug = "moved-country"
    country.save()
    route.refresh_from_db()
    route.slug = "third"
    route.save()
    assert client.get(first)["Location"] == "/moved-country/third/"


def test_a_drafts_old_address_is_a_404_that_does_not_name_its_new_one(client):
    route = RouteFactory(slug="old-name", status="draft")
    old_url = route.get_absolute_url()
    route.slug = "secret-new-name"
    route.save()
    response = client.get(old_url)
    assert response.status_code == 404
    assert "secret-new-name" not in response.content.decode()
    assert "Location" not in response
    route.status = "published"
    route.save()
    assert client.get(old_url)["Location"] == route.get_absolute_url()


def test_a_country_with_only_drafts_keeps_its_old_address_a_404(client):
    route = RouteFactory(status="draft")
    country = route.country
    old_hub = country.get_absolute_url()
    country.slug = "renamed-country"
    country.save()
    assert client.get(old_hub).status_code == 404
