"""Search finds published routes by name, code, country and the words on their pages,
through plurals, word forms and typos, the same on SQLite and PostgreSQL."""

import pytest
from django.db import connection

from routes.search import MAX_SHOWN

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


# The moment, the countries and categories, then the words of every route
# (in this process, on SQLite; one query on PostgreSQL), the routes shown
# with their facts, and (PostgreSQL) the passages the words were found in.
SEARCH_QUERIES = {"sqlite": MOMENT + 2 + 6 + 2, "postgresql": MOMENT + 2 + 1 + 2 + 1}


@pytest.mark.parametrize("count", [2, 40])
def test_search_query_count_is_constant(client, django_assert_num_queries, count):
    for route in RouteFactory.create_batch(count, summary="A permit to work."):
        DocumentFactory(route=route, name="Work contract")
    with django_assert_num_queries(SEARCH_QUERIES[connection.vendor]):
        response = client.get("/search/", {"q": "contract"})
    assert response.context["result"].count == count
    assert len(response.context["result"].found) == min(count, MAX_SHOWN)
    assert f"{count} routes found for “contract”" in text_of(response)


def test_a_query_of_many_words_uses_the_first_few(client, routes):
    response, text = found(client, " ".join(f"w{n}" for n in range(90)))
    assert response.status_code == 200
    assert "0 routes found" in text


# ---------------------------------------------------------------------------
# The real content of fixtures/: the same answers on SQLite and PostgreSQL


@pytest.mark.parametrize(
    ("query", "expected"),
    [
        (
            "kazakstan",
            [
                "/kazakhstan/citizenship/",
                "/kazakhstan/investor-visa-a5-a6/",
                "/kazakhstan/labour-immigrant-work-permit/",
                "/kazakhstan/kandas-status/",
                "/kazakhstan/temporary-residence-permit/",
                "/kazakhstan/c2-family-reunification-visa/",
                "/kazakhstan/b9-1-digital-nomad-visa/",
                "/kazakhstan/single-entry-business-visa/",
            ],
        ),
        (
            "blue cards",
            [
                "/germany/eu-blue-card/",
                "/france/talent-passport/",
            ],
        ),
        (
            "workers",
            [
                "/canada/express-entry-federal-skilled-worker/",
                "/indonesia/remote-worker-visa-e33g/",
                "/italy/digital-nomad-visa/",
                "/canada/work-permit/",
                "/croatia/digital-nomad-temporary-stay/",
                "/estonia/digital-nomad-visa/",
                "/malta/nomad-residence-permit/",
                "/mexico/temporary-resident-visa-economic-solvency/",
                "/thailand/destination-thailand-visa/",
                "/uzbekistan/work-permit/",
                "/germany/opportunity-card/",
                "/spain/international-teleworker-visa/",
                "/france/talent-passport/",
                "/kazakhstan/b9-1-digital-nomad-visa/",
                "/new-zealand/accredited-employer-work-visa/",
            ],
        ),
        (
            "EAEU",
            [
                "/kazakhstan/labour-immigrant-work-permit/",
                "/kazakhstan/temporary-residence-permit/",
            ],
        ),
        (
            "retirement",
            [
                "/brazil/retirement-visa-vitem-xiv/",
                "/france/long-stay-visitor-visa/",
                "/italy/elective-residence-visa/",
                "/philippines/special-resident-retirees-visa/",
                "/portugal/d7-residence-visa/",
                "/spain/non-lucrative-residence-visa/",
                "/united-arab-emirates/retirement-residence/",
            ],
        ),
        (
            "Germany",
            [
                "/germany/opportunity-card/",
                "/germany/eu-blue-card/",
                "/germany/family-reunification-spouse/",
            ],
        ),
    ],
)
def test_the_real_content_is_found_through_plurals_word_forms_and_typos(
    client, content, query, expected
):
    response, text = found(client, query)
    assert [r.get_absolute_url() for r in response.context["result"].routes] == expected
    assert f"{len(expected)} route{'s' if len(expected) != 1 else ''} found" in text


def test_a_plural_finds_its_singular_on_every_page_of_results(client, content):
    response, text = found(client, "permits")
    result = response.context["result"]
    assert result.count == 39
    assert len(result.found) == MAX_SHOWN
    assert "The best 20 are shown" in text
    assert "/kazakhstan/labour-immigrant-work-permit/" in [
        r.get_absolute_url() for r in result.routes
    ]


def test_a_typo_of_a_country_says_what_it_was_read_as_and_links_the_country(client, content):
    response, text = found(client, "kazakstan")
    assert "Nothing matches “kazakstan”. Did you mean Kazakhstan" in text
    html = response.content.decode()
    assert html.index('href="/kazakhstan/"') < html.index('class="results"')
    assert "8 routes found for “Kazakhstan”" in text


def test_a_country_named_is_linked_above_its_routes(client, content):
    response, text = found(client, "Germany")
    html = response.content.decode()
    assert "Emigrating to Germany: the country's 3 routes" in text
    assert html.index('href="/germany/"') < html.index('href="/germany/eu-blue-card/"')


def test_a_category_named_is_linked_above_its_routes(client, content):
    response, text = found(client, "retirement")
    html = response.content.decode()
    assert "Compare Retirement and own means routes" in text
    assert html.index('href="/compare/retirement/"') < html.index('class="results"')


def test_words_found_in_faqs_and_documents_are_quoted_and_marked(client, content):
    response, _ = found(client, "EAEU")
    html = response.content.decode()
    assert '<p class="result-passage">' in html
    assert "<mark>EAEU</mark>" in html


def test_results_show_key_facts_with_their_sources(client, content):
    response, text = found(client, "blue cards")
    html = response.content.decode()
    start = html.index('href="/germany/eu-blue-card/"')
    card = html[start : html.index("</li>", start)]
    assert "<dt>Cost</dt>" in card and "<dt>Processing time</dt>" in card
    assert 'class="cite"' in card
    assert "<mark>Blue</mark> <mark>Card</mark>" in card


def test_a_fact_the_sources_do_not_state_says_so(client, routes):
    _, text = found(client, "B9-1")
    assert "Processing time not stated" in text


# ---------------------------------------------------------------------------
# Filters


def test_filters_keep_to_a_country_and_a_category(client, routes):
    family = CategoryFactory(name="Family")
    routes["family"].category = family
    routes["family"].save()
    response = client.get("/search/", {"q": "visa", "country": "kazakhstan"})
    assert {r.official_name for r in response.context["result"].routes} == {
        "Visa for permanent residence",
        "Visa for family reunification",
    }
    response = client.get("/search/", {"q": "visa", "category": "family"})
    assert [r.official_name for r in response.context["result"].routes] == [
        "Visa for family reunification"
    ]
    html = response.content.decode()
    assert '<option value="family" selected>Family</option>' in html


@pytest.mark.parametrize(
    ("params", "note"),
    [
        ({"country": "atlantis"}, "There is no country “atlantis” to search in"),
        ({"category": "<b>x</b>"}, "There is no category “<b>x</b>”"),
        ({"country": "../../etc/passwd"}, "There is no country “../../etc/passwd”"),
    ],
)
def test_an_unknown_filter_is_ignored_and_said(client, routes, params, note):
    response = client.get("/search/", {"q": "visa", **params})
    assert response.status_code == 200
    assert note in text_of(response)
    assert "<b>x</b>" not in response.content.decode()
    assert response.context["result"].count == 2


@pytest.mark.parametrize("query", ["visa\x00", "\x00", "B9\x00-1", "\x01\x7f nomad"])
def test_control_characters_in_a_query_are_dropped(client, routes, query):
    response = client.get("/search/", {"q": query})
    assert response.status_code == 200


def test_words_are_found_in_steps_questions_and_source_quotes(client, routes):
    work = routes["work"]
    StepFactory(route=work, text="Book an appointment at the migration centre.")
    QuestionFactory(route=routes["nomad"], question="Can I bring pets?", answer="Dogs are allowed.")
    source = SourceFactory(quote="Quotas are set by the ministry every spring.")
    DocumentFactory(route=routes["family"], name="Passport", source=source)
    for query, name in [
        ("appointments", "Right to work"),
        ("dog", "Visa for permanent residence"),
        ("quota", "Visa for family reunification"),
    ]:
        response, _ = found(client, query)
        assert [r.official_name for r in response.context["result"].routes] == [name], query
