"""The home page and the way into the checker."""

import pytest

from .factories import CategoryFactory, CountryFactory, RouteFactory
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
    RouteFactory.create_batch(routes)
    with django_assert_num_queries(MOMENT + 2):
        assert client.get("/").status_code == 200


def test_checker_address_asks_the_questions(client):
    response = client.get("/check/")
    assert response.status_code == 200
    assert "Eligibility checker" in text_of(response)
    assert 'action="/check/questions/"' in response.content.decode()
