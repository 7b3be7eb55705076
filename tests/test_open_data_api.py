"""The open data API: every published route and fact with its source, cached like the pages."""

import datetime
import html
import re

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from openapi_spec_validator import validate

from routes.facts import statement
from routes.models import Route

from .factories import (
    CategoryFactory,
    CountryFactory,
    DocumentFactory,
    FactFactory,
    QuestionFactory,
    RouteFactory,
    SourceFactory,
    StepFactory,
)
from .helpers import MOMENT

pytestmark = pytest.mark.django_db

API = "/api/v1/"


def every_route(client, **params):
    """Every route summary the list gives, page after page."""
    found, url, data = [], API + "routes", params
    while url:
        answer = client.get(url, data).json()
        found += answer["results"]
        url, data = answer["next"], None
    return found


def test_every_published_route_is_there_with_every_fact(client, content):
    listed = every_route(client)
    published = Route.objects.published().select_related("country")
    assert {(r["country_slug"], r["slug"]) for r in listed} == {
        (r.country.slug, r.slug) for r in published
    }
    for route in published:
        answer = client.get(f"{API}routes/{route.country.slug}/{route.slug}").json()["route"]
        facts = sorted(route.facts.all(), key=lambda f: (f.position, f.pk))
        assert [f["statement"] for f in answer["facts"]] == [statement(f) for f in facts]
        assert len(answer["documents"]) == route.documents.count()
        assert len(answer["steps"]) == route.steps.count()
        assert len(answer["questions"]) == route.questions.count()


def test_a_facts_source_is_the_one_its_route_page_cites(client, content):
    route = Route.objects.get(slug="labour-immigrant-work-permit")
    address = f"{API}routes/{route.country.slug}/{route.slug}"
    answer = client.get(address).json()["route"]
    page = client.get(route.get_absolute_url()).content.decode()
    sources = {s["number"]: s for s in answer["sources"]}
    cited = [f for f in answer["facts"] if f["source"] is not None]
    assert cited
    for fact in cited:
        source = sources[fact["source"]]
        found = re.search(rf'<li id="source-{fact["source"]}">(.*?)</li>', page, flags=re.S)
        listed = html.unescape(found.group(1))
        assert source["title"] in listed
        assert source["publisher"] in listed


def test_a_value_carries_its_source_kind_dates_and_marks(client):
    route = RouteFactory()
    official = SourceFactory(page_date=datetime.date(2026, 5, 1))
    secondary = SourceFactory(kind="secondary", publisher="Law firm", verified_on=None)
    FactFactory(route=route, topic="age", minimum=18, maximum=60, source=official)
    FactFactory(route=route, topic="age", minimum=21, maximum=60, source=secondary, position=2)
    FactFactory(
        route=route,
        topic="fee",
        status="",
        text="Fee",
        minimum=100,
        unit="USD",
        standing="historical",
        as_of=datetime.date(2023, 1, 1),
        source=official,
        position=3,
    )
    answer = client.get(f"{API}routes/{route.country.slug}/{route.slug}").json()["route"]
    ages = [f for f in answer["facts"] if f["topic"] == "age"]
    assert [f["disputed"] for f in ages] == [True, True]  # the page says "Sources disagree"
    (fee,) = [f for f in answer["facts"] if f["topic"] == "fee"]
    assert (fee["standing"], fee["as_of"], fee["disputed"]) == ("historical", "2023-01-01", False)
    sources = {s["number"]: s for s in answer["sources"]}
    assert sources[ages[0]["source"]]["kind"] == "official"
    assert sources[ages[0]["source"]]["page_date"] == "2026-05-01"
    assert sources[ages[1]["source"]]["kind_label"] == "Secondary"
    assert sources[ages[1]["source"]]["verified_on"] is None


def test_documents_steps_and_questions_cite_by_the_pages_numbers(client):
    route = RouteFactory()
    source = SourceFactory()
    FactFactory(route=route, source=source)
    DocumentFactory(route=route, source=source)
    StepFactory(route=route, source=None)
    QuestionFactory(route=route)
    answer = client.get(f"{API}routes/{route.country.slug}/{route.slug}").json()["route"]
    assert answer["facts"][0]["source"] == answer["documents"][0]["source"] == 1
    assert answer["steps"][0]["source"] is None
    assert answer["questions"][0]["source"] == 2
    assert [s["number"] for s in answer["sources"]] == [1, 2]


def test_a_draft_is_never_there(client):
    draft = RouteFactory(status="draft", official_name="Unpublished permit")
    FactFactory(route=draft)
    RouteFactory()
    assert "Unpublished permit" not in client.get(API + "routes").content.decode()
    missing = client.get(f"{API}routes/{draft.country.slug}/{draft.slug}")
    assert missing.status_code == 404
    assert missing.json() == {"detail": "No published route has this address."}
    countries = client.get(API + "countries").json()["results"]
    assert [c["routes"] for c in countries] == [1]


def test_routes_are_filtered_by_country_category_and_change(client):
    kazakh = RouteFactory(country=CountryFactory(code="KZ"))
    family = RouteFactory(
        country=CountryFactory(code="AE"), category=CategoryFactory(name="Family")
    )
    Route.objects.filter(pk=family.pk).update(
        updated_at=datetime.datetime(2020, 1, 1, tzinfo=datetime.UTC)
    )
    slugs = lambda **p: [r["slug"] for r in every_route(client, **p)]  # noqa: E731
    assert slugs(country="KZ") == slugs(country="kazakhstan") == [kazakh.slug]
    assert slugs(category="family") == [family.slug]
    assert slugs(changed_since="2021-01-01") == [kazakh.slug]
    assert slugs(changed_since="2019-12-31") == [kazakh.slug, family.slug]


def test_lists_come_a_fixed_page_at_a_time_with_links(client):
    RouteFactory.create_batch(101)
    first = client.get(API + "routes").json()
    assert (first["count"], first["pages"], len(first["results"])) == (101, 2, 100)
    assert first["previous"] is None
    assert first["next"] == "http://testserver/api/v1/routes?page=2"
    second = client.get(first["next"]).json()
    assert len(second["results"]) == 1
    assert second["previous"] == "http://testserver/api/v1/routes?page=1"
    everyone = [r["slug"] for r in first["results"] + second["results"]]
    assert len(set(everyone)) == 101  # a stable order: no route twice, none left out


@pytest.mark.parametrize(
    ("query", "status"),
    [
        ("page=0", 400),
        ("page=abc", 400),
        ("page=-1", 400),
        ("changed_since=yesterday", 400),
        ("changed_since=2026-13-01", 400),
        ("country=zz", 400),
        ("category=nothing", 400),
        ("page=3", 404),
    ],
)
def test_bad_parameters_get_a_json_error(client, query, status):
    RouteFactory()
    answer = client.get(f"{API}routes?{query}")
    assert answer.status_code == status
    assert answer["Content-Type"].startswith("application/json")
    assert answer.json()["detail"]


@pytest.mark.parametrize(
    ("method", "address", "status"),
    [("post", "routes", 405), ("get", "nothing", 404), ("get", "download/routes.xml", 404)],
)
def test_errors_the_api_does_not_answer_itself_are_json_too(client, method, address, status):
    answer = getattr(client, method)(API + address)
    assert answer.status_code == status
    assert answer.json()["detail"]
    assert answer["Access-Control-Allow-Origin"] == "*"


def test_a_parameter_it_does_not_read_is_dropped(client):
    answer = client.get(API + "routes?page=1&utm_source=x")
    assert (answer.status_code, answer["Location"]) == (301, API + "routes?page=1")
    assert answer["Access-Control-Allow-Origin"] == "*"


def test_answers_are_public_open_to_any_origin_and_set_no_cookie(client):
    RouteFactory()
    for path in ["countries", "categories", "routes", "changes"]:
        answer = client.get(API + path)
        assert answer.status_code == 200
        assert answer["Access-Control-Allow-Origin"] == "*"
        assert answer["Cache-Control"] == "public, max-age=0, s-maxage=1, must-revalidate"
        assert not answer.cookies
        body = answer.json()
        assert body["licence"]["name"] == "CC BY 4.0"
        assert body["cite_as"].startswith("Sourced Routes, open data")


def test_an_unchanged_answer_is_a_304_until_content_changes(client):
    route = RouteFactory()
    address = f"{API}routes/{route.country.slug}/{route.slug}"
    first = client.get(address)
    again = client.get(address, HTTP_IF_NONE_MATCH=first["ETag"])
    assert again.status_code == 304
    assert again["Access-Control-Allow-Origin"] == "*"
    since = client.get(address, HTTP_IF_MODIFIED_SINCE=first["Last-Modified"])
    assert since.status_code == 304
    FactFactory(route=route)
    assert client.get(address, HTTP_IF_NONE_MATCH=first["ETag"]).status_code == 200


def test_the_openapi_document_is_valid_and_names_every_path(client):
    answer = client.get(API + "openapi.json")
    assert answer.status_code == 200
    spec = answer.json()
    validate(spec)
    assert spec["info"]["license"]["name"] == "CC BY 4.0"
    assert set(spec["paths"]) == {
        "/api/v1/countries",
        "/api/v1/categories",
        "/api/v1/routes",
        "/api/v1/routes/{country_slug}/{route_slug}",
        "/api/v1/changes",
    }


def test_the_api_page_is_linked_from_every_page(client):
    RouteFactory()
    home = client.get("/").content.decode()
    assert 'href="/api/"' in home
    page = client.get("/api/")
    assert page.status_code == 200
    assert "CC BY 4.0" in page.content.decode()
    assert 'href="/api/v1/openapi.json"' in page.content.decode()


@pytest.mark.parametrize("routes", [1, 12])
def test_query_counts_do_not_grow_with_content(client, django_assert_num_queries, routes):
    for route in RouteFactory.create_batch(routes):
        FactFactory(route=route)
        DocumentFactory(route=route)
        StepFactory(route=route)
        QuestionFactory(route=route)
    route = Route.objects.first()
    # The list: its count and its page; a route: it and its four kinds of row with
    # their sources; countries and categories: one each; changes: count and page.
    for address, queries in [
        (API + "routes", 2),
        (f"{API}routes/{route.country.slug}/{route.slug}", 5),
        (API + "countries", 1),
        (API + "categories", 1),
        (API + "changes", 2),
    ]:
        with django_assert_num_queries(MOMENT + queries):
            assert client.get(address).status_code == 200


TEXT = st.one_of(
    st.text(max_size=40),
    st.sampled_from(["0", "-1", "1", "2", "99999999999999999999", "2026-01-01", "KZ", "%00"]),
)


@settings(
    max_examples=150,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(country=TEXT, category=TEXT, changed_since=TEXT, page=TEXT)
def test_no_parameters_make_a_server_error(client, country, category, changed_since, page):
    params = {"country": country, "category": category, "changed_since": changed_since}
    answer = client.get(API + "routes", {**params, "page": page})
    assert answer.status_code < 500
    assert client.get(API + "changes", {"page": page}).status_code < 500
