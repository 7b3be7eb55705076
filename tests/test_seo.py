"""Search engines: sitemap, robots.txt, page heads and structured data."""

import re
import xml.etree.ElementTree as ET
from datetime import datetime, timedelta

import extruct
import pytest
import time_machine
from django.utils import timezone
from django.utils.http import http_date

from publishing import freshness
from publishing.models import as_datetime
from routes.models import Country, Route
from routes.sitemaps import SITEMAPS, RouteSitemap

from .factories import CategoryFactory, CountryFactory, FactFactory, RouteFactory
from .helpers import MOMENT

pytestmark = pytest.mark.django_db

SITEMAP_NS = {"s": "http://www.sitemaps.org/schemas/sitemap/0.9"}
INDEX_TAG = "{http://www.sitemaps.org/schemas/sitemap/0.9}sitemapindex"
URLSET_TAG = "{http://www.sitemaps.org/schemas/sitemap/0.9}urlset"
SECTIONS = ["pages", "countries", "compare", "routes"]
FIXED_PAGES = {"/", "/compare/", "/about/", "/changes/", "/check/", "/check/how/"}


def sitemap_xml(client, path):
    """The parsed XML at ``path``, which must be a sitemap file served as XML."""
    response = client.get(path)
    assert response.status_code == 200, path
    assert response["Content-Type"] == "application/xml"
    return ET.fromstring(response.content)


def sitemap_index(client):
    """Each file the index names (its path and query) with its lastmod as a datetime."""
    root = sitemap_xml(client, "/sitemap.xml")
    assert root.tag == INDEX_TAG
    entries = {}
    for entry in root.findall("s:sitemap", SITEMAP_NS):
        lastmod = entry.find("s:lastmod", SITEMAP_NS)
        location = entry.find("s:loc", SITEMAP_NS).text.removeprefix("http://testserver")
        entries[location] = None if lastmod is None else datetime.fromisoformat(lastmod.text)
    return entries


def sitemap_urls(client, section, page=None):
    """The addresses one section (one page of it) lists, each with its lastmod."""
    query = f"?p={page}" if page else ""
    root = sitemap_xml(client, f"/sitemap-{section}.xml{query}")
    assert root.tag == URLSET_TAG
    return {
        url.find("s:loc", SITEMAP_NS).text.removeprefix("http://testserver"): url.find(
            "s:lastmod", SITEMAP_NS
        ).text
        for url in root.findall("s:url", SITEMAP_NS)
    }


def every_sitemap_url(client):
    urls = {}
    for section in SECTIONS:
        urls |= sitemap_urls(client, section)
    return urls


def test_the_sitemap_is_an_index_of_its_sections(client):
    RouteFactory()
    assert set(sitemap_index(client)) == {f"/sitemap-{section}.xml" for section in SECTIONS}


def test_sections_list_exactly_the_public_pages(client):
    route = RouteFactory()
    RouteFactory(status="draft", slug="draft-route")
    CategoryFactory(name="Empty category")
    assert set(sitemap_urls(client, "pages")) == FIXED_PAGES
    assert set(sitemap_urls(client, "countries")) == {route.country.get_absolute_url()}
    assert set(sitemap_urls(client, "compare")) == {route.category.get_absolute_url()}
    urls = sitemap_urls(client, "routes")
    assert set(urls) == {route.get_absolute_url()}
    assert urls[route.get_absolute_url()] == route.updated_at.date().isoformat()


def test_drafts_never_appear_nor_date_a_section(client):
    route = RouteFactory()
    draft_country = CountryFactory(code="IS", name="Iceland", slug="iceland")
    draft_category = CategoryFactory(name="Family")
    drafts = [
        RouteFactory(status="draft", slug="draft-here", country=route.country),
        RouteFactory(status="draft", country=draft_country, category=draft_category),
    ]
    later = timezone.now() + timedelta(days=3)
    Route.objects.filter(pk__in=[d.pk for d in drafts]).update(updated_at=later)
    route.country.refresh_from_db()
    route.category.refresh_from_db()
    urls = every_sitemap_url(client)
    assert not any("draft" in url or "iceland" in url or "/family/" in url for url in urls)
    index = sitemap_index(client)
    assert index["/sitemap-routes.xml"] == route.updated_at
    assert index["/sitemap-pages.xml"] == route.updated_at
    assert index["/sitemap-countries.xml"] == max(route.updated_at, route.country.updated_at)
    assert index["/sitemap-compare.xml"] == max(route.updated_at, route.category.updated_at)


def test_each_section_s_lastmod_is_its_newest_page(client):
    older, newer = RouteFactory(), RouteFactory()
    moved = timezone.now() + timedelta(days=2)
    Country.objects.filter(pk=older.country_id).update(updated_at=moved)
    index = sitemap_index(client)
    assert index["/sitemap-routes.xml"] == newer.updated_at
    assert index["/sitemap-pages.xml"] == newer.updated_at
    assert index["/sitemap-countries.xml"] == moved
    assert sitemap_urls(client, "countries")[older.country.get_absolute_url()] == (
        moved.date().isoformat()
    )


def test_sitemap_lastmod_follows_edits_of_rows(client):
    fact = FactFactory()
    before = sitemap_urls(client, "routes")[fact.route.get_absolute_url()]
    fact.route.refresh_from_db()
    assert before == fact.route.updated_at.date().isoformat()
    fact.text = "changed"
    fact.save()
    fact.route.refresh_from_db()
    assert fact.route.updated_at >= fact.route.created_at
    assert sitemap_index(client)["/sitemap-routes.xml"] == fact.route.updated_at


# Queries besides the moment's. The index: each section's lastmod (one query)
# and, for the three sections built from a query, a count for their pages. A
# section: its count and its items; the fixed pages read only their lastmod.
QUERIES = {
    "/sitemap.xml": 7,
    "/sitemap-pages.xml": 1,
    "/sitemap-countries.xml": 2,
    "/sitemap-compare.xml": 2,
    "/sitemap-routes.xml": 2,
}


@pytest.mark.parametrize("path", QUERIES)
@pytest.mark.parametrize("routes", [3, 30])
def test_sitemap_query_count_is_constant(client, django_assert_num_queries, routes, path):
    RouteFactory.create_batch(routes)
    RouteFactory.create_batch(2, status="draft")
    with django_assert_num_queries(MOMENT + QUERIES[path]):
        assert client.get(path).status_code == 200


@pytest.fixture
def two_to_a_page(monkeypatch):
    monkeypatch.setattr(RouteSitemap, "limit", 2)


def test_a_section_past_its_limit_is_paged_and_the_index_names_every_page(client, two_to_a_page):
    routes = RouteFactory.create_batch(5)
    index = sitemap_index(client)
    pages = ["/sitemap-routes.xml", "/sitemap-routes.xml?p=2", "/sitemap-routes.xml?p=3"]
    assert [entry for entry in index if entry.startswith("/sitemap-routes")] == pages
    assert {index[page] for page in pages} == {max(r.updated_at for r in routes)}
    listed = [list(sitemap_urls(client, "routes", page)) for page in (None, 2, 3)]
    assert [len(urls) for urls in listed] == [2, 2, 1]
    assert sum(listed, []) == [route.get_absolute_url() for route in routes]
    assert list(sitemap_urls(client, "routes", 1)) == listed[0]


@pytest.mark.parametrize("page", ["4", "0", "-1", "two"])
def test_a_page_past_the_end_is_not_found(client, two_to_a_page, page):
    RouteFactory.create_batch(5)
    assert client.get(f"/sitemap-routes.xml?p={page}").status_code == 404


def test_an_unknown_section_is_not_found(client):
    RouteFactory()
    assert client.get("/sitemap-drafts.xml").status_code == 404


def test_every_section_stays_within_the_protocol_s_limits():
    """At most 50,000 addresses and 50 MB a file, with the longest addresses the
    site can have: a host of 253 characters and slugs as long as they may be."""
    route_slug = Route._meta.get_field("slug").max_length
    country_slug = Country._meta.get_field("slug").max_length
    longest = f"https://{'h' * 253}/{'c' * country_slug}/{'r' * route_slug}/"
    entry = f"<url><loc>{longest}</loc><lastmod>2026-12-31</lastmod></url>\n"
    for name, sitemap in SITEMAPS.items():
        assert "limit" in vars(sitemap), f"{name} sets no limit of its own"
        assert sitemap.limit <= 50_000, name
        assert sitemap.limit * len(entry.encode()) < 50 * 1024 * 1024, name


def test_the_index_and_sections_are_dated_by_the_moment_and_answer_304(client):
    RouteFactory()
    moment = http_date(as_datetime(freshness.read()).timestamp())
    for path in QUERIES:
        first = client.get(path)
        assert first["Last-Modified"] == moment, path
        assert first["ETag"], path
        assert client.get(path, HTTP_IF_NONE_MATCH=first["ETag"]).status_code == 304, path
        since = client.get(path, HTTP_IF_MODIFIED_SINCE=first["Last-Modified"])
        assert since.status_code == 304, path


def test_removing_a_route_is_never_answered_with_not_modified(client):
    """No route becomes newer when one is removed: a date taken from the
    routes would stay, and a crawler asking if the list changed since would be
    told it did not."""
    kept, removed = RouteFactory(), RouteFactory()
    Route.objects.filter(pk=kept.pk).update(updated_at=timezone.now() + timedelta(days=1))
    freshness.changed()
    before = client.get("/sitemap-routes.xml")
    with time_machine.travel(timezone.now() + timedelta(minutes=10)):
        removed.delete()
    assert client.get("/sitemap-routes.xml").status_code == 200  # kept by the page cache
    again = client.get("/sitemap-routes.xml", HTTP_IF_MODIFIED_SINCE=before["Last-Modified"])
    assert again.status_code == 200
    assert removed.get_absolute_url() not in again.content.decode()


def test_robots_allows_the_site_and_names_the_sitemap(client):
    text = client.get("/robots.txt").content.decode()
    assert "Allow: /" in text
    assert "Disallow: /admin/" in text
    assert "Disallow: /check/results/" in text
    assert "Disallow: /search/" in text
    assert "Sitemap: http://testserver/sitemap.xml" in text


def test_robots_names_the_index(client):
    RouteFactory()
    text = client.get("/robots.txt").content.decode()
    (line,) = [line for line in text.splitlines() if line.startswith("Sitemap: ")]
    named = sitemap_xml(client, line.removeprefix("Sitemap: ").removeprefix("http://testserver"))
    assert named.tag == INDEX_TAG


def test_robots_for_staging_disallows_everything(client, settings):
    settings.ROBOTS_DISALLOW_ALL = True
    text = client.get("/robots.txt").content.decode()
    assert "Disallow: /\n" in text and "Allow: /\n" not in text


def head_of(response):
    html = response.content.decode()
    return html[: html.index("</head>")]


@pytest.fixture
def pages(db):
    route = RouteFactory(summary="A permit for skilled workers hired by a local employer.")
    FactFactory(route=route, topic="health_insurance", text="valid in-country")
    return {
        "home": "/",
        "hub": route.country.get_absolute_url(),
        "route": route.get_absolute_url(),
        "compare": route.category.get_absolute_url(),
        "compare_index": "/compare/",
        "changes": "/changes/",
    }


@pytest.mark.parametrize("page", ["home", "hub", "route", "compare", "compare_index", "changes"])
def test_every_page_head_has_canonical_description_and_cards(client, pages, page):
    head = head_of(client.get(pages[page]))
    path = pages[page]
    assert f'<link rel="canonical" href="http://testserver{path}">' in head
    description = re.search(r'<meta name="description" content="([^"]*)">', head).group(1)
    assert len(description) > 40
    for tag in ["og:title", "og:description", "og:url", "og:type"]:
        assert f'property="{tag}"' in head
    assert 'name="twitter:card" content="summary"' in head
    assert "noindex" not in head


def test_descriptions_are_written_from_the_record(client, pages):
    head = head_of(client.get(pages["route"]))
    assert "A permit for skilled workers hired by a local employer." in head
    hub = head_of(client.get(pages["hub"]))
    assert "1 route to" in hub


def test_search_results_are_noindex(client, pages):
    assert '<meta name="robots" content="noindex">' in head_of(client.get("/search/?q=permit"))


def structured(response):
    return extruct.extract(
        response.content.decode(), base_url="http://testserver", syntaxes=["json-ld"]
    )["json-ld"]


def test_route_page_has_breadcrumbs_and_faq_json_ld(client, pages):
    data = {item["@type"]: item for item in structured(client.get(pages["route"]))}
    crumbs = data["BreadcrumbList"]["itemListElement"]
    assert [c["position"] for c in crumbs] == [1, 2, 3]
    assert crumbs[0]["item"] == "http://testserver/"
    assert crumbs[2]["item"] == f"http://testserver{pages['route']}"
    assert all(c["name"] for c in crumbs)
    faq = data["FAQPage"]["mainEntity"]
    questions = [q["name"] for q in faq]
    assert "Does this route lead to permanent residence?" in questions
    assert "Do I need health insurance?" in questions
    insurance = faq[questions.index("Do I need health insurance?")]
    assert insurance["@type"] == "Question"
    assert insurance["acceptedAnswer"] == {
        "@type": "Answer",
        "text": "Yes — health insurance is required (valid in-country).",
    }


@pytest.mark.parametrize("page", ["hub", "compare", "compare_index", "changes"])
def test_pages_below_home_have_breadcrumb_json_ld(client, pages, page):
    types = [item["@type"] for item in structured(client.get(pages[page]))]
    assert types == ["BreadcrumbList"]


def test_home_has_no_breadcrumbs(client, pages):
    assert structured(client.get("/")) == []


@pytest.fixture
def site_host(settings):
    """The site lives at example.org; www.example.org is allowed too."""
    settings.SITE_HOST = "example.org"
    settings.ALLOWED_HOSTS = ["example.org", "www.example.org"]


@pytest.mark.parametrize("https", [False, True])
def test_another_allowed_host_is_sent_to_the_site_s_own(client, settings, site_host, https):
    settings.HTTPS = https
    route = RouteFactory()
    response = client.get(
        f"{route.get_absolute_url()}?utm=x", HTTP_HOST="www.example.org", secure=https
    )
    assert response.status_code == 301
    scheme = "https" if https else "http"
    assert response["Location"] == f"{scheme}://example.org{route.get_absolute_url()}?utm=x"


def test_the_site_s_own_host_serves_pages_naming_it(client, site_host):
    route = RouteFactory()
    response = client.get(route.get_absolute_url(), HTTP_HOST="example.org")
    assert response.status_code == 200
    assert f'<link rel="canonical" href="http://example.org{route.get_absolute_url()}">' in (
        response.content.decode()
    )
    assert "www.example.org" not in response.content.decode()


def test_the_health_check_answers_on_any_allowed_host(client, site_host):
    assert client.get("/healthz", HTTP_HOST="www.example.org").status_code == 200


def test_a_host_not_allowed_is_still_a_bad_request(client, site_host):
    assert client.get("/", HTTP_HOST="evil.example.net").status_code == 400
