"""Public pages are cheap to re-fetch and fresh after any edit."""

import pytest

from .factories import RouteFactory, route_processed_in
from .helpers import text_of

pytestmark = pytest.mark.django_db


@pytest.fixture
def route(db):
    return route_processed_in(5)


def test_public_pages_send_validators_and_let_no_cache_keep_them_long(client, route):
    pages = [route.get_absolute_url(), route.country.get_absolute_url()]
    for url in ["/", *pages, "/sitemap.xml", "/sitemap-routes.xml"]:
        response = client.get(url)
        assert response.status_code == 200, url
        assert response["ETag"], url
        assert response["Last-Modified"], url
        # Shared caches (nginx, a CDN) may keep it a second; browsers check
        # back each time; no cache may serve it stale: an edit shows at once.
        directives = {d.strip() for d in response["Cache-Control"].split(",")}
        assert directives == {"public", "max-age=0", "s-maxage=1", "must-revalidate"}, url


def test_matching_validators_answer_304(client, route):
    first = client.get(route.get_absolute_url())
    again = client.get(route.get_absolute_url(), HTTP_IF_NONE_MATCH=first["ETag"])
    assert again.status_code == 304
    since = client.get(route.get_absolute_url(), HTTP_IF_MODIFIED_SINCE=first["Last-Modified"])
    assert since.status_code == 304


def test_an_edit_changes_the_etag_and_the_next_page_shows_it(client, route):
    first = client.get(route.get_absolute_url())
    assert "5 days" in text_of(first)
    figure = route.facts.get()
    figure.minimum = figure.maximum = 2
    figure.save()
    after = client.get(route.get_absolute_url(), HTTP_IF_NONE_MATCH=first["ETag"])
    assert after.status_code == 200
    assert after["ETag"] != first["ETag"]
    assert "2 days" in text_of(after)


def test_admin_and_previews_are_private(admin_client, route):
    response = admin_client.get("/admin/")
    assert "private" in response["Cache-Control"] or "no-cache" in response["Cache-Control"]
    draft = RouteFactory(status="draft")
    preview = admin_client.get(draft.get_absolute_url())
    assert "private" in preview["Cache-Control"] and "no-store" in preview["Cache-Control"]
