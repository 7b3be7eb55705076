"""The comparison reads as a table on a desktop and as a card per route on a phone."""

import pytest

from tests.factories import CountryFactory, FactFactory, FeeFactory, FigureFactory, RouteFactory

from .support import PAGES, PLAIN_STATIC, new_page, visit

pytestmark = pytest.mark.browser

# The columns a desktop shows without scrolling, in their order.
LEADING = [
    "Route",
    "Fees",
    "Processing time",
    "Validity",
    "Path to permanent residence",
    "Last verified",
]

MEASURE_JS = """() => {
  const box = el => el.getBoundingClientRect();
  const table = document.querySelector('table.compare');
  const cells = [...table.querySelectorAll('tbody td')];
  return {
    width: document.documentElement.clientWidth,
    scrollWidth: document.documentElement.scrollWidth,
    height: document.documentElement.scrollHeight,
    scroller: box(document.querySelector('.table-scroll')).right,
    table: box(table).right,
    // What a visitor sees: the header row is read out on a phone, not shown.
    widest: Math.max(...[...table.querySelectorAll('caption, tbody *')].map(el => box(el).right)),
    heads: [...table.querySelectorAll('thead th')].map(
      th => ({text: th.textContent.trim(), right: box(th).right})),
    rows: [...table.querySelectorAll('tbody tr')].map(tr => getComputedStyle(tr).display),
    labelled: cells.every(
      td => getComputedStyle(td, '::before').content.includes(td.dataset.label)),
  };
}"""


@pytest.fixture(scope="module")
def measured(site, pages):
    """The comparison of the real content, measured at both sizes."""
    found = {}
    for viewport, page in pages.items():
        visit(page, site, PAGES["compare"], "compare")
        found[viewport] = page.evaluate(MEASURE_JS)
    return found


def test_the_key_columns_fit_a_desktop_screen(measured):
    desktop = measured["desktop"]
    assert desktop["scrollWidth"] <= desktop["width"]
    heads = desktop["heads"]
    assert [h["text"] for h in heads[: len(LEADING)]] == LEADING
    assert len(heads) > len(LEADING)  # requirement columns follow, in the sideways scroll
    for head in heads[: len(LEADING)]:
        assert head["right"] <= desktop["scroller"] < 1280, head


def test_a_phone_shows_a_card_per_route_with_nothing_past_the_edge(measured):
    phone = measured["phone"]
    assert phone["scrollWidth"] <= phone["width"]
    assert phone["table"] <= phone["width"] and phone["widest"] <= phone["width"] + 1
    assert set(phone["rows"]) == {"block"}
    assert phone["labelled"], "each value on a card says what it is"


@pytest.fixture
def phone_at_home(browser, live_server, transactional_db, settings):
    settings.STORAGES = PLAIN_STATIC
    page = new_page(browser, "phone")
    page.base = live_server.url
    yield page
    page.context.close()


def test_a_comparison_of_twelve_routes_stays_short_on_a_phone(phone_at_home):
    """Twelve routes with fees, figures and two requirements each: cards, not a long scroll."""
    codes = ["AE", "CA", "CZ", "DE", "FR", "GE", "IE", "JP", "KZ", "MX", "NL", "UZ"]
    for number, code in enumerate(codes):
        route = RouteFactory(
            country=CountryFactory(code=code), official_name=f"Work permit for employees {number}"
        )
        FeeFactory(route=route, text="Application fee")
        FeeFactory(route=route, text="Permit, for each year of validity", minimum=300)
        FigureFactory(route=route, text="standard")
        FigureFactory(route=route, topic="validity", minimum=1, maximum=2, unit="years")
        FactFactory(route=route, topic="permanent_residence", status="", pathway="no")
        FactFactory(route=route, text="from an employer registered in the country")
        FactFactory(route=route, topic="age", status="", minimum=18, maximum=60)
    page = phone_at_home
    visit(page, page.base, "/compare/employer-sponsored-work/")
    found = page.evaluate(MEASURE_JS)
    assert len(found["rows"]) == 12
    assert found["scrollWidth"] <= found["width"]
    assert found["height"] < 9000, found["height"]  # about 7,500 px
