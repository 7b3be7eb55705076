"""The category comparison: one row per published route, every cell sourced, sortable."""

import datetime
import re

import pytest

from .factories import (
    CategoryFactory,
    CountryFactory,
    FactFactory,
    FeeFactory,
    FigureFactory,
    RouteFactory,
    SourceFactory,
)
from .helpers import MOMENT, compressed_weight, text_of

pytestmark = pytest.mark.django_db


@pytest.fixture
def table(db):
    category = CategoryFactory()
    kz = RouteFactory(
        category=category, official_name="Labour permit", country=CountryFactory(code="KZ")
    )
    ae = RouteFactory(
        category=category, official_name="UAE permit", country=CountryFactory(code="AE")
    )
    RouteFactory(category=category, official_name="Draft permit", status="draft")
    FigureFactory(route=kz, minimum=2, maximum=2, unit="days")
    FigureFactory(route=ae, minimum=5, maximum=5, unit="working_days")
    FactFactory(route=kz, topic="age", minimum=18, maximum=60)
    FactFactory(route=ae, topic="permanent_residence", status="", pathway="no")
    FeeFactory(
        route=ae,
        text="Work permit",
        minimum=250,
        maximum=3450,
        unit="AED",
        source=SourceFactory(
            kind="secondary", publisher="news.example", page_date=datetime.date(2025, 3, 1)
        ),
    )
    return category


def rows(response):
    """The table body's rows as text, one string per row."""
    html = response.content.decode()
    body = html[html.index("<tbody") : html.index("</tbody>")]
    return [text_of_html(row) for row in re.findall(r"<tr[^>]*>(.*?)</tr>", body, flags=re.S)]


def text_of_html(fragment):
    class Fake:
        content = fragment.encode()

    return text_of(Fake()).strip()


def test_comparison_has_a_row_per_published_route_across_countries(client, table):
    response = client.get(table.get_absolute_url())
    assert response.status_code == 200
    text = text_of(response)
    assert "Employer-sponsored work: 2 published routes, sorted by country" in text
    kz, ae = rows(response)
    # Route, fees, processing time, validity, path to permanent residence, last
    # verified, then the requirements.
    assert kz == (
        "Kazakhstan Labour permit not stated 2 days source Jun 2026 not stated not stated "
        "24 Jun 2026 18–60 years source Jun 2026"
    )
    assert ae.startswith(
        "United Arab Emirates UAE permit Not stated: age range "
        "Work permit: 250–3,450 AED source Secondary Mar 2025 "
        "5 working days source Jun 2026 not stated "
        "Does not lead directly to permanent residence source Jun 2026 24 Jun 2026"
    )
    assert "Draft permit" not in text


def headers(response):
    return re.findall(r'<th scope="col"[^>]*>(.*?)</th>', response.content.decode())


def test_columns_are_the_key_figures_then_the_criteria_the_routes_state(client, table):
    # A source saying nothing of a criterion does not make a column of it.
    route = table.routes.get(official_name="Labour permit")
    FactFactory(route=route, topic="language", status="not_stated")
    response = client.get(table.get_absolute_url())
    assert headers(response) == [
        "Route",
        "Fees",
        "Processing time",
        "Validity",
        "Path to permanent residence",
        "Last verified",
        "Age range",
    ]
    html = response.content.decode()
    assert "<caption" in html
    assert 'role="region"' in html and 'class="table-scroll"' in html
    # What every route's sources are silent on is named, not shown as empty columns.
    assert (
        "The sources of these routes state nothing on: renewal, job offer, employer sponsor, "
        "health insurance, medical exam, minimum income, investment, family tie, ethnic origin, "
        "language knowledge, clean criminal record, years of residence, nationality, education, "
        "qualification or profession, invitation and accommodation."
    ) in text_of(response)


def test_a_column_stated_on_a_later_page_is_on_every_page(client, long_table):
    last = long_table.routes.order_by("official_name").last()
    FactFactory(route=last, topic="medical_exam")
    FigureFactory(route=last, topic="renewal", minimum=None, maximum=None, unit="", text="Yes")
    url = long_table.get_absolute_url()
    first, second = client.get(url), client.get(f"{url}?page=2")
    assert last.official_name not in text_of(first)
    assert headers(first) == headers(second)
    assert headers(first)[-2:] == ["Renewal", "Medical exam"]
    assert "state nothing on: job offer," in text_of(first)


def test_a_card_names_in_one_line_the_requirements_its_sources_are_silent_on(client, table):
    """On a phone the silent requirements' cells give way to one line under the name."""
    ae = table.routes.get(official_name="UAE permit")
    FactFactory(route=table.routes.get(official_name="Labour permit"), topic="medical_exam")
    html = client.get(table.get_absolute_url()).content.decode()
    row = re.search(r"<tr>\s*<th scope=\"row\">[^\n]*UAE permit.*?</tr>", html, flags=re.S).group()
    assert (
        '<span class="silent-on"><strong>Not stated:</strong> medical exam and age range</span>'
        in (row)
    )
    assert re.findall(r'<td data-label="([^"]+)" class="silent">', row) == [
        "Medical exam",
        "Age range",
    ]
    assert ae.official_name in row


def test_each_cell_is_labelled_for_the_card_a_phone_shows(client, table):
    """On a phone a row is a card: each value says which column it is in, in the same order."""
    response = client.get(table.get_absolute_url())
    html = response.content.decode()
    body = html[html.index("<tbody") : html.index("</tbody>")]
    for row in re.findall(r"<tr[^>]*>(.*?)</tr>", body, flags=re.S):
        assert re.findall(r'<td data-label="([^"]+)"', row) == headers(response)[1:]
        assert '<th scope="row">' in row
    # Rows shown as cards stay a table for screen readers.
    assert '<table class="compare" role="table">' in html
    assert '<thead role="rowgroup">' in html and '<tbody role="rowgroup">' in html
    assert 'class="route-country"><img class="flag"' in html  # the country is in the route's cell


def test_the_comparison_with_its_stylesheets_weighs_under_30_kb_compressed(client, content):
    response = client.get("/compare/employer-sponsored-work/")
    html = response.content.decode()
    sheets = re.findall(r'<link rel="stylesheet" href="/static/([^"]+)"', html)
    assert sorted(sheets) == ["css/compare.css", "css/site.css"]
    assert "<script src" not in html
    assert compressed_weight(response) < 30 * 1024


def test_only_the_comparison_loads_its_stylesheet(client, table):
    assert "css/compare.css" in client.get(table.get_absolute_url()).content.decode()
    assert "css/compare.css" not in client.get("/compare/").content.decode()


def test_every_cell_links_to_its_source(client, table):
    from routes.models import Fact

    html = client.get(table.get_absolute_url()).content.decode()
    facts = Fact.objects.filter(route__category=table, route__status="published")
    assert facts.count() == 5
    for fact in facts:
        assert f'href="{fact.source.url}"' in html


def test_sorting_by_processing_time(client, table):
    response = client.get(table.get_absolute_url(), {"sort": "processing"})
    kz, ae = rows(response)
    assert kz.startswith("Kazakhstan") and ae.startswith("United Arab Emirates")
    assert 'aria-sort="ascending">Processing time' in response.content.decode()
    response = client.get(table.get_absolute_url(), {"sort": "residence"})
    first, second = rows(response)
    assert first.startswith("United Arab Emirates")  # a stated pathway before "not stated"


def test_an_unknown_sort_falls_back_to_country(client, table):
    response = client.get(table.get_absolute_url(), {"sort": "'; drop table"})
    assert response.status_code == 200
    assert "sorted by country" in text_of(response)


def test_compare_index_lists_the_categories(client, table):
    CategoryFactory(name="Family")
    response = client.get("/compare/")
    assert response.status_code == 200
    text = text_of(response)
    assert "Employer-sponsored work 2 routes" in text
    assert "Family 0 routes" in text


def test_unknown_category_is_404(client):
    assert client.get("/compare/nothing/").status_code == 404


@pytest.mark.parametrize("routes", [2, 60])
@pytest.mark.parametrize("sort", ["country", "processing", "verified"])
def test_comparison_query_count_is_constant(client, django_assert_num_queries, routes, sort):
    # The category, the topics its routes state, its countries, the number of
    # routes, the page's routes in order, those routes with what their rows show,
    # and their facts: seven, however many routes it has.
    category = CategoryFactory()
    for route in RouteFactory.create_batch(routes, category=category):
        FigureFactory(route=route)
        FeeFactory(route=route)
    with django_assert_num_queries(MOMENT + 7):
        assert client.get(category.get_absolute_url(), {"sort": sort}).status_code == 200


@pytest.fixture
def long_table(db):
    from routes.views import COMPARE_PER_PAGE

    category = CategoryFactory()
    countries = [CountryFactory(code=code) for code in ("AE", "GE", "KZ")]
    for number in range(COMPARE_PER_PAGE + 5):
        route = RouteFactory(
            category=category, country=countries[number % 3], official_name=f"Permit {number:02}"
        )
        FigureFactory(route=route, minimum=number + 1, maximum=number + 1, unit="days")
    return category


def canonical(response):
    return re.search(r'<link rel="canonical" href="([^"]+)"', response.content.decode()).group(1)


def test_a_long_comparison_comes_in_pages_of_sorted_rows(client, long_table):
    from routes.views import COMPARE_PER_PAGE

    url = long_table.get_absolute_url()
    first = client.get(url)
    assert len(rows(first)) == COMPARE_PER_PAGE
    text = text_of(first)
    total = COMPARE_PER_PAGE + 5
    assert (
        f"{total} published routes, sorted by country; routes 1–{COMPARE_PER_PAGE}, page 1 of 2"
        in text
    )
    assert 'href="?page=2#compare-caption" rel="next"' in first.content.decode()
    assert canonical(first) == f"http://testserver{url}"

    second = client.get(f"{url}?page=2")
    assert len(rows(second)) == 5
    assert "page 2 of 2" in text_of(second)
    assert canonical(second) == f"http://testserver{url}?page=2"
    assert re.search(r"<title>[^<]* \(page 2 of 2\) · [^<]+</title>", second.content.decode())
    shown = [re.search(r"Permit \d+", row).group() for row in rows(first) + rows(second)]
    assert len(set(shown)) == len(shown) == total  # every route once, none twice


def test_pages_keep_the_order_chosen(client, long_table):
    url = long_table.get_absolute_url()
    first = client.get(f"{url}?sort=processing")
    assert "Permit 00" in rows(first)[0]  # the shortest processing time first
    assert 'href="?sort=processing&amp;page=2#compare-caption" rel="next"' in first.content.decode()
    second = client.get(f"{url}?sort=processing&page=2")
    assert "Permit 54" in rows(second)[-1]
    # Another order of the same routes is not a page of its own.
    assert canonical(second) == f"http://testserver{url}"


def test_sorting_reads_the_figure_the_route_page_shows(client):
    """The newest current figure counts; a historical or draft one never does."""
    category = CategoryFactory()
    countries = {code: CountryFactory(code=code) for code in ("AE", "GE", "KZ", "UZ")}
    newer = RouteFactory(category=category, country=countries["AE"], official_name="Newer")
    # Stated as 90 days in 2024 and as 10 days since 2026: the page shows 10 days.
    FigureFactory(route=newer, minimum=90, maximum=90, unit="days", as_of=datetime.date(2024, 1, 1))
    FigureFactory(route=newer, minimum=10, maximum=10, unit="days", as_of=datetime.date(2026, 1, 1))
    months = RouteFactory(category=category, country=countries["GE"], official_name="Months")
    FigureFactory(route=months, minimum=1, maximum=2, unit="months")  # about 61 days
    historical = RouteFactory(category=category, country=countries["KZ"], official_name="Old")
    FigureFactory(route=historical, minimum=1, maximum=1, unit="days", standing="historical")
    weeks = RouteFactory(category=category, country=countries["UZ"], official_name="Weeks")
    FigureFactory(route=weeks, minimum=3, maximum=None, unit="weeks")  # at least 21 days
    for route in (newer, months, historical, weeks):
        FactFactory(route=route, topic="permanent_residence", status="", pathway="no")
    later = datetime.date(2026, 7, 1)  # after the other's source was verified
    FactFactory(route=months, topic="permanent_residence", status="", pathway="yes", as_of=later)

    def names(sort):
        response = client.get(category.get_absolute_url(), {"sort": sort})
        html = response.content.decode()
        return re.findall(r'<th scope="row">.*?</span> <a href="[^"]+">(\w+)</a>', html)

    # The historical figure is not a processing time the page states: last.
    assert names("processing") == ["Newer", "Weeks", "Months", "Old"]
    # No route states a validity: by country (Country GE, Country UZ, Kazakhstan, UAE).
    assert names("validity") == names("country") == ["Months", "Weeks", "Old", "Newer"]
    # Two sources disagree on Months' pathway; its page shows the newer (yes) first.
    assert names("residence") == ["Months", "Weeks", "Old", "Newer"]


def test_sorting_by_route_name_ignores_case_in_any_script(client):
    category = CategoryFactory()
    for name in ("Ébc permit", "éaa permit", "Abc permit"):
        RouteFactory(category=category, official_name=name)
    response = client.get(category.get_absolute_url(), {"sort": "route"})
    html = response.content.decode()
    names = re.findall(r'<th scope="row">.*?</span> <a href="[^"]+">([^<]+)</a>', html)
    assert names == ["Abc permit", "éaa permit", "Ébc permit"]


@pytest.mark.parametrize("page", ["3", "0", "-1", "two"])
def test_a_page_the_comparison_does_not_have_is_404(client, long_table, page):
    assert client.get(f"{long_table.get_absolute_url()}?page={page}").status_code == 404


@pytest.mark.parametrize("routes", [2, 40])
def test_comparison_index_query_count_is_constant(client, django_assert_num_queries, routes):
    RouteFactory.create_batch(routes, category=CategoryFactory())
    with django_assert_num_queries(MOMENT + 1):
        assert client.get("/compare/").status_code == 200


def test_a_lasting_status_is_compared_without_permit_columns(client):
    """Citizenship has no validity, renewal or path to residence to compare."""
    citizenship = CategoryFactory(name="Citizenship", grants_permit=False)
    RouteFactory(category=citizenship, official_name="Citizenship by naturalisation")
    response = client.get(citizenship.get_absolute_url(), {"sort": "validity"})
    assert response.status_code == 200
    text = text_of(response)
    assert "Citizenship by naturalisation" in text
    assert "sorted by country" in text  # not a sort this table offers
    assert "Validity" not in text
    assert "Renewal" not in text and "renewal" not in text
    assert "permanent residence" not in text
