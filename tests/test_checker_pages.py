"""The checker's pages: the questions, the verdicts, bad input and what is stored."""

import gc
import re
import weakref
from types import SimpleNamespace

import pytest
from django.contrib.sessions.models import Session
from django.db import connection
from django.test.utils import CaptureQueriesContext

from eligibility import catalogue
from eligibility.questions import CHECKS, PURPOSES, QUESTIONS, AnswerKind
from eligibility.verdicts import PRINCIPLES
from eligibility.views import PER_PAGE
from publishing import freshness
from routes.models import Country
from routes.vocabulary import Criterion

from .factories import CategoryFactory, CountryFactory, FactFactory, RouteFactory, SourceFactory
from .helpers import MOMENT, text_of

pytestmark = pytest.mark.django_db

RESULTS = "/check/results/"


def verdict_cards(response):
    """{route url: (verdict, card text)} for every route on a results page."""
    html = response.content.decode()
    cards = {}
    for section in re.split(r'<section class="verdict-group ', html)[1:]:
        verdict = section.split('"', 1)[0].removeprefix("verdict-")
        for card in re.split(r'<li class="verdict-card ', section)[1:]:
            url = re.search(r'<h4><a href="([^"]+)"', card).group(1)
            card = card.split("\n</li>", 1)[0]
            cards[url] = (verdict, text_of(SimpleNamespace(content=card.encode())))
    return cards


@pytest.fixture
def work_route():
    route = RouteFactory(
        official_name="Work permit", category=CategoryFactory(), country=CountryFactory(code="KZ")
    )
    source = SourceFactory(publisher="eGov.kz", kind="official")
    FactFactory(route=route, topic="job_offer", source=source)
    FactFactory(route=route, topic="age", minimum=18, maximum=60, source=source)
    return route


# ---------------------------------------------------------------------------
# The questions


def test_the_checker_asks_every_question_with_a_label(client):
    response = client.get("/check/")
    assert response.status_code == 200
    html = response.content.decode()
    text = text_of(response)
    assert 'action="/check/results/"' in html and 'method="get"' in html
    assert "csrfmiddlewaretoken" not in html
    for question in QUESTIONS:
        assert question.text in text
    for purpose in PURPOSES.values():
        assert purpose.label in text
    for input_id in re.findall(r'<(?:input|select)[^>]* id="([^"]+)"', html):
        assert f'<label for="{input_id}"' in html, input_id
    yes_no = sum(1 for q in QUESTIONS if q.kind == AnswerKind.YES_NO)
    assert html.count("<legend>") >= yes_no + 1
    assert 'name="robots"' not in html
    assert 'href="/check/how/"' in html


def test_the_questions_cost_one_query(client, django_assert_num_queries, work_route):
    with django_assert_num_queries(MOMENT + 1):  # the countries to choose from
        response = client.get("/check/")
    assert '<option value="kazakhstan">Kazakhstan</option>' in response.content.decode()


def test_change_your_answers_reopens_the_form_filled_in(client, work_route):
    answers = "country=kazakhstan&age=30&job_offer=yes&income=2500&income_currency=usd"
    results = client.get(f"{RESULTS}?{answers}")
    link = (
        "/check/?country=kazakhstan&amp;age=30&amp;income=2500&amp;income_currency=USD"
        "&amp;job_offer=yes"
    )
    assert f'href="{link}"' in results.content.decode()
    assert "Change your answers" in text_of(results)
    form = client.get(link.replace("&amp;", "&")).content.decode()
    assert 'name="age" value="30"' in form
    assert re.search(r'name="job_offer" value="yes"[^>]*checked', form)
    assert re.search(r'name="employer_sponsor" value=""[^>]*checked', form)
    assert 'value="USD"' in form
    assert '<option value="kazakhstan" selected>' in form
    assert '<meta name="robots" content="noindex">' in form


# ---------------------------------------------------------------------------
# Bad input: a message next to the field, the other answers kept, never a 500


@pytest.mark.parametrize(
    ("query", "field", "message"),
    [
        ("age=abc", "age", "Enter a whole number from 0 to 120, in figures."),
        ("age=-5", "age", "Enter a whole number from 0 to 120, in figures."),
        ("age=300", "age", "Enter a whole number from 0 to 120, in figures."),
        ("age=30.5", "age", "Enter a whole number from 0 to 120, in figures."),
        ("age=" + "9" * 5000, "age", "Enter a whole number from 0 to 120, in figures."),
        (
            "income=1000000000000000000000000000000&income_currency=USD",
            "income",
            "Enter a number from 0 to 1,000,000,000,000, in figures, with at most 2 decimals.",
        ),
        (
            "income=1e30&income_currency=USD",
            "income",
            "Enter a number from 0 to 1,000,000,000,000, in figures, with at most 2 decimals.",
        ),
        (
            "income=NaN&income_currency=USD",
            "income",
            "Enter a number from 0 to 1,000,000,000,000, in figures, with at most 2 decimals.",
        ),
        (
            "income=2000&income_currency=XYZ",
            "income_currency",
            "“XYZ” is not a currency code we know: use a three-letter ISO 4217 code such as "
            "USD, EUR or KZT.",
        ),
        ("income=2000", "income_currency", "Give the currency of this amount, e.g. USD."),
        (
            "investment=5&investment_currency=" + "X" * 40,
            "investment_currency",
            "Use a currency code such as USD, EUR or KZT.",
        ),
        ("job_offer=maybe", "job_offer", "Choose Yes, No or Not answered."),
        ("purpose=<script>", "purpose", "Choose one of the purposes listed."),
        ("country=narnia", "country", "Choose a country from the list."),
        (
            "residence_period=2.55",
            "residence_period",
            "Enter a number from 0 to 120, in figures, with at most 1 decimal place.",
        ),
    ],
)
def test_bad_input_gets_a_message_next_to_its_field(client, query, field, message):
    response = client.get(f"{RESULTS}?medical_exam=yes&clean_record=no&{query}")
    assert response.status_code == 200
    html = response.content.decode()
    assert f'<ul class="errorlist" id="id_{field}_error"><li>{message}</li></ul>' in html
    assert f'href="#id_{field}' in html  # the summary at the top links to it
    if field not in ("job_offer", "purpose"):
        assert re.search(rf'<(input|select)[^>]*aria-describedby="[^"]*id_{field}_error', html)
    assert re.search(r'name="medical_exam" value="yes"[^>]*checked', html)
    assert re.search(r'name="clean_record" value="no"[^>]*checked', html)
    assert '<meta name="robots" content="noindex">' in html
    assert "route checked" not in text_of(response)


def test_a_radio_group_in_error_is_described_by_its_message(client):
    html = client.get(f"{RESULTS}?job_offer=maybe").content.decode()
    assert re.search(
        r'<fieldset class="question yes-no has-error" aria-describedby="id_job_offer_error">', html
    )


def test_currency_is_read_in_any_case_and_spacing(client, work_route):
    response = client.get(f"{RESULTS}?income=2000&income_currency=+eur+")
    assert response.status_code == 200
    assert "income_currency=EUR" in response.content.decode()


# ---------------------------------------------------------------------------
# The verdicts


def test_results_group_by_verdict_then_country_and_link_each_route(client, work_route):
    other = RouteFactory(official_name="Other permit", country=CountryFactory(code="AE"))
    FactFactory(route=other, topic="job_offer")
    bare = RouteFactory(official_name="Bare permit", country=CountryFactory(code="GE"))
    RouteFactory(official_name="Draft permit", status="draft")
    response = client.get(f"{RESULTS}?age=61&job_offer=yes")
    assert response.status_code == 200
    text = text_of(response)
    assert "3 routes checked." in text
    assert "Draft permit" not in text
    cards = verdict_cards(response)
    assert cards[work_route.get_absolute_url()][0] == "does_not_meet"
    assert cards[other.get_absolute_url()][0] == "meets"
    assert cards[bare.get_absolute_url()][0] == "meets"
    assert "The sources state no requirements for this route" in cards[bare.get_absolute_url()][1]
    meets = text.index("Meets every stated requirement 2 routes")
    assert text.index("Country GE", meets) < text.index("United Arab Emirates", meets)
    assert text.index("United Arab Emirates") < text.index("Does not meet 1 route")
    assert "Age range 18–60 years: you are 61. [1] Official · verified 24 Jun 2026" in text


def test_results_close_with_one_disclaimer(client, work_route):
    text = text_of(client.get(f"{RESULTS}?age=30"))
    assert text.count("Informational only, not legal or immigration advice.") == 1
    assert "A verdict is only as complete as the sources it rests on" in text


def test_a_requirement_line_cites_the_route_pages_source_number(client, work_route):
    html = client.get(f"{RESULTS}?age=30").content.decode()
    assert f'href="{work_route.get_absolute_url()}#source-1"' in html
    page = client.get(work_route.get_absolute_url()).content.decode()
    assert 'id="source-1"' in page


def test_not_enough_information_names_the_questions(client, work_route):
    _, card = verdict_cards(client.get(f"{RESULTS}?age=30"))[work_route.get_absolute_url()]
    assert (
        "To get a verdict, answer: Do you have a job offer from an employer in the country?" in card
    )
    assert "Answer needed Job offer Required: not answered yet." in card


def test_sources_that_disagree_show_both_values(client, work_route):
    FactFactory(
        route=work_route,
        topic="age",
        minimum=21,
        maximum=60,
        source=SourceFactory(publisher="Law firm", kind="secondary", verified_on=None),
    )
    verdict, card = verdict_cards(client.get(f"{RESULTS}?age=30&job_offer=yes"))[
        work_route.get_absolute_url()
    ]
    assert verdict == "not_enough"
    assert "Sources disagree Age range: the sources disagree, so it is not counted as met." in card
    assert "18–60 years — eGov.kz [1] Official · verified 24 Jun 2026" in card
    assert "21–60 years — Law firm [2] Secondary · undated" in card


def test_another_currency_asks_for_the_requirements_currency(client, work_route):
    FactFactory(route=work_route, topic="income", minimum=3000, unit="USD", period="month")
    _, card = verdict_cards(client.get(f"{RESULTS}?income=2800&income_currency=EUR"))[
        work_route.get_absolute_url()
    ]
    assert (
        "Minimum income at least 3,000 USD per month: your monthly income is in EUR and this "
        "amount is in USD; the checker does not convert currencies: give your monthly income "
        "in USD to compare." in card
    )
    assert "What is your monthly income? In USD, please." in card


def test_purpose_and_country_narrow_the_routes(client, work_route):
    family = RouteFactory(
        official_name="Family visa",
        category=CategoryFactory(name="Family", slug="family"),
        country=work_route.country,
    )
    elsewhere = RouteFactory(country=CountryFactory(code="AE"), category=work_route.category)
    work = client.get(f"{RESULTS}?purpose=work&country=kazakhstan")
    assert set(verdict_cards(work)) == {work_route.get_absolute_url()}
    assert "1 route checked for “Work for an employer” in Kazakhstan." in text_of(work)
    anywhere = client.get(f"{RESULTS}?purpose=work")
    assert set(verdict_cards(anywhere)) == {
        work_route.get_absolute_url(),
        elsewhere.get_absolute_url(),
    }
    assert family.get_absolute_url() in verdict_cards(client.get(f"{RESULTS}?purpose=family"))
    study = text_of(client.get(f"{RESULTS}?purpose=study"))
    assert "0 routes checked for “Study”: no published route matches your choice yet." in study


def test_answers_about_the_country_without_a_country_are_explained(client, work_route):
    without = text_of(client.get(f"{RESULTS}?job_offer=yes"))
    assert "You chose no country, so your answers about “the country”" in without
    assert "You chose no country" not in text_of(client.get(f"{RESULTS}?age=30"))
    assert "You chose no country" not in text_of(
        client.get(f"{RESULTS}?job_offer=yes&country=kazakhstan")
    )


def test_results_are_noindex_and_store_nothing(client, work_route):
    with CaptureQueriesContext(connection) as queries:
        response = client.get(f"{RESULTS}?age=30&job_offer=yes&country=kazakhstan")
    assert response.status_code == 200
    assert all(q["sql"].lstrip().upper().startswith("SELECT") for q in queries.captured_queries)
    assert '<meta name="robots" content="noindex">' in response.content.decode()
    assert response["X-Robots-Tag"] == "noindex"
    assert not response.cookies
    assert "Set-Cookie" not in response.headers
    assert "Cookie" not in response.headers.get("Vary", "")
    assert not Session.objects.exists()


@pytest.mark.parametrize("routes", [2, 200])
def test_results_cost_a_constant_number_of_queries(client, django_assert_num_queries, routes):
    created = RouteFactory.create_batch(routes)
    for route in created:
        FactFactory(route=route, topic="age", minimum=18, maximum=60)
        FactFactory(route=route, topic="job_offer")
    # After content has changed: every route and its requirements in force, as plain
    # rows; then the routes shown, with country and category, and their facts with
    # the sources they cite.
    with django_assert_num_queries(MOMENT + 4):
        response = client.get(f"{RESULTS}?age=30&job_offer=yes")
    assert f"{routes} routes checked." in text_of(response)
    assert len(verdict_cards(response)) == min(routes, PER_PAGE)
    first_country = next(iter(verdict_cards(response))).split("/")[1]
    # Until content changes again: the routes of a page not shown yet, none for the others.
    with django_assert_num_queries(MOMENT + (2 if routes > PER_PAGE else 0)):
        response = client.get(f"{RESULTS}?age=30&job_offer=yes&page=2")
    assert len(verdict_cards(response)) == (PER_PAGE if routes > PER_PAGE else routes)
    with django_assert_num_queries(MOMENT):
        response = client.get(f"{RESULTS}?age=61&job_offer=no")
    assert len(verdict_cards(response)) == min(routes, PER_PAGE)
    country = Country.objects.get(slug=first_country)  # its routes all shown on page 1
    with django_assert_num_queries(MOMENT + 1):  # the chosen country
        response = client.get(f"{RESULTS}?age=30&country={country.slug}")
    assert f"checked in {country.name}." in text_of(response)


def test_a_route_deleted_while_a_page_is_made_is_left_out(client):
    kept, deleted = RouteFactory.create_batch(2)
    # As a request made just before the deletion holds it:
    published = catalogue.catalogue_at(freshness.read())
    deleted.delete()
    assert set(published.shown([kept.pk, deleted.pk])) == {kept.pk}
    assert "1 route checked" in text_of(client.get(RESULTS))


def test_what_the_checker_kept_of_old_content_is_freed_when_content_changes(client):
    # The routes shown are kept until content changes; then the old ones
    # must be freed, not kept for ever.
    route = RouteFactory()
    FactFactory(route=route, topic="age", minimum=18, maximum=60)
    client.get(f"{RESULTS}?age=30")
    kept = weakref.ref(catalogue.catalogue_at(freshness.read()).cards[route.pk].route)
    RouteFactory()
    assert "2 routes checked" in text_of(client.get(f"{RESULTS}?age=30"))
    gc.collect()
    assert kept() is None


def test_routes_the_checker_stops_keeping_for_want_of_room_are_freed(monkeypatch):
    monkeypatch.setattr(catalogue, "MAX_CARDS", 1)
    routes = RouteFactory.create_batch(3)
    published = catalogue.catalogue_at(freshness.read())
    published.shown([routes[0].pk, routes[1].pk])
    kept = weakref.ref(published.cards[routes[0].pk].route)
    assert set(published.shown([routes[2].pk])) == {routes[2].pk}
    gc.collect()
    assert kept() is None


def test_an_edited_requirement_changes_the_verdict_on_the_next_request(client):
    fact = FactFactory(topic="age", minimum=18, maximum=60)
    url = fact.route.get_absolute_url()
    assert verdict_cards(client.get(f"{RESULTS}?age=30"))[url][0] == "meets"
    fact.maximum = 25
    fact.save()
    assert verdict_cards(client.get(f"{RESULTS}?age=30"))[url][0] == "does_not_meet"
    fact.route.delete()
    assert "0 routes checked" in text_of(client.get(f"{RESULTS}?age=30"))


# ---------------------------------------------------------------------------
# Pages of verdicts: every route checked and counted, PER_PAGE shown at a time


@pytest.fixture
def many_routes():
    """PER_PAGE * 2 + 5 routes over three countries: some meet, some do not, some need answers."""
    countries = [CountryFactory(code=code) for code in ("AE", "GE", "KZ")]
    source = SourceFactory(publisher="eGov.kz", kind="official")
    routes = []
    for n in range(PER_PAGE * 2 + 5):
        route = RouteFactory(official_name=f"Permit {n:03}", country=countries[n % 3])
        FactFactory(
            route=route, topic="age", minimum=18, maximum=[60, 25, 60][n % 3], source=source
        )
        if n % 4 == 0:
            FactFactory(route=route, topic="job_offer", source=source)
        routes.append(route)
    return routes


def expected_verdicts(routes):
    """{url: verdict} for ?age=30, worked out by hand from the fixture."""
    verdicts = {}
    for n, route in enumerate(routes):
        if n % 3 == 1:
            verdicts[route.get_absolute_url()] = "does_not_meet"  # 18–25
        elif n % 4 == 0:
            verdicts[route.get_absolute_url()] = "not_enough"  # job offer unanswered
        else:
            verdicts[route.get_absolute_url()] = "meets"
    return verdicts


def test_every_route_is_counted_and_a_page_shows_some(client, many_routes):
    expected = expected_verdicts(many_routes)
    counts = {v: list(expected.values()).count(v) for v in ("meets", "not_enough", "does_not_meet")}
    total = len(many_routes)
    seen = {}
    for page in (1, 2, 3):
        response = client.get(f"{RESULTS}?age=30&page={page}")
        text = text_of(response)
        assert f"{total} routes checked." in text
        assert (
            f"Meets every stated requirement: {counts['meets']} "
            f"Not enough information: {counts['not_enough']} "
            f"Does not meet: {counts['does_not_meet']}"
        ) in text
        cards = verdict_cards(response)
        assert len(cards) == (PER_PAGE if page < 3 else total - 2 * PER_PAGE)
        assert not set(cards) & set(seen)
        seen.update(cards)
        first, last = (page - 1) * PER_PAGE + 1, min(page * PER_PAGE, total)
        assert f"Routes {first}–{last} of {total}, page {page} of 3." in text
    assert {url: verdict for url, (verdict, _) in seen.items()} == expected


def test_pages_keep_the_order_by_verdict_then_country(client, many_routes):
    order = []
    for page in (1, 2, 3):
        html = client.get(f"{RESULTS}?age=30&page={page}").content.decode()
        for section in re.split(r'<section class="verdict-group ', html)[1:]:
            verdict = section.split('"', 1)[0].removeprefix("verdict-")
            for block in re.split(r"<h3>", section)[1:]:
                country = text_of(SimpleNamespace(content=block.split("</h3>", 1)[0].encode()))
                names = re.findall(r'<h4><a href="[^"]+">([^<]+)</a>', block)
                order += [(verdict, country, name) for name in names]
    rank = {"meets": 0, "not_enough": 1, "does_not_meet": 2}
    assert order == sorted(order, key=lambda row: (rank[row[0]], row[1], row[2]))
    assert len(order) == len(many_routes)


def test_a_group_that_goes_on_says_so_and_the_tally_links_to_its_page(client, many_routes):
    verdicts = list(expected_verdicts(many_routes).values())
    meets, not_enough = verdicts.count("meets"), verdicts.count("not_enough")
    assert meets > PER_PAGE  # the fixture's first group goes on to page 2
    starts = {
        "meets": 1,
        "not_enough": meets // PER_PAGE + 1,
        "does_not_meet": (meets + not_enough) // PER_PAGE + 1,
    }
    for page in (1, 2, 3):
        html = client.get(f"{RESULTS}?age=30&page={page}").content.decode()
        for verdict, start in starts.items():
            link = f"#{verdict}" if start == page else f"?age=30&amp;page={start}#{verdict}"
            assert f'<a href="{link}">' in html
    second = text_of(client.get(f"{RESULTS}?age=30&page=2"))
    assert "Meets every stated requirement (continued)" in second
    assert "(continued)" not in text_of(client.get(f"{RESULTS}?age=30"))


def test_page_links_keep_every_answer_and_are_labelled(client, many_routes):
    query = "purpose=any&age=30&job_offer=no&income=2500&income_currency=USD"
    html = client.get(f"{RESULTS}?{query}&page=2").content.decode()
    kept = "age=30&amp;income=2500&amp;income_currency=USD&amp;job_offer=no"
    assert '<nav class="pagination" aria-label="Pages of verdicts">' in html
    assert f'href="?{kept}&amp;page=1#verdicts" rel="prev">Previous page</a>' in html
    assert f'href="?{kept}&amp;page=3#verdicts" rel="next">Next page</a>' in html
    assert (
        f'href="?{kept}&amp;page=2#verdicts" aria-current="page" aria-label="Page 2, this page"'
        in html
    )
    assert f'href="?{kept}&amp;page=3#verdicts" aria-label="Page 3">3</a>' in html
    assert f'href="/check/?{kept}"' in html  # change your answers: no page in it


@pytest.mark.parametrize("page", ["0", "-1", "4", "abc", "1.5", "", "9" * 5000, "%00"])
def test_a_bad_page_shows_the_first_one(client, many_routes, page):
    response = client.get(f"{RESULTS}?age=30&page={page}")
    assert response.status_code == 200
    first = client.get(f"{RESULTS}?age=30")
    assert set(verdict_cards(response)) == set(verdict_cards(first))
    assert f"Routes 1–{PER_PAGE} of" in text_of(response)


def test_one_page_of_results_has_no_page_links(client, work_route):
    html = client.get(f"{RESULTS}?age=30").content.decode()
    assert 'class="pagination"' not in html
    assert "Routes 1–" not in html


# ---------------------------------------------------------------------------
# How the checker decides


def test_how_the_checker_decides_lists_every_criterion(client, django_assert_num_queries):
    CategoryFactory(name="Family", slug="family")
    with django_assert_num_queries(MOMENT + 1):
        response = client.get("/check/how/")
    assert response.status_code == 200
    text = text_of(response)
    for check in CHECKS.values():
        assert Criterion(check.criterion).label in text
        assert check.explains in text
        if check.question:
            assert check.question.text in text
    for principle in PRINCIPLES:
        assert principle in text
    assert "Join family Family" in text
    assert "Study study (no routes yet)" in text
    assert 'name="robots"' not in response.content.decode()


def test_a_point_the_checker_cannot_settle_is_said_so(client, work_route):
    FactFactory(route=work_route, topic="qualification", text="an engineering degree")
    verdict, card = verdict_cards(client.get(f"{RESULTS}?age=30&job_offer=yes"))[
        work_route.get_absolute_url()
    ]
    assert verdict == "not_enough"
    assert "The checker cannot settle one point: check it against the source." in card
    assert (
        "Check yourself Qualification or profession Required (an engineering degree): the "
        "source states it in words only: check it against the source." in card
    )
