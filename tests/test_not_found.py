"""The friendly 404 page."""

import pytest

from .factories import RouteFactory
from .helpers import text_of

pytestmark = pytest.mark.django_db


def test_404_has_the_search_box_and_the_countries(client):
    route = RouteFactory()
    response = client.get("/nowhere-at-all/really/")
    assert response.status_code == 404
    text = text_of(response)
    assert "Page not found" in text
    assert 'action="/search/"' in response.content.decode()
    assert route.country.name in text


@pytest.mark.parametrize("count", [1, 20])
def test_not_found_page_query_count_is_constant(client, django_assert_num_queries, count):
    RouteFactory.create_batch(count)
    with django_assert_num_queries(2):  # the countries it suggests; the moved addresses
        assert client.get("/nowhere/at/all/").status_code == 404


def test_a_draft_route_found_missing_is_found_once_published(client):
    """No cache keeps the 404 longer than a page: publishing is an edit too."""
    route = RouteFactory(status="draft")
    missing = client.get(route.get_absolute_url())
    assert missing.status_code == 404
    directives = {d.strip() for d in missing["Cache-Control"].split(",")}
    assert directives == {"public", "max-age=0", "s-maxage=1", "must-revalidate"}
    route.status = "published"
    route.save()
    assert client.get(route.get_absolute_url()).status_code == 200
