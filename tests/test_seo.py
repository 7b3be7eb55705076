"""Search engines: sitemap, robots.txt, page heads and structured data."""

import re
import xml.etree.ElementTree as ET

import extruct
import pytest

from .factories import CategoryFactory, FactFactory, RouteFactory
from .helpers import MOMENT

pytestmark = pytest.mark.django_db

SITEMAP_NS = {"s": "http://www.sitemaps.org/schemas/sitemap/0.9"}


def sitemap_urls(client):
    response = client.get("/sitemap.xml")
    assert response.status_code == 200
    root = ET.fromstring(response.content)
    return {
        url.find("s:loc", SITEMAP_NS).text.removeprefix("http://testserver"): url.find(
            "s:lastmod", SITEMAP_NS
        ).text
        for url in root.findall("s:url", SITEMAP_NS)
    }


def test_sitemap_lists_exactly_the_public_pages(client):
    route = RouteFactory()
    RouteFactory(status="draft", slug="draft-route")
    CategoryFactory(name="Empty category")
    urls = sitemap_urls(client)
    assert set(urls) == {
        "/",
        "/compare/",
        "/about/",
        "/changes/",
        "/check/",
        "/check/how/",
        route.country.get_absolute_url(),
        route.category.get_absolute_url(),
        route.get_absolute_url(),
    }
    assert urls[route.get_absolute_url()] == route.updated_at.date().isoformat()


def test_sitemap_lastmod_follows_edits_of_rows(client):
    fact = FactFactory()
    before = sitemap_urls(client)[fact.route.get_absolute_url()]
    fact.route.refresh_from_db()
    assert before == fact.route.updated_at.date().isoformat()
    fact.text = "changed"
    fact.save()
    fact.route.refresh_from_db()
    assert fact.route.updated_at >= fact.route.created_at


@pytest.mark.parametrize("routes", [2, 30])
def test_sitemap_query_count_is_constant(client, django_assert_num_queries, routes):
    RouteFactory.create_batch(routes)
    # Per section: a count for pagination and the items (the fixed pages need one).
    with django_assert_num_queries(MOMENT + 7):
        assert client.get("/sitemap.xml").status_code == 200


def test_robots_allows_the_site_and_names_the_sitemap(client):
    text = client.get("/robots.txt").content.decode()
    assert "Allow: /" in text
    assert "Disallow: /admin/" in text
    assert "Disallow: /check/results/" in text
    assert "Disallow: /search/" in text
    assert "Sitemap: http://testserver/sitemap.xml" in text


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
