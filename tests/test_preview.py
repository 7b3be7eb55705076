"""Drafts: editors preview them at their public address; everyone else gets 404."""

import pytest

from .factories import RouteFactory
from .helpers import text_of

pytestmark = pytest.mark.django_db


def test_staff_preview_a_draft_with_banner_noindex_and_no_cache(admin_client):
    draft = RouteFactory(status="draft", official_name="Upcoming permit")
    response = admin_client.get(draft.get_absolute_url())
    assert response.status_code == 200
    text = text_of(response)
    assert "Draft preview. Only editors can see this page: it is not published." in text
    assert "Upcoming permit" in text
    assert '<meta name="robots" content="noindex">' in response.content.decode()
    assert response["X-Robots-Tag"] == "noindex"
    assert "no-cache" in response["Cache-Control"] and "private" in response["Cache-Control"]


def test_anonymous_visitors_get_404_for_a_draft(client):
    draft = RouteFactory(status="draft")
    assert client.get(draft.get_absolute_url()).status_code == 404


def test_published_pages_do_not_vary_by_user(client):
    route = RouteFactory()
    response = client.get(route.get_absolute_url())
    assert response.status_code == 200
    assert "Cookie" not in response.get("Vary", "")
    assert "Draft preview" not in text_of(response)
    assert "csrfmiddlewaretoken" not in response.content.decode()


def test_admin_offers_view_on_site(admin_client):
    # A draft's "View on site" is its preview, at its public address.
    draft = RouteFactory(status="draft")
    page = admin_client.get(f"/admin/routes/route/{draft.pk}/change/").content.decode()
    assert f'<a href="{draft.get_absolute_url()}" class="viewsitelink">Preview</a>' in page
