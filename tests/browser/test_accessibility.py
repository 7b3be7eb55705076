"""WCAG 2.2 A and AA, checked by axe-core on every public page type at both sizes; keyboard use."""

import pytest

from tests.factories import FactFactory, RouteFactory

from .support import PAGES, PLAIN_STATIC, VIEWPORTS, axe_source, contrast, crawl, new_page

pytestmark = pytest.mark.browser

WCAG = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "wcag22a", "wcag22aa"]
RUN_AXE = (
    "tags => axe.run(document, {runOnly: {type: 'tag', values: tags}, resultTypes: ['violations']})"
)


def violations(page):
    """axe-core's WCAG A/AA violations on the page, one readable line per element."""
    if not page.evaluate("typeof axe !== 'undefined'"):
        page.evaluate(axe_source())
    found = page.evaluate(RUN_AXE, WCAG)["violations"]
    return [
        f"{v['id']} ({v['impact']}): {v['help']} — {node['target']}: {node['failureSummary']}"
        for v in found
        for node in v["nodes"]
    ]


DARK = ("route", "compare", "results", "check-errors")


@pytest.fixture(scope="module")
def axe_reports(site, pages, browser):
    reports = crawl(site, pages, lambda page, name, viewport: violations(page))
    # The dark colours pass too (contrast above all), on the pages with the most colour.
    dark = new_page(browser, "phone", color_scheme="dark")
    for name in DARK:
        dark.goto(site + PAGES[name])
        reports[name, "dark"] = violations(dark)
    dark.context.close()
    return reports


@pytest.mark.parametrize("viewport", VIEWPORTS)
@pytest.mark.parametrize("name", PAGES)
def test_no_wcag_violations(axe_reports, name, viewport):
    assert axe_reports[name, viewport] == []


@pytest.mark.parametrize("name", DARK)
def test_no_wcag_violations_in_dark_mode(axe_reports, name):
    assert axe_reports[name, "dark"] == []


# Keyboard use -----------------------------------------------------------------


@pytest.fixture
def keyboard(browser, live_server, transactional_db, settings):
    settings.STORAGES = PLAIN_STATIC
    page = new_page(browser, "phone")
    page.base = live_server.url
    yield page
    page.context.close()


def focused(page):
    return page.evaluate(
        """() => {
          const el = document.activeElement;
          const style = getComputedStyle(el);
          const box = el.getBoundingClientRect();
          let around = el.parentElement;  // what the outline is drawn on
          while (around && getComputedStyle(around).backgroundColor === 'rgba(0, 0, 0, 0)') {
            around = around.parentElement;
          }
          return {tag: el.tagName.toLowerCase(), id: el.id, text: el.textContent.trim(),
                  at: [Math.round(box.top + scrollY), Math.round(box.left)],
                  outline: style.outlineStyle !== 'none' && parseFloat(style.outlineWidth) >= 2,
                  colour: style.outlineColor,
                  background: around ? getComputedStyle(around).backgroundColor : 'rgb(255, 255, 255)'};
        }"""
    )


def test_the_skip_link_comes_first_shows_and_skips_the_navigation(keyboard):
    keyboard.goto(keyboard.base + "/check/")
    keyboard.keyboard.press("Tab")
    first = focused(keyboard)
    assert first["text"] == "Skip to content"
    assert first["outline"], "the focused skip link shows a focus outline"
    assert keyboard.locator(".skip-link").is_visible()
    box = keyboard.locator(".skip-link").bounding_box()
    assert box["x"] >= 0 and box["y"] >= 0, "the skip link is on screen when focused"
    keyboard.keyboard.press("Enter")
    keyboard.wait_for_url("**#main")  # the fragment navigation completes after the key press
    keyboard.keyboard.press("Tab")
    after = focused(keyboard)
    nav_links = keyboard.locator(".site-header a").all_text_contents()
    assert after["text"] not in nav_links, "Tab after the skip link lands past the navigation"


@pytest.mark.parametrize(
    "path",
    ["/", "/check/", "/check/results/?age=30&job_offer=yes", "{route}", "{route}report/"],
)
@pytest.mark.parametrize("scheme", ["light", "dark"])
def test_every_link_and_control_shows_where_the_focus_is(keyboard, path, scheme):
    """A solid outline of 2 px or more, in a colour 3:1 against what it is drawn on."""
    route = RouteFactory()
    keyboard.emulate_media(color_scheme=scheme)
    keyboard.goto(keyboard.base + path.format(route=route.get_absolute_url()))
    unseen, seen = [], set()
    for _ in range(150):
        keyboard.keyboard.press("Tab")
        now = focused(keyboard)
        key = (now["tag"], now["id"], now["text"][:40], tuple(now["at"]))
        if now["tag"] == "body" or key in seen:
            break
        seen.add(key)
        if not now["outline"] or contrast(now["colour"], now["background"]) < 3:
            unseen.append(now)
    assert len(seen) >= 8
    assert unseen == []


def tab_to(page, selector, limit=80):
    """Press Tab until the element matching `selector` has the focus."""
    for _ in range(limit):
        page.keyboard.press("Tab")
        if page.evaluate("s => document.activeElement.matches(s)", selector):
            return
    raise AssertionError(f"Tab never reached {selector}")


def test_the_checker_works_with_tab_and_enter(keyboard):
    route = RouteFactory()
    FactFactory(route=route, topic="income", minimum=3000, unit="EUR", period="month")
    keyboard.goto(keyboard.base + "/check/questions/?purpose=work")
    tab_to(keyboard, "input[name=income]")
    keyboard.keyboard.type("abc")
    keyboard.keyboard.press("Enter")
    keyboard.wait_for_url("**/check/results/**")
    # The error is tied to its field, and the summary's link takes the focus there.
    income = keyboard.locator("input[name=income]")
    assert income.get_attribute("aria-invalid") == "true"
    described = (income.get_attribute("aria-describedby") or "").split()
    messages = [keyboard.locator(f"#{i}").inner_text() for i in described]
    assert any("Enter a number" in m for m in messages), messages
    assert income.input_value() == "abc", "answers are kept as typed"
    tab_to(keyboard, ".error-summary a")
    keyboard.keyboard.press("Enter")
    assert focused(keyboard)["id"] == income.get_attribute("id")
    assert violations(keyboard) == []
    # Put it right with the keyboard alone, choose the currency, and see the verdicts.
    keyboard.keyboard.press("Control+A")
    keyboard.keyboard.type("4000")
    keyboard.keyboard.press("Tab")
    keyboard.locator("select[name=income_currency]").select_option("EUR")
    tab_to(keyboard, "button[type=submit]")
    with keyboard.expect_navigation():
        keyboard.keyboard.press("Enter")
    assert keyboard.locator("h1").inner_text() == "Your verdicts"
    assert "income_currency=EUR" in keyboard.url
    assert keyboard.watch.take() == []


def test_the_error_report_works_with_tab_and_enter(keyboard):
    route = RouteFactory()
    keyboard.goto(keyboard.base + route.get_absolute_url() + "report/")
    tab_to(keyboard, "button[type=submit]")  # past every field, left empty
    with keyboard.expect_navigation():
        keyboard.keyboard.press("Enter")
    message = keyboard.locator("textarea")
    assert message.get_attribute("aria-invalid") == "true"
    described = (message.get_attribute("aria-describedby") or "").split()
    texts = " ".join(keyboard.locator(f"#{i}").inner_text() for i in described)
    assert "required" in texts.lower(), texts
    assert violations(keyboard) == []
    tab_to(keyboard, "textarea")
    keyboard.keyboard.type("The fee is 10 MCI, not 12: see the order of 2 January 2026.")
    tab_to(keyboard, "button[type=submit]")
    keyboard.keyboard.press("Enter")
    keyboard.wait_for_url("**/report/thanks/")
    assert keyboard.locator("h1").inner_text() == "Thank you"
    assert keyboard.watch.take() == []
