"""The checker's pages: the questions, the verdicts, bad input and what is stored."""

import gc
import re
import weakref
from types import SimpleNamespace

import pytest
from django.contrib.sessions.models import Session
from django.core.cache import caches
from django.db import connection
from django.test.utils import CaptureQueriesContext

from eligibility import catalogue
from eligibility.questions import CHECKS, PURPOSES
from eligibility.verdicts import PRINCIPLES
from eligibility.views import PER_PAGE
from publishing import freshness
from routes.models import Country
from routes.vocabulary import Criterion

from .factories import (
    CategoryFactory,
    CountryFactory,
    FactFactory,
    ReferenceRateFactory,
    RouteFactory,
    SourceFactory,
)
from .helpers import MOMENT, text_of

pytestmark = pytest.mark.django_db

RESULTS = "/check/results/"


def verdict_cards(response):
    """{route url: (verdict, card text)} for every route on a results page."""
    html = response.content.decode()
    cards = {}
    for section in re.split(r'<details class="verdict-group ', html)[1:]:
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
# Step one: what for, where to, which citizenships


def test_step_one_asks_purpose_destination_and_citizenships(client, work_route):
    response = client.get("/check/")
    assert response.status_code == 200
    html = response.content.decode()
    text = text_of(response)
    assert 'action="/check/questions/"' in html and 'method="get"' in html
    assert "csrfmiddlewaretoken" not in html
    assert "What do you want to do?" in text and "Where do you want to go?" in text
    assert "Which citizenships do you hold?" in text
    assert html.count('name="nationality"') == 3
    assert '<datalist id="country-names">' in html and '<option value="Germany">' in html
    for input_id in re.findall(r'<(?:input|select)[^>]* id="([^"]+)"', html):
        assert f'<label for="{input_id}"' in html, input_id
    assert 'name="robots"' not in html
    assert 'href="/check/how/"' in html
    assert "How old are you?" not in text  # the second step's


def test_purposes_with_no_published_route_are_not_offered(client, work_route):
    text = text_of(client.get("/check/"))
    assert PURPOSES["work"].label in text and PURPOSES["any"].label in text
    assert PURPOSES["study"].label not in text
    assert PURPOSES["family"].label not in text
    RouteFactory(category=CategoryFactory(name="Family", slug="family"))
    assert PURPOSES["family"].label in text_of(client.get("/check/"))


def test_step_one_costs_the_moment_only_once_the_catalogue_is_read(
    client, django_assert_num_queries, work_route
):
    client.get("/check/")
    caches["pages"].clear()
    with django_assert_num_queries(MOMENT):  # countries and purposes come from the catalogue
        response = client.get("/check/")
    assert '<option value="kazakhstan">Kazakhstan</option>' in response.content.decode()


# ---------------------------------------------------------------------------
# Step two: only the questions the routes in scope need


def test_step_two_asks_only_what_the_routes_in_scope_state(client, work_route):
    response = client.get("/check/questions/?purpose=work&country=kazakhstan&nationality=RU")
    assert response.status_code == 200
    text = text_of(response)
    assert "2 questions for 1 route for “Work for an employer” in Kazakhstan." in text
    assert "How old are you?" in text
    assert "Do you have a job offer from an employer in the country?" in text
    assert "What is your monthly income?" not in text
    assert "Which citizenships do you hold?" not in text  # asked in step one
    html = response.content.decode()
    assert 'action="/check/results/"' in html
    for name, value in [("purpose", "work"), ("country", "kazakhstan"), ("nationality", "RU")]:
        assert f'<input type="hidden" name="{name}" value="{value}">' in html
    assert '<meta name="robots" content="noindex">' in html
    assert response["Cache-Control"] == "private, no-store"


def test_without_a_destination_questions_about_a_country_are_not_asked(client, work_route):
    text = text_of(client.get("/check/questions/?purpose=work"))
    assert "1 question for 1 route" in text
    assert "How old are you?" in text
    assert "job offer" not in text.lower().split("questions about a country")[0]
    assert "Questions about a country (a job offer there, family there, its language)" in text


def test_names_of_countries_are_read_as_typed_or_chosen(client, work_route):
    query = "nationality=germany&nationality=+Russia+&nationality=&nationality=KZ"
    response = client.get(f"{RESULTS}?{query}")
    assert response.status_code == 302
    assert response["Location"] == f"{RESULTS}?nationality=DE&nationality=KZ&nationality=RU"
    bad = client.get(f"{RESULTS}?nationality=Narnia")
    assert "We do not know the country “Narnia”: choose it from the list of names." in text_of(bad)
    assert 'action="/check/questions/"' in bad.content.decode()  # back to step one


def test_change_your_answers_reopens_the_questions_filled_in(client, work_route):
    answers = "country=kazakhstan&age=30&job_offer=yes"
    results = client.get(f"{RESULTS}?{answers}")
    assert results.status_code == 200
    html = results.content.decode()
    link = "/check/questions/?country=kazakhstan&amp;age=30&amp;job_offer=yes"
    assert f'href="{link}"' in html
    assert "Change your answers" in text_of(results)
    assert f'href="{link}#id_age"' in html  # one click to change one answer
    assert 'href="/check/?country=kazakhstan&amp;age=30&amp;job_offer=yes#id_country"' in html
    form = client.get(link.replace("&amp;", "&")).content.decode()
    assert 'name="age" value="30"' in form
    assert re.search(r'name="job_offer" value="yes"[^>]*checked', form)
    assert '<meta name="robots" content="noindex">' in form
    step_one = client.get(f"/check/?{answers}").content.decode()
    assert '<option value="kazakhstan" selected>' in step_one
    assert '<input type="hidden" name="age" value="30">' in step_one  # carried through step one


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
        ("income=2000&income_currency=XYZ", "income_currency", "Choose a currency from the list."),
        ("income=2000", "income_currency", "Choose the currency of this amount."),
        (
            "investment=5&investment_currency=" + "X" * 40,
            "investment_currency",
            "Choose a currency from the list.",
        ),
        ("country=kazakhstan&job_offer=maybe", "job_offer", "Choose Yes, No or Not answered."),
        ("education=genius", "education", "Choose a level from the list."),
        (
            "country=kazakhstan&residence_period=2.55",
            "residence_period",
            "Enter a number from 0 to 120, in figures, with at most 1 decimal place.",
        ),
    ],
)
def test_bad_input_gets_a_message_next_to_its_field(client, work_route, query, field, message):
    response = client.get(f"{RESULTS}?medical_exam=yes&clean_record=no&{query}")
    assert response.status_code == 200
    html = response.content.decode()
    assert f'<ul class="errorlist" id="id_{field}_error"><li>{message}</li></ul>' in html
    assert f'href="#id_{field}' in html  # the summary at the top links to it
    if field != "job_offer":
        assert re.search(rf'<(input|select)[^>]*aria-describedby="[^"]*id_{field}_error', html)
    assert '<input type="hidden" name="medical_exam" value="yes">' in html
    assert '<input type="hidden" name="clean_record" value="no">' in html
    assert '<meta name="robots" content="noindex">' in html
    assert "route checked" not in text_of(response)


@pytest.mark.parametrize(
    ("query", "field", "message"),
    [
        ("purpose=<script>", "purpose", "Choose one of the purposes listed."),
        ("purpose=study", "purpose", "Choose one of the purposes listed."),
        ("country=narnia", "country", "Choose a country from the list."),
        (
            "nationality=A&nationality=B&nationality=C&nationality=D",
            "nationality",
            "We do not know the country “A”: choose it from the list of names.",
        ),
        (
            "nationality=DE&nationality=FR&nationality=IT&nationality=ES",
            "nationality",
            "Give at most 3 citizenships.",
        ),
    ],
)
def test_a_mistake_in_step_one_shows_step_one(client, query, field, message):
    for page in ("/check/questions/", RESULTS):
        response = client.get(f"{page}?age=30&{query}")
        assert response.status_code == 200
        html = response.content.decode()
        assert f'<ul class="errorlist" id="id_{field}_error"><li>{message}</li></ul>' in html
        assert 'action="/check/questions/"' in html
        assert '<input type="hidden" name="age" value="30">' in html


def test_answers_about_a_country_without_one_are_dropped_not_failed(client, work_route):
    response = client.get(f"{RESULTS}?age=30&job_offer=maybe")
    assert response.status_code == 302
    assert response["Location"] == f"{RESULTS}?age=30"


def test_a_radio_group_in_error_is_described_by_its_message(client, work_route):
    html = client.get(f"{RESULTS}?country=kazakhstan&job_offer=maybe").content.decode()
    assert re.search(
        r'<fieldset class="question yes-no has-error" id="id_job_offer" '
        r'aria-describedby="id_job_offer_error">',
        html,
    )


def test_currency_is_read_in_any_case_and_spacing(client, work_route):
    response = client.get(f"{RESULTS}?income=2000&income_currency=+eur+")
    assert response.status_code == 302
    assert response["Location"] == f"{RESULTS}?income=2000&income_currency=EUR"


# ---------------------------------------------------------------------------
# The verdicts


def test_results_group_by_verdict_then_country_and_link_each_route(client, work_route):
    other = RouteFactory(official_name="Other permit", country=CountryFactory(code="AE"))
    FactFactory(route=other, topic="age", minimum=21)
    bare = RouteFactory(official_name="Bare permit", country=CountryFactory(code="GE"))
    words = RouteFactory(official_name="Words permit", country=CountryFactory(code="FR"))
    FactFactory(route=words, topic="qualification", text="an engineering degree")
    RouteFactory(official_name="Draft permit", status="draft")
    response = client.get(f"{RESULTS}?age=61")
    assert response.status_code == 200
    text = text_of(response)
    assert "4 routes checked." in text
    assert "Draft permit" not in text
    cards = verdict_cards(response)
    assert cards[work_route.get_absolute_url()][0] == "does_not_meet"
    assert cards[other.get_absolute_url()][0] == "meets"
    # Silence is never a yes: nothing on record to compare, or only words.
    assert cards[bare.get_absolute_url()][0] == "too_little"
    assert cards[words.get_absolute_url()][0] == "too_little"
    assert (
        "state no requirement your answers could be compared with"
        in (cards[bare.get_absolute_url()][1])
    )
    order = [
        text.index(label)
        for label in (
            "Meets every stated requirement 1 route",
            "Too little on record to check 2 routes",
            "Does not meet 1 route",
        )
    ]
    assert order == sorted(order)
    assert "Age range 18–60 years: you are 61. [1] Official · verified 24 Jun 2026" in text
    assert "1 of 1 stated requirement checked." in cards[other.get_absolute_url()][1]


def test_results_close_with_one_disclaimer(client, work_route):
    text = text_of(client.get(f"{RESULTS}?age=30", follow=True))
    assert text.count("Informational only, not legal or immigration advice.") == 1
    assert "A verdict is only as complete as the sources it rests on" in text


def test_a_requirement_line_cites_the_route_pages_source_number(client, work_route):
    html = client.get(f"{RESULTS}?age=30").content.decode()
    assert f'href="{work_route.get_absolute_url()}#source-1"' in html
    page = client.get(work_route.get_absolute_url()).content.decode()
    assert 'id="source-1"' in page


def test_not_enough_information_names_the_questions(client, work_route):
    _, card = verdict_cards(client.get(f"{RESULTS}?age=30&country=kazakhstan", follow=True))[
        work_route.get_absolute_url()
    ]
    assert (
        "To get a verdict, answer: Do you have a job offer from an employer in the country?" in card
    )
    assert "Answer needed Job offer Required: not answered yet." in card
    assert "1 of 2 stated requirements checked." in card


def test_a_card_says_how_much_was_checked_and_where_the_sources_are_silent(client, work_route):
    query = "age=30&country=kazakhstan&job_offer=yes&medical_exam=yes&education=master"
    verdict, card = verdict_cards(client.get(f"{RESULTS}?{query}", follow=True))[
        work_route.get_absolute_url()
    ]
    assert verdict == "meets"
    assert (
        "2 of 2 stated requirements checked; the sources are silent on medical exam and "
        "education." in card
    )


def test_routes_met_come_with_the_most_requirements_checked_first(client, work_route):
    one = RouteFactory(official_name="A one-requirement permit", country=work_route.country)
    FactFactory(route=one, topic="age", minimum=18)
    html = client.get(f"{RESULTS}?country=kazakhstan&age=30&job_offer=yes").content.decode()
    assert html.index(work_route.official_name) < html.index(one.official_name)


def test_sources_that_disagree_show_both_values(client, work_route):
    FactFactory(
        route=work_route,
        topic="age",
        minimum=21,
        maximum=60,
        source=SourceFactory(publisher="Law firm", kind="secondary", verified_on=None),
    )
    verdict, card = verdict_cards(
        client.get(f"{RESULTS}?age=30&country=kazakhstan&job_offer=yes", follow=True)
    )[work_route.get_absolute_url()]
    assert verdict == "not_enough"
    assert "Sources disagree Age range: the sources disagree, so it is not counted as met." in card
    assert "18–60 years — eGov.kz [1] Official · verified 24 Jun 2026" in card
    assert "21–60 years — Law firm [2] Secondary · undated" in card


def test_without_a_rate_another_currency_asks_for_the_requirements_currency(client, work_route):
    FactFactory(route=work_route, topic="income", minimum=3000, unit="USD", period="month")
    _, card = verdict_cards(client.get(f"{RESULTS}?income=2800&income_currency=EUR", follow=True))[
        work_route.get_absolute_url()
    ]
    assert (
        "Minimum income at least 3,000 USD per month: your monthly income is in EUR and this "
        "amount is in USD; no reference rate is on record to convert one into the other: give "
        "your monthly income in USD to compare." in card
    )
    assert "What is your monthly income? In USD, please." in card


def test_another_currency_is_converted_at_the_rate_on_record(client, work_route):
    FactFactory(route=work_route, topic="income", minimum=3000, unit="USD", period="month")
    ReferenceRateFactory(currency="USD", per_euro="1.1756")
    _, card = verdict_cards(client.get(f"{RESULTS}?income=3000&income_currency=EUR", follow=True))[
        work_route.get_absolute_url()
    ]
    assert (
        "Met Minimum income at least 3,000 USD per month: your monthly income: 3,000 EUR ≈ "
        "3,526.80 USD at the euro reference rate of 24 Jul 2025 (European Central Bank)." in card
    )
    _, close = verdict_cards(client.get(f"{RESULTS}?income=2600&income_currency=EUR", follow=True))[
        work_route.get_absolute_url()
    ]
    assert "2,600 EUR ≈ 3,056.56 USD" in close
    assert "within 5% of the amount: too close to call after conversion" in close


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
    assert family.get_absolute_url() in verdict_cards(
        client.get(f"{RESULTS}?purpose=family", follow=True)
    )


def test_without_a_destination_the_results_say_why_questions_were_not_asked(client, work_route):
    without = text_of(client.get(f"{RESULTS}?age=30", follow=True))
    assert "You chose no destination, so questions about a country" in without
    assert "You chose no destination" not in text_of(
        client.get(f"{RESULTS}?age=30&country=kazakhstan")
    )


def test_results_are_noindex_and_store_nothing(client, work_route):
    with CaptureQueriesContext(connection) as queries:
        response = client.get(f"{RESULTS}?country=kazakhstan&age=30&job_offer=yes")
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
    # rows, and the reference rates; then the routes shown, with country and category,
    # and their facts with the sources they cite.
    with django_assert_num_queries(MOMENT + 5):
        response = client.get(f"{RESULTS}?age=30")
    assert f"{routes} routes checked." in text_of(response)
    assert len(verdict_cards(response)) == min(routes, PER_PAGE)
    first_country = next(iter(verdict_cards(response))).split("/")[1]
    # Until content changes again: the routes of a page not shown yet, none for the others.
    with django_assert_num_queries(MOMENT + (2 if routes > PER_PAGE else 0)):
        response = client.get(f"{RESULTS}?age=30&page=2")
    assert len(verdict_cards(response)) == (PER_PAGE if routes > PER_PAGE else routes)
    with django_assert_num_queries(MOMENT):
        response = client.get(f"{RESULTS}?age=61")
    assert len(verdict_cards(response)) == min(routes, PER_PAGE)
    country = Country.objects.get(slug=first_country)  # its routes all shown on page 1
    with django_assert_num_queries(MOMENT):  # the countries come from the catalogue too
        response = client.get(f"{RESULTS}?country={country.slug}&age=30&job_offer=yes")
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
    assert "2 routes checked" in text_of(client.get(f"{RESULTS}?age=30", follow=True))
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
    assert verdict_cards(client.get(f"{RESULTS}?age=30", follow=True))[url][0] == "meets"
    fact.maximum = 25
    fact.save()
    assert verdict_cards(client.get(f"{RESULTS}?age=30", follow=True))[url][0] == "does_not_meet"
    fact.route.delete()
    assert "0 routes checked" in text_of(client.get(f"{RESULTS}?age=30", follow=True))


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
        for section in re.split(r'<details class="verdict-group ', html)[1:]:
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
    second = text_of(client.get(f"{RESULTS}?age=30&page=2", follow=True))
    assert "Meets every stated requirement (continued)" in second
    assert "(continued)" not in text_of(client.get(f"{RESULTS}?age=30", follow=True))


def test_page_links_keep_every_answer_and_are_labelled(client, many_routes):
    query = "purpose=any&age=30&job_offer=no&income=2500&income_currency=EUR"
    html = client.get(f"{RESULTS}?{query}&page=2", follow=True).content.decode()
    kept = "age=30&amp;income=2500&amp;income_currency=EUR"
    assert '<nav class="pagination" aria-label="Pages of verdicts">' in html
    assert f'href="?{kept}&amp;page=1#verdicts" rel="prev">Previous page</a>' in html
    assert f'href="?{kept}&amp;page=3#verdicts" rel="next">Next page</a>' in html
    assert (
        f'href="?{kept}&amp;page=2#verdicts" aria-current="page" aria-label="Page 2, this page"'
        in html
    )
    assert f'href="?{kept}&amp;page=3#verdicts" aria-label="Page 3">3</a>' in html
    assert f'href="/check/questions/?{kept}"' in html  # change your answers: no page in it


@pytest.mark.parametrize("page", ["0", "-1", "4", "abc", "1.5", "", "9" * 5000, "%00"])
def test_a_bad_page_shows_the_first_one(client, many_routes, page):
    response = client.get(f"{RESULTS}?age=30&page={page}", follow=True)
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
    query = "country=kazakhstan&age=30&job_offer=yes"
    verdict, card = verdict_cards(client.get(f"{RESULTS}?{query}"))[work_route.get_absolute_url()]
    assert verdict == "not_enough"
    assert "The checker cannot settle one point: check it against the source." in card
    assert (
        "Check yourself Qualification or profession Required (an engineering degree): the "
        "source states it in words only: check it against the source." in card
    )
