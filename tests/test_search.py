"""Search finds published routes by name, code, country and the words on their pages."""

import pytest

from .factories import CountryFactory, DocumentFactory, FactFactory, RouteFactory
from .helpers import MOMENT, text_of

pytestmark = pytest.mark.django_db


@pytest.fixture
def routes(db):
    kz = CountryFactory(code="KZ", name="Kazakhstan", slug="kazakhstan")
    ge = CountryFactory(code="GE", name="Georgia", slug="georgia")
    nomad = RouteFactory(
        country=kz,
        official_name="Visa for permanent residence",
        code="B9-1",
        common_name="Digital Nomad Visa",
        summary="For IT specialists.",
    )
    family = RouteFactory(
        country=kz,
        official_name="Visa for family reunification",
        code="C2",
        summary="For family members of residents.",
    )
    work = RouteFactory(
        country=ge, official_name="Right to work", summary="Employment with a local employer."
    )
    DocumentFactory(route=work, name="Notarised employment contract")
    FactFactory(route=family, topic="accommodation", text="residential space for each member")
    RouteFactory(country=ge, official_name="Hidden draft visa", status="draft")
    return {"nomad": nomad, "family": family, "work": work}


def found(client, q):
    response = client.get("/search/", {"q": q})
    assert response.status_code == 200
    return response, text_of(response)


@pytest.mark.parametrize(
    ("query", "expected"),
    [
        ("B9-1", ["Visa for permanent residence"]),
        ("C2", ["Visa for family reunification"]),
        ("nomad", ["Visa for permanent residence"]),
        ("Georgia", ["Right to work"]),
        ("specialists", ["Visa for permanent residence"]),
        ("employment contract", ["Right to work"]),
        ("residential space", ["Visa for family reunification"]),
    ],
)
def test_finds_routes_by_name_code_country_summary_documents_and_facts(
    client, routes, query, expected
):
    response, text = found(client, query)
    names = [r.official_name for r in response.context["result"].routes]
    assert names == expected
    assert f"{len(expected)} route found for “{query}”" in text


@pytest.mark.parametrize(
    ("query", "expected"),
    [
        ("labor permit", ["Labour immigrant permit"]),
        ("LABOUR", ["Labour immigrant permit", "Work programme"]),
        ("labor", ["Labour immigrant permit", "Work programme"]),
        ("program", ["Work programme"]),
        ("notarized contract", ["Work programme"]),
    ],
)
def test_british_and_american_spellings_find_each_other(client, query, expected):
    RouteFactory(official_name="Labour immigrant permit", summary="For a foreign worker.")
    work = RouteFactory(official_name="Work programme", summary="Hiring through a labor agency.")
    DocumentFactory(route=work, name="Notarised employment contract")
    response, _ = found(client, query)
    assert sorted(r.official_name for r in response.context["result"].routes) == expected


@pytest.mark.parametrize("query", ["TÜRKIYE", "türkiye", "ÉTRANGERS", "иностранцев", "ΜΌΝΙΜΗ"])
def test_letters_of_any_script_match_in_either_case(client, query):
    tr = CountryFactory(code="TR", name="Türkiye", slug="turkiye")
    RouteFactory(
        country=tr, official_name="İkamet izni", summary="ДЛЯ ИНОСТРАНЦЕВ. Étrangers. Μόνιμη."
    )
    response, _ = found(client, query)
    assert [r.official_name for r in response.context["result"].routes] == ["İkamet izni"]


def test_names_rank_above_summaries(client, routes):
    response, _ = found(client, "visa")
    names = [r.official_name for r in response.context["result"].routes]
    assert set(names) == {"Visa for permanent residence", "Visa for family reunification"}
    assert "Hidden draft visa" not in names


def test_results_show_country_and_category(client, routes):
    _, text = found(client, "B9-1")
    assert "Kazakhstan · Employer-sponsored work · also known as Digital Nomad Visa" in text


@pytest.mark.parametrize(
    ("query", "message"),
    [
        ("", "Type a route name"),
        ("   ", "Type a route name"),
        ("?!.,;", "no letters or digits"),
        ("виза", "0 routes found for “виза”"),
        ("қазақ", "0 routes found for “қазақ”"),
        ("x" * 500, "only the first 200 were used"),
        ("<script>alert(1)</script>", "0 routes found"),
        ("' OR 1=1 --", "found for “' OR 1=1 --”"),
    ],
)
def test_odd_queries_answer_200_with_a_sensible_page(client, routes, query, message):
    response, text = found(client, query)
    assert message in text
    assert "<script>alert(1)</script>" not in response.content.decode()


def test_search_pages_are_not_indexed(client, routes):
    response, _ = found(client, "visa")
    assert '<meta name="robots" content="noindex">' in response.content.decode()


@pytest.mark.parametrize("count", [2, 40])
def test_search_query_count_is_constant(client, django_assert_num_queries, count):
    for route in RouteFactory.create_batch(count, summary="A permit to work."):
        DocumentFactory(route=route, name="Work contract")
    with django_assert_num_queries(MOMENT + 1):
        response = client.get("/search/", {"q": "work"})
    assert len(response.context["result"].routes) == count


def test_a_query_of_many_words_uses_the_first_few(client, routes):
    response, text = found(client, " ".join(f"w{n}" for n in range(90)))
    assert response.status_code == 200
    assert "0 routes found" in text
