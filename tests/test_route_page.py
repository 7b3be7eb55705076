"""The route page: every fact of the seed, in the seed's order, each with its source."""

import datetime
import re

import pytest

from .factories import (
    CategoryFactory,
    DocumentFactory,
    FactFactory,
    FeeFactory,
    FigureFactory,
    QuestionFactory,
    RouteFactory,
    SourceFactory,
    StepFactory,
)
from .helpers import MOMENT, source_entry, text_of

SEED_URL = "/kazakhstan/labour-immigrant-work-permit/"


@pytest.fixture
def seed_page(client, content):
    response = client.get(SEED_URL)
    assert response.status_code == 200
    return text_of(response)


def test_seed_page_header(seed_page):
    assert "Kazakhstan · Employer-sponsored work" in seed_page
    assert (
        "Issuance and extension of a permit to a labour immigrant — requirements, costs & how to apply"
        in seed_page
    )


@pytest.mark.parametrize(
    "row",
    [
        "Job offer Required",
        "Employer sponsor Required",
        "Health insurance Required (valid in-country)",
        "Medical exam Required",
        "Age range 18–60 years",
    ],
)
def test_seed_eligibility_rows_cite_the_official_source(seed_page, row):
    # An official source's number stands alone; its kind and dates are in the list.
    assert f"{row} [1] " in seed_page, row
    assert f"{row} [1] Official" not in seed_page


def test_the_seed_source_is_described_once_in_the_list(client, content):
    response = client.get(SEED_URL)
    html = response.content.decode()
    assert html.count('href="#source-1"') > 15
    entry = source_entry(response, 1)
    assert entry.startswith(
        "Issuance and extension of a permit to a labour immigrant Official not yet verified"
    )
    assert (
        "eGov.kz, Government of the Republic of Kazakhstan · Official government source · "
        "as transcribed by wheretoemigrate.io, updated 24 Jun 2026" in entry
    )
    # Dates are said once per source, in the list, never next to each fact.
    text = text_of(response)
    assert text.index("24 Jun 2026") > text.index("Sources & verification")


def test_answers_that_repeat_the_glance_are_only_in_the_structured_data(client, content):
    response = client.get(SEED_URL)
    text = text_of(response)
    html = response.content.decode()
    for question in ("How long does it take?", "Does this route lead to permanent residence?"):
        assert question not in text
        assert f'"name": "{question}"' in html
    assert "Do I need health insurance?" in text
    assert "Who does not need this permit?" in text


@pytest.mark.parametrize(
    "document",
    [
        "Application for work permit (signed by the foreigner and the employer)",
        "Receipts for advance payments of personal income tax",
        "Passport with mark(s) on the crossing of the state border of the Republic of "
        "Kazakhstan in the last 12 months",
        "Medical certificate (form 028/y, issued within the last 12 months)",
        "Medical insurance covering basic and specialized medical care for at least the period "
        "specified in the application",
        "Agreement on the intention to conclude an employment contract with an employer in "
        "Kazakhstan First application",
        "Employment contract with an employer in Kazakhstan Extension",
    ],
)
def test_seed_documents_with_first_and_extension_marks(seed_page, document):
    assert document + " [1]" in seed_page


def test_seed_duration_apply_and_faq(seed_page):
    # The transcription says so, labelled as what it is; the official page is silent.
    assert (
        "Path to permanent residence Does not lead directly to permanent residence [2] "
        "Secondary Rights and limits" in seed_page
    )
    assert "Cost Not stated by the sources" in seed_page
    assert "Confirm you meet the eligibility above." in seed_page
    assert "https://egov.kz/cms/en/services/for_foreigners/38-1_mvd" in seed_page
    assert "Processing time 2 days (typical, approximately) [1]" in seed_page
    assert (
        "Do I need health insurance? Yes — health insurance is required (valid in-country)."
        in seed_page
    )


def test_seed_sources_cta_related_and_disclaimer(seed_page):
    assert "Sources & verification" in seed_page
    assert (
        "“Issuance and extension of a permit to a labour immigrant (temporary labour-immigrant "
        "work permit; page is silent on any permanent-residence pathway).”" in seed_page
    )
    assert (
        "eGov.kz, Government of the Republic of Kazakhstan · Official government source"
        in seed_page
    )
    # Read via the peer site's transcription: its date, never this site's verification.
    assert (
        "Official government source · as transcribed by wheretoemigrate.io, updated "
        "24 Jun 2026 (the quote is the copy's text; the original page has not been read "
        "here) · the page gives no date · not yet verified" in seed_page
    )
    assert "verified 24 Jun" not in seed_page
    assert "Not sure if you qualify?" in seed_page
    assert "Get Your Free Verdict →" in seed_page
    assert "Other Kazakhstan routes" in seed_page
    assert "Compare all Employer-sponsored work programs →" in seed_page
    assert "More about emigrating to Kazakhstan →" in seed_page
    # Once: the page closes with its own disclaimer, instead of the site footer's.
    assert seed_page.count("Informational only, not legal or immigration advice.") == 1
    assert "Not yet verified." in seed_page


def test_seed_sections_in_the_seed_order(seed_page):
    headings = [
        "At a glance",
        "On this page",
        "Who is eligible",
        "Documents",
        "How to apply",
        "Frequently asked",
        "Sources & verification",
        "Not sure if you qualify?",
        "Other Kazakhstan routes",
    ]
    positions = [seed_page.index(h) for h in headings]
    assert positions == sorted(positions)


def test_page_links(client, content):
    html = client.get(SEED_URL).content.decode()
    assert 'href="/check/"' in html
    assert 'href="/compare/employer-sponsored-work/"' in html
    assert 'href="/kazakhstan/"' in html
    assert 'src="/static/flags/kz.svg"' in html
    assert '<html lang="en">' in html


@pytest.mark.django_db
def test_a_route_with_nothing_stated_says_so(client):
    route = RouteFactory()
    text = text_of(client.get(route.get_absolute_url()))
    glance = text[text.index("At a glance") : text.index("On this page")]
    for label in (
        "Cost",
        "Processing time",
        "Validity",
        "Renewal",
        "Path to permanent residence",
        "Where to apply",
    ):
        assert f"{label} Not stated by the sources" in glance, label
    assert "Last verified Not yet verified" in glance
    assert "The sources do not state any eligibility criteria for this route." in text
    assert "The sources do not list the documents." in text
    # The derived answers say it too, in the structured data only.
    assert "How long does it take?" not in text


@pytest.mark.django_db
def test_a_not_stated_requirement_reads_not_stated(client):
    fact = FactFactory(topic="age", status="not_stated", source=None)
    text = text_of(client.get(fact.route.get_absolute_url()))
    assert "Age range Not stated" in text


@pytest.mark.django_db
def test_fees_show_amount_currency_and_local_units_explained(client):
    route = RouteFactory()
    FeeFactory(route=route, text="Work permit", minimum=155, unit="CAD")
    FeeFactory(route=route, text="State duty", minimum="0.1", unit="KZT-MCI")
    text = text_of(client.get(route.get_absolute_url()))
    assert "Work permit: 155 CAD [1]" in text
    assert "State duty: 0.1 MCI Kazakhstan's monthly calculation index (MCI)" in text


@pytest.mark.django_db
def test_disagreeing_sources_show_both_values_newest_first(client):
    import datetime

    route = RouteFactory()
    old = SourceFactory(
        kind="secondary", publisher="zakon.kz", page_date=datetime.date(2025, 8, 12)
    )
    new = SourceFactory(kind="agency", publisher="oq.gov.kz")
    FigureFactory(route=route, minimum=30, maximum=30, unit="working_days", source=old)
    FigureFactory(
        route=route,
        minimum=3,
        maximum=3,
        unit="working_days",
        source=new,
        as_of=datetime.date(2025, 10, 26),
    )
    text = text_of(client.get(route.get_absolute_url()))
    assert "Sources disagree." in text
    newest = text.index("3 working days in force from 26 Oct 2025 [2] State agency")
    oldest = text.index("30 working days [1] Secondary")
    assert newest < oldest
    html = client.get(route.get_absolute_url()).content.decode()
    assert (
        "The sources disagree: 3 working days according to oq.gov.kz; "
        "30 working days according to zakon.kz." in html
    )


@pytest.mark.django_db
def test_an_answer_gives_every_value_one_source_states(client):
    """One source's values for different cases are variants, not a
    disagreement: the answer names each, and cites the source once."""
    route = RouteFactory()
    source = SourceFactory()
    FigureFactory(
        route=route, minimum=3, maximum=3, unit="weeks", text="from outside", source=source
    )
    FigureFactory(
        route=route, minimum=8, maximum=8, unit="weeks", text="from inside", source=source
    )
    text = text_of(client.get(route.get_absolute_url()))
    assert "Sources disagree." not in text
    html = client.get(route.get_absolute_url()).content.decode()
    assert re.search(
        r'"How long does it take\?", "acceptedAnswer": \{"@type": "Answer", "text": '
        r'"3 weeks[^.]*from outside[^.]*\. 8 weeks[^.]*from inside[^.]*\."',
        html,
    )


@pytest.mark.django_db
def test_a_lasting_status_page_states_only_the_terms_its_sources_give(client):
    """Citizenship has no validity, renewal or path to residence: its page does
    not say the sources are silent on them, and shows what they do state."""
    citizenship = CategoryFactory(name="Citizenship", grants_permit=False)
    route = RouteFactory(category=citizenship)
    bare = text_of(client.get(route.get_absolute_url()))
    assert "Validity" not in bare and "Renewal" not in bare
    assert "permanent residence" not in bare
    assert "Processing time Not stated by the sources" in bare
    FigureFactory(
        route=route,
        topic="rights",
        minimum=None,
        maximum=None,
        unit="",
        text="Dual citizenship is not allowed",
    )
    stated = text_of(client.get(route.get_absolute_url()))
    assert "Rights and limits Dual citizenship is not allowed [1]" in stated
    assert "Validity" not in stated


@pytest.mark.django_db
def test_historical_figures_are_labelled(client):
    import datetime

    fee = FeeFactory(
        text="Permit, per month",
        minimum=2,
        unit="KZT-MCI",
        standing="historical",
        as_of=datetime.date(2014, 1, 1),
    )
    text = text_of(client.get(fee.route.get_absolute_url()))
    assert "Permit, per month: 2 MCI Historical, 2014" in text


@pytest.mark.django_db
def test_secondary_sources_are_labelled_next_to_the_fact(client):
    fact = FactFactory(source=SourceFactory(kind="secondary", publisher="law-firm.example"))
    response = client.get(fact.route.get_absolute_url())
    assert "Job offer Required [1] Secondary" in text_of(response)
    assert "law-firm.example · Secondary source" in source_entry(response, 1)


@pytest.mark.django_db
def test_the_closing_note_points_above_only_to_an_official_source_the_page_cites(client):
    fact = FactFactory(source=SourceFactory(kind="secondary", publisher="law-firm.example"))
    with_secondary = text_of(client.get(fact.route.get_absolute_url()))
    assert "official government source linked above" not in with_secondary
    assert (
        "always confirm with the official government source before applying: "
        "this page cites none yet." in with_secondary
    )
    FactFactory(route=fact.route, topic="medical_exam", source=SourceFactory(kind="official"))
    with_official = text_of(client.get(fact.route.get_absolute_url()))
    assert "always confirm on the official government source linked above before applying." in (
        with_official
    )


@pytest.mark.django_db
def test_draft_and_unknown_routes_are_404(client):
    draft = RouteFactory(status="draft")
    assert client.get(draft.get_absolute_url()).status_code == 404
    assert client.get(f"/{draft.country.slug}/no-such-route/").status_code == 404
    assert client.get("/no-such-country/anything/").status_code == 404


@pytest.mark.django_db
def test_other_routes_lists_published_siblings_only(client):
    route = RouteFactory(official_name="First route")
    RouteFactory(country=route.country, official_name="Sibling route")
    RouteFactory(country=route.country, official_name="Draft route", status="draft")
    text = text_of(client.get(route.get_absolute_url()))
    related = text[text.index(f"Other {route.country.name} routes") :]
    # A short name and the category: the page title's tagline is not repeated.
    assert f"Sibling route {route.category.name}" in related
    assert "requirements, costs & how to apply" not in related
    assert "Draft route" not in text


@pytest.mark.django_db
def test_other_routes_are_at_most_ten_those_of_the_same_category_first(client):
    route = RouteFactory(category=CategoryFactory(name="Family", position=2))
    country = route.country
    for n in range(12):
        RouteFactory(country=country, category=route.category, official_name=f"Family route {n:02}")
    first = CategoryFactory(name="Employer-sponsored work", position=1)
    RouteFactory(country=country, category=first, official_name="Work route")
    html = client.get(route.get_absolute_url()).content.decode()
    related = html[html.index('id="related-title"') :]
    listed = re.findall(r'<li><a [^>]*>([^<]+)</a> <span class="related-category">', related)
    assert listed == [f"Family route {n:02}" for n in range(10)]
    assert f'<a href="{country.get_absolute_url()}">Every {country.name} route →</a>' in related


@pytest.mark.django_db
def test_a_country_with_few_routes_lists_them_all_with_no_link_to_more(client):
    route = RouteFactory()
    RouteFactory(country=route.country, official_name="Sibling route")
    html = client.get(route.get_absolute_url()).content.decode()
    assert ">Sibling route</a>" in html
    assert f"Every {route.country.name} route" not in html


def build_route(rows):
    route = RouteFactory()
    for _ in range(rows):
        source = SourceFactory()
        FactFactory(route=route, source=source)
        FeeFactory(route=route, source=source)
        DocumentFactory(route=route, source=source)
        StepFactory(route=route, source=source)
        QuestionFactory(route=route, source=source)
    RouteFactory.create_batch(rows, country=route.country)
    return route


@pytest.mark.django_db
@pytest.mark.parametrize("rows", [1, 50])
def test_route_page_query_count_is_constant(client, django_assert_num_queries, rows):
    route = build_route(rows)
    # The route, facts, documents, steps, questions, their sources, recent
    # changes, other routes.
    with django_assert_num_queries(MOMENT + 8):
        response = client.get(route.get_absolute_url())
    assert response.status_code == 200


@pytest.mark.django_db
def test_two_values_from_one_source_are_variants_not_a_disagreement(client):
    route = RouteFactory()
    source = SourceFactory()
    FactFactory(
        route=route, topic="income", minimum=48300, unit="EUR", period="year", source=source
    )
    FactFactory(
        route=route,
        topic="income",
        minimum=43759.80,
        unit="EUR",
        period="year",
        source=source,
        text="shortage occupations",
    )
    text = text_of(client.get(route.get_absolute_url()))
    assert "Sources disagree" not in text
    assert "at least 48,300 EUR per year" in text
    # An amount of money keeps its cents in full.
    assert "at least 43,759.80 EUR per year (shortage occupations)" in text


@pytest.mark.django_db
def test_partly_verified_pages_say_how_many_sources_are_unverified(client):
    fact = FactFactory()
    FactFactory(route=fact.route, topic="medical_exam", source=SourceFactory(verified_on=None))
    text = text_of(client.get(fact.route.get_absolute_url()))
    assert "Last verified 24 June 2026; 1 of 2 sources not yet verified." in text


@pytest.mark.django_db
def test_only_historical_fees_say_there_is_no_current_fee(client):
    fee = FeeFactory(standing="historical", text="Permit, per month (2014 rules)")
    text = text_of(client.get(fee.route.get_absolute_url()))
    assert "The sources do not state a current fee;" in text


@pytest.mark.django_db
def test_how_to_apply_says_when_the_sources_give_no_steps(client):
    without = FactFactory().route
    text = text_of(client.get(without.get_absolute_url()))
    apply = text[text.index("How to apply The") : text.index("Sources & verification")]
    assert "The sources give no steps for applying." in apply
    step = StepFactory(text="Book an appointment at the consulate.")
    text = text_of(client.get(step.route.get_absolute_url()))
    assert "Book an appointment at the consulate." in text
    assert "The sources give no steps for applying." not in text


@pytest.mark.django_db
def test_fees_for_one_thing_from_two_sources_show_as_a_disagreement_newest_first(client):
    route = RouteFactory()
    older = SourceFactory(page_date=datetime.date(2025, 7, 1))
    FeeFactory(
        route=route,
        text="Visa application, up to three years",
        minimum=719,
        unit="GBP",
        source=older,
        position=1,
    )
    FeeFactory(
        route=route,
        text="Visa application, more than three years",
        minimum=1420,
        unit="GBP",
        source=older,
        position=2,
    )
    FeeFactory(
        route=route,
        text="Visa application (a 2026 page)",
        minimum=769,
        maximum=1519,
        unit="GBP",
        source=SourceFactory(page_date=None),
        as_of=datetime.date(2026, 1, 1),
        as_of_year_only=True,
        position=3,
    )
    text = text_of(client.get(route.get_absolute_url()))
    costs = text[text.index("Cost Visa") : text.index("Processing time")]
    assert costs.startswith("Cost Visa application: Sources disagree.")
    newest = costs.index("769–1,519 GBP (a 2026 page) for 2026")
    assert newest < costs.index("719 GBP (up to three years)")
    assert "1,420 GBP (more than three years)" in costs


@pytest.mark.django_db
def test_one_sources_fees_for_cases_of_one_thing_are_variants(client):
    route = RouteFactory()
    source = SourceFactory()
    for position, (case, amount) in enumerate([("U.S. citizens", 190), ("others", 104)], 1):
        FeeFactory(
            route=route,
            text=f"Visa fee, {case}",
            minimum=amount,
            unit="USD",
            source=source,
            position=position,
        )
    text = text_of(client.get(route.get_absolute_url()))
    assert "Visa fee: 190 USD (U.S. citizens)" in text
    assert "104 USD (others)" in text
    assert "Sources disagree" not in text


@pytest.mark.django_db
def test_the_glance_comes_first_with_each_value_cited_and_disagreements_said(client):
    route = RouteFactory()
    FigureFactory(route=route, minimum=2, maximum=2, unit="days", source=SourceFactory())
    FigureFactory(
        route=route, minimum=9, maximum=9, unit="days", source=SourceFactory(kind="secondary")
    )
    FigureFactory(route=route, topic="validity", minimum=1, maximum=1, unit="years")
    FeeFactory(route=route, text="Permit", minimum=100, unit="EUR")
    response = client.get(route.get_absolute_url())
    text = text_of(response)
    glance = text[text.index("At a glance") : text.index("On this page")]
    assert text.index("At a glance") < text.index("Who is eligible")
    assert f"Who it is for {route.summary}" in glance
    assert "Cost Permit: 100 EUR [" in glance
    assert "Processing time Sources disagree." in glance
    assert re.search(r"2 days \[\d\]", glance) and re.search(r"9 days \[\d\] Secondary", glance)
    assert re.search(r"Validity 1 year \[\d\]", glance)
    assert "Renewal Not stated by the sources" in glance
    assert "Last verified 24 June 2026" in glance
    html = response.content.decode()
    toc = html[
        html.index('<nav class="toc"') : html.index("</nav>", html.index('<nav class="toc"'))
    ]
    for anchor in ("eligibility", "documents", "apply", "sources", "recent-changes"):
        assert f'href="#{anchor}"' in toc and f'id="{anchor}"' in html


@pytest.mark.django_db
def test_a_quote_folds_with_its_first_line_shown_in_its_own_language(client):
    quote = "Иностранцы вправе осуществлять трудовую деятельность на основании разрешения."
    source = SourceFactory(quote=quote, quote_language="ru", note="In English: foreigners …")
    fact = FactFactory(source=source)
    response = client.get(fact.route.get_absolute_url())
    html = response.content.decode()
    assert (
        '<summary><span class="quote-label">Quote in Russian and dates:</span> '
        f'<span class="quote-opening" lang="ru">“{quote}”</span></summary>' in html
    )
    assert f'<blockquote lang="ru"><p>“{quote}”</p></blockquote>' in html
    # Nothing is lost in the fold: kind, dates, quote and note.
    entry = source_entry(response, 1)
    assert "Official government source" in entry and "verified 24 Jun 2026" in entry
    assert "In English: foreigners …" in entry


@pytest.mark.django_db
def test_a_long_quote_shows_its_opening_cut_at_a_word(client):
    quote = "The permit is issued " + "for work in the country " * 12 + "and can be extended."
    fact = FactFactory(source=SourceFactory(quote=quote))
    html = client.get(fact.route.get_absolute_url()).content.decode()
    opening = re.search(r'<span class="quote-opening" lang="en">“([^”]+)”</span>', html).group(1)
    assert opening.endswith(" …") and len(opening) <= 162
    assert quote.startswith(opening.removesuffix(" …"))
    assert f"“{quote}”" in html
