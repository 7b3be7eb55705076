"""Downloads: the whole content and each country's, as CSV (a row per fact) and as JSON."""

import csv
import io

import pytest

from routes.models import Fact, Route

from .factories import CountryFactory, FactFactory, RouteFactory, SourceFactory
from .helpers import MOMENT

pytestmark = pytest.mark.django_db


def rows_of(response):
    lines = response.content.decode().splitlines()
    notes = [line for line in lines if line.startswith("#")]
    return notes, list(csv.DictReader(io.StringIO("\n".join(lines[len(notes) :]))))


def test_the_csv_has_a_row_per_published_fact_with_its_source(client, content):
    answer = client.get("/api/v1/download/routes.csv")
    assert answer.status_code == 200
    assert answer["Content-Type"] == "text/csv; charset=utf-8"
    assert answer["Content-Disposition"] == 'attachment; filename="sourced-routes.csv"'
    notes, rows = rows_of(answer)
    assert notes[0].startswith("# Licence: CC BY 4.0")
    assert notes[1].startswith("# Cite as: Sourced Routes, open data")
    assert len(rows) == Fact.objects.filter(route__status="published").count()
    facts = Fact.objects.filter(route__status="published").select_related("source", "route")
    by_route = {}
    for row in rows:
        by_route.setdefault(row["route_slug"], []).append(row)
    for fact in facts.filter(source__isnull=False)[:50]:
        quoted = {r["source_ref"] for r in by_route[fact.route.slug]}
        assert fact.source.ref in quoted


def test_a_countrys_files_hold_its_routes_only(client):
    kazakh = RouteFactory(country=CountryFactory(code="KZ"))
    FactFactory(route=kazakh, source=SourceFactory(title="Kazakh page"))
    other = RouteFactory(country=CountryFactory(code="AE"))
    FactFactory(route=other, source=SourceFactory(title="Emirati page"))
    notes, rows = rows_of(client.get("/api/v1/download/kazakhstan/routes.csv"))
    assert [(r["route_slug"], r["source_title"], r["source_number"]) for r in rows] == [
        (kazakh.slug, "Kazakh page", "1")
    ]
    answer = client.get("/api/v1/download/kazakhstan/routes.json")
    assert answer["Content-Disposition"] == (
        'attachment; filename="sourced-routes-kazakhstan.json"'
    )
    body = answer.json()
    assert body["licence"]["name"] == "CC BY 4.0"
    assert [r["slug"] for r in body["routes"]] == [kazakh.slug]


def test_the_json_gives_each_route_as_the_api_does(client):
    route = RouteFactory()
    FactFactory(route=route)
    whole = client.get("/api/v1/download/routes.json").json()["routes"]
    one = client.get(f"/api/v1/routes/{route.country.slug}/{route.slug}").json()["route"]
    assert whole == [one]


def test_a_draft_is_in_no_file(client):
    draft = RouteFactory(status="draft")
    FactFactory(route=draft, text="A draft's fact")
    for address in ["/api/v1/download/routes.csv", "/api/v1/download/routes.json"]:
        assert "A draft's fact" not in client.get(address).content.decode()


def test_files_are_kept_until_content_changes(client):
    route = RouteFactory()
    first = client.get("/api/v1/download/routes.csv")
    assert first["Access-Control-Allow-Origin"] == "*"
    assert first["Link"] == '<https://creativecommons.org/licenses/by/4.0/>; rel="license"'
    again = client.get("/api/v1/download/routes.csv", HTTP_IF_NONE_MATCH=first["ETag"])
    assert again.status_code == 304
    FactFactory(route=route)
    assert (
        client.get("/api/v1/download/routes.csv", HTTP_IF_NONE_MATCH=first["ETag"]).status_code
        == 200
    )


def test_unknown_countries_and_formats_are_404(client):
    RouteFactory()
    assert client.get("/api/v1/download/nowhere/routes.csv").status_code == 404
    assert client.get("/api/v1/download/routes.xml").status_code == 404


def test_downloads_are_linked_from_the_country_page_and_about(client):
    route = RouteFactory()
    country = client.get(route.country.get_absolute_url()).content.decode()
    slug = route.country.slug
    assert f'href="/api/v1/download/{slug}/routes.csv"' in country
    assert f'href="/api/v1/download/{slug}/routes.json"' in country
    about = client.get("/about/").content.decode()
    assert 'href="/api/v1/download/routes.csv"' in about
    assert 'href="/api/v1/download/routes.json"' in about


@pytest.mark.parametrize("routes", [1, 10])
def test_a_files_queries_do_not_grow_with_content(client, django_assert_num_queries, routes):
    for route in RouteFactory.create_batch(routes, country=CountryFactory(code="KZ")):
        FactFactory(route=route)
    # The routes, and their facts, documents, steps and questions with their sources.
    with django_assert_num_queries(MOMENT + 5):
        assert client.get("/api/v1/download/routes.csv").status_code == 200
    # And the country first.
    with django_assert_num_queries(MOMENT + 6):
        assert client.get("/api/v1/download/kazakhstan/routes.json").status_code == 200
    assert Route.objects.count() == routes
