"""The first form of the category comparison: one row per published route."""

import pytest

from .factories import CategoryFactory, CountryFactory, FactFactory, FigureFactory, RouteFactory
from .helpers import text_of

pytestmark = pytest.mark.django_db


def test_comparison_has_a_row_per_published_route_across_countries(client):
    category = CategoryFactory()
    kz = RouteFactory(
        category=category, official_name="Labour permit", country=CountryFactory(code="KZ")
    )
    ae = RouteFactory(
        category=category, official_name="UAE permit", country=CountryFactory(code="AE")
    )
    RouteFactory(category=category, official_name="Draft permit", status="draft")
    FigureFactory(route=kz, minimum=2, maximum=2, unit="days")
    FactFactory(route=ae, topic="permanent_residence", status="", pathway="no")
    response = client.get(category.get_absolute_url())
    assert response.status_code == 200
    text = text_of(response)
    assert "Employer-sponsored work: 2 published routes, by country" in text
    assert "Kazakhstan Labour permit 2 days source not stated" in text
    assert "United Arab Emirates UAE permit not stated Does not lead directly" in text
    assert "Draft permit" not in text


def test_unknown_category_is_404(client):
    assert client.get("/compare/nothing/").status_code == 404


@pytest.mark.parametrize("routes", [2, 40])
def test_comparison_query_count_is_constant(client, django_assert_num_queries, routes):
    category = CategoryFactory()
    for route in RouteFactory.create_batch(routes, category=category):
        FigureFactory(route=route)
    with django_assert_num_queries(3):
        assert client.get(category.get_absolute_url()).status_code == 200
