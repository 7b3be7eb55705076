"""The About and method page, the site's name, and the links that lead to them."""

import pytest

from routes.vocabulary import MARKS, SOURCE_KIND_MEANING, SourceKind

from .factories import FactFactory, RouteFactory, SourceFactory
from .helpers import MOMENT, source_entry, text_of

pytestmark = pytest.mark.django_db


def test_about_explains_every_kind_of_source_and_every_mark(client, settings):
    settings.REVIEW_AFTER_DAYS = 120
    response = client.get("/about/")
    assert response.status_code == 200
    text = text_of(response)
    for kind in SourceKind:
        assert f"{kind.label} {SOURCE_KIND_MEANING[kind]}" in text
    for _, mark, meaning in MARKS:
        assert f"{mark} {meaning}" in text
    for mark in ("Verified on a date", "Not stated", "Sources disagree", "Historical", "Draft"):
        assert mark in text
    assert "A source is due for re-verification 120 days after an editor last checked it." in text
    assert "Report an error on this page" in text
    assert "It is not a government site" in text


def test_each_kind_has_an_anchor_the_route_page_links_its_badge_to(client):
    fact = FactFactory(source=SourceFactory(kind="secondary"))
    about = client.get("/about/").content.decode()
    for kind in SourceKind:
        assert f'id="kind-{kind.value}"' in about
    route_page = client.get(fact.route.get_absolute_url()).content.decode()
    assert 'href="/about/#kind-secondary"' in route_page


@pytest.mark.parametrize("path", ["/", "/about/", "/search/", "/check/", "/compare/"])
def test_every_page_names_the_site_and_links_to_about_in_its_footer(client, path):
    RouteFactory()
    response = client.get(path)
    html = response.content.decode()
    assert "· Sourced Routes</title>" in html
    assert '<meta property="og:site_name" content="Sourced Routes">' in html
    footer = html[html.index('<footer class="site-footer">') :]
    assert '<a href="/about/">About and method</a>' in footer
    assert '<a href="/changes/">What changed</a>' in footer
    header = text_of(response)[:200]
    assert (
        "Sourced Routes Visa, work permit and residence routes, every fact with its dated source."
        in header
    )


def test_the_route_page_links_to_about_and_explains_the_unlabelled_number(client):
    fact = FactFactory()
    response = client.get(fact.route.get_absolute_url())
    text = text_of(response)
    assert "Official sources are the standard and carry no label; others are labelled." in text
    assert 'href="/about/">How sources are chosen and checked' in response.content.decode()
    assert "Official" in source_entry(response, 1)


def test_the_main_navigation_holds_what_a_visitor_uses_most(client):
    html = client.get("/about/").content.decode()
    nav = html[html.index('<nav aria-label="Main">') : html.index("</nav>")]
    for label in ("Countries", "Compare", "Eligibility checker", "Search", "About"):
        assert f">{label}</a>" in nav
    assert "What changed" not in nav


def test_about_query_count(client, django_assert_num_queries):
    with django_assert_num_queries(MOMENT):
        assert client.get("/about/").status_code == 200


def test_about_is_in_the_sitemap(client):
    RouteFactory()
    assert "/about/</loc>" in client.get("/sitemap-pages.xml").content.decode()


def test_where_labels_are_explained_they_lead_to_about(client):
    route = RouteFactory()
    compare = client.get(route.category.get_absolute_url()).content.decode()
    assert '<a href="/about/">What the labels mean</a>' in compare
    how = client.get("/check/how/").content.decode()
    assert '<a href="/about/">About and method</a>.</p>' in how
