"""The country hub lists the country's published routes by category."""

import pytest

from .factories import CategoryFactory, CountryFactory, FigureFactory, RouteFactory
from .helpers import MOMENT, text_of

pytestmark = pytest.mark.django_db


def test_hub_groups_published_routes_by_category(client):
    work = CategoryFactory(name="Employer-sponsored work", position=1)
    family = CategoryFactory(name="Family", position=2)
    permit = RouteFactory(category=work, official_name="Work permit")
    RouteFactory(country=permit.country, category=family, official_name="Family visa")
    RouteFactory(country=permit.country, category=work, official_name="Hidden", status="draft")
    FigureFactory(route=permit, minimum=2, maximum=2, unit="days")
    response = client.get(permit.country.get_absolute_url())
    assert response.status_code == 200
    text = text_of(response)
    assert f"Emigrating to {permit.country.in_sentence}" in text
    assert text.index("Employer-sponsored work Work permit") < text.index("Family Family visa")
    assert "Processing time 2 days" in text
    assert "Permanent residence not stated" in text
    assert "Hidden" not in text
    assert "Last verified 24 Jun 2026" in text
    assert "Official portal: not yet recorded" in text


def test_hub_shows_the_portal_and_unverified_routes(client):
    from .factories import CountryFactory, SourceFactory

    country = CountryFactory(
        code="GE",
        portal_name="Labour migration portal",
        portal_url="https://labourmigration.moh.gov.ge",
    )
    route = RouteFactory(country=country)
    FigureFactory(route=route, source=SourceFactory(verified_on=None))
    text = text_of(client.get(country.get_absolute_url()))
    assert "Official portal: Labour migration portal" in text
    assert "Not yet verified" in text


@pytest.mark.parametrize(
    "name, in_sentence",
    [
        ("United Kingdom", "the United Kingdom"),
        ("Netherlands", "the Netherlands"),
        ("Kazakhstan", "Kazakhstan"),
    ],
)
def test_a_country_is_named_as_a_sentence_says_it(client, name, in_sentence):
    country = CountryFactory(code="GB", name=name, slug="somewhere")
    route = RouteFactory(country=country)
    hub = text_of(client.get(country.get_absolute_url()))
    assert f"Emigrating to {in_sentence}" in hub
    page = text_of(client.get(route.get_absolute_url()))
    assert f"More about emigrating to {in_sentence} →" in page
    assert f"Other {name} routes" in page


def test_a_lasting_status_card_says_nothing_of_validity_or_residence(client):
    citizenship = CategoryFactory(name="Citizenship", grants_permit=False)
    route = RouteFactory(category=citizenship, official_name="Citizenship by naturalisation")
    text = text_of(client.get(route.country.get_absolute_url()))
    assert "Citizenship by naturalisation" in text
    assert "Processing time not stated" in text
    assert "Permanent residence" not in text
    assert "Validity" not in text


def test_unknown_country_is_404(client):
    assert client.get("/atlantis/").status_code == 404


def test_a_country_with_only_drafts_has_no_public_page_yet(client, django_assert_num_queries):
    draft = RouteFactory(status="draft")
    # The country, its routes with their facts and verification; then the 404 page's own.
    with django_assert_num_queries(MOMENT + 4):
        response = client.get(draft.country.get_absolute_url())
    assert response.status_code == 404
    assert "0 routes to" not in response.content.decode()
    RouteFactory(country=draft.country)
    assert client.get(draft.country.get_absolute_url()).status_code == 200


@pytest.mark.parametrize("routes", [1, 30])
def test_hub_query_count_is_constant(client, django_assert_num_queries, routes):
    first = RouteFactory()
    for route in [first, *RouteFactory.create_batch(routes - 1, country=first.country)]:
        FigureFactory(route=route)
    with django_assert_num_queries(MOMENT + 3):
        assert client.get(first.country.get_absolute_url()).status_code == 200


def test_the_introduction_opens_the_hub_and_states_no_fact(client, admin_client):
    route = RouteFactory()
    country = route.country
    country.introduction = "Routes to work in the country, from its government's pages."
    country.save()
    text = text_of(client.get(country.get_absolute_url()))
    assert text.index("Routes to work in the country, from its government's pages.") < text.index(
        "Published routes, by purpose."
    )
    response = admin_client.post(
        f"/admin/routes/country/{country.pk}/change/",
        {
            "code": country.code,
            "name": country.name,
            "slug": country.slug,
            "portal_name": "",
            "portal_url": "",
            "introduction": "Work permits, valid for 2 years.",
        },
    )
    assert response.status_code == 200
    assert "it states no figure or requirement (found: “valid for”, “2”)" in (
        response.content.decode()
    )
