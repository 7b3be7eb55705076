"""Every public page type looks right on a phone and a desktop; screenshots land in screenshots/."""

import pytest

from .support import PAGES, ROUTE, SCREENSHOTS, VIEWPORTS, crawl, luminance, new_page

pytestmark = pytest.mark.browser

# Boxes and runs of text past the screen's edges, outside a region that scrolls sideways.
OVERFLOW_JS = """() => {
  const width = document.documentElement.clientWidth;
  const skip = '.table-scroll, .skip-link, .honeypot';
  const wide = [];
  const report = (el, box, what) => {
    if (box.width && (box.right > width + 1 || box.left < -1)) {
      wide.push(`${what} in ${el.tagName.toLowerCase()}.${[...el.classList].join('.')}: ` +
                `${Math.round(box.left)}–${Math.round(box.right)}`);
    }
  };
  for (const el of document.body.querySelectorAll('*')) {
    if (!el.closest(skip)) report(el, el.getBoundingClientRect(), 'box');
  }
  const walker = document.createTreeWalker(document.body, NodeFilter.SHOW_TEXT);
  const range = document.createRange();
  while (walker.nextNode()) {
    const el = walker.currentNode.parentElement;
    if (!walker.currentNode.textContent.trim() || el.closest(skip)) continue;
    range.selectNodeContents(walker.currentNode);
    report(el, range.getBoundingClientRect(), `text “${walker.currentNode.textContent.trim().slice(0, 30)}”`);
  }
  return {scrollWidth: document.documentElement.scrollWidth, width, wide: wide.slice(0, 10)};
}"""

# The most each page may measure at 360 px with the real content (measured, plus a little).
PHONE_HEIGHTS = {
    "home": 5100,
    "country": 6400,
    "route": 5613,
    "compare-index": 2350,
    "compare": 22200,
    "search": 12600,
    "check": 2200,
    "check-questions": 1950,
    "check-errors": 2750,
    "results": 2500,
    "check-how": 9100,
    "changes": 1000,
    "about": 3600,  # with its section on open data
    "report": 1600,
    "not-found": 2700,
}

# Visible text set smaller than 16 px.
SMALL_TEXT_JS = """() => {
  const small = new Map();
  const walker = document.createTreeWalker(document.body, NodeFilter.SHOW_TEXT);
  while (walker.nextNode()) {
    const node = walker.currentNode;
    if (!node.textContent.trim()) continue;
    const el = node.parentElement;
    if (!el.checkVisibility() || el.closest('.skip-link, .honeypot')) continue;
    const size = parseFloat(getComputedStyle(el).fontSize);
    if (size < 16) {
      const key = `${el.tagName.toLowerCase()}.${[...el.classList].join('.')} ${size}px`;
      small.set(key, node.textContent.trim().slice(0, 40));
    }
  }
  return Object.fromEntries(small);
}"""


# What a printed route page shows and hides.
PRINT_JS = """() => {
  const shown = s => [...document.querySelectorAll(s)].some(el => el.checkVisibility());
  const hidden = ['.site-header', 'nav', '.site-footer', '.related', '.cta', '.skip-link',
                  '.report-link', 'form', 'section[aria-labelledby="recent-changes"]'];
  return {
    shownThatShouldNot: hidden.filter(shown),
    documents: [...document.querySelectorAll('.documents li')].filter(li => li.checkVisibility()).length,
    ticks: [...document.querySelectorAll('.documents li')].every(
      li => getComputedStyle(li, '::before').content.includes('☐')),
    steps: [...document.querySelectorAll('.steps li')].filter(li => li.checkVisibility()).length,
    sourceLinks: [...document.querySelectorAll('.source-list a[href^="http"]')].map(
      a => getComputedStyle(a, '::after').content.includes(a.getAttribute('href'))),
    paper: getComputedStyle(document.body).backgroundColor,
    ink: [...document.querySelectorAll('main p, main li, main td, main th, main dd')].map(
      el => getComputedStyle(el).color),
  };
}"""

# The colours a page is drawn in.
COLOURS_JS = """() => ({
  paper: getComputedStyle(document.body).backgroundColor,
  ink: getComputedStyle(document.body).color,
})"""

# Anything that moves: animations, transitions, smooth scrolling.
MOTION_JS = """() => {
  const moving = [];
  for (const el of [document.documentElement, ...document.body.querySelectorAll('*')]) {
    const style = getComputedStyle(el);
    const durations = `${style.transitionDuration},${style.animationDuration}`.split(',');
    if (durations.some(d => parseFloat(d) > 0) || style.animationName !== 'none'
        || style.scrollBehavior === 'smooth') {
      moving.push(el.tagName.toLowerCase() + '.' + el.className);
    }
  }
  return {moving: moving.slice(0, 10), animations: document.getAnimations().length};
}"""


@pytest.fixture(scope="module")
def looks(site, pages, browser):
    SCREENSHOTS.mkdir(exist_ok=True)

    def check(page, name, viewport):
        page.screenshot(path=SCREENSHOTS / f"{name}-{viewport}.png", full_page=True)
        return {
            "overflow": page.evaluate(OVERFLOW_JS),
            "small": page.evaluate(SMALL_TEXT_JS),
            "height": page.evaluate("document.documentElement.scrollHeight"),
        }

    found = crawl(site, pages, check)

    # The route page on paper, from a browser that prefers dark colours on screen.
    printer = new_page(browser, "desktop", color_scheme="dark")
    printer.goto(site + ROUTE)
    printer.emulate_media(media="print")
    found["print"] = printer.evaluate(PRINT_JS)
    printer.pdf(path=SCREENSHOTS / "route-print.pdf", format="A4", print_background=False)
    printer.screenshot(path=SCREENSHOTS / "route-print.png", full_page=True)
    printer.context.close()

    # Dark colours on screen for those who prefer them; no motion for those who ask.
    for scheme in ("light", "dark"):
        page = new_page(browser, "phone", color_scheme=scheme, reduced_motion="reduce")
        for name in ("home", "route", "results"):
            page.goto(site + PAGES[name])
            found[name, scheme] = {"colours": page.evaluate(COLOURS_JS), **page.evaluate(MOTION_JS)}
            if scheme == "dark":
                page.screenshot(path=SCREENSHOTS / f"{name}-dark-phone.png", full_page=True)
        page.context.close()
    return found


@pytest.mark.parametrize("viewport", VIEWPORTS)
@pytest.mark.parametrize("name", PAGES)
def test_screenshot_is_written(looks, name, viewport):
    assert (SCREENSHOTS / f"{name}-{viewport}.png").stat().st_size > 5000


@pytest.mark.parametrize("viewport", VIEWPORTS)
@pytest.mark.parametrize("name", PAGES)
def test_nothing_overflows_the_viewport(looks, name, viewport):
    overflow = looks[name, viewport]["overflow"]
    assert overflow["scrollWidth"] <= overflow["width"], overflow
    assert not overflow["wide"], overflow


@pytest.mark.parametrize("name", PAGES)
def test_no_page_grows_taller_on_a_phone_unnoticed(looks, name):
    """Each page's height at 360 px with the real content, a little above what it
    measures; the seed route page at most half the 11,226 px it once took."""
    assert looks[name, "phone"]["height"] <= PHONE_HEIGHTS[name]


@pytest.mark.parametrize("name", PAGES)
def test_text_is_at_least_16px_on_a_phone(looks, name):
    assert not looks[name, "phone"]["small"]


def test_a_route_page_prints_as_a_checklist_with_its_sources_written_out(looks):
    printed = looks["print"]
    assert printed["shownThatShouldNot"] == []
    assert printed["documents"] >= 3 and printed["ticks"]
    assert printed["steps"] >= 1
    assert printed["sourceLinks"] and all(printed["sourceLinks"])
    assert luminance(printed["paper"]) == 1
    assert max(luminance(colour) for colour in printed["ink"]) < 0.1, "dark ink on paper"
    assert (SCREENSHOTS / "route-print.pdf").stat().st_size > 10_000


@pytest.mark.parametrize("name", ["home", "route", "results"])
def test_pages_follow_the_preferred_colour_scheme(looks, name):
    light, dark = looks[name, "light"]["colours"], looks[name, "dark"]["colours"]
    assert luminance(light["paper"]) > 0.9 and luminance(light["ink"]) < 0.1
    assert luminance(dark["paper"]) < 0.1 and luminance(dark["ink"]) > 0.5


@pytest.mark.parametrize("scheme", ["light", "dark"])
@pytest.mark.parametrize("name", ["home", "route", "results"])
def test_nothing_moves_for_those_who_ask_for_reduced_motion(looks, name, scheme):
    found = looks[name, scheme]
    assert found["moving"] == [] and found["animations"] == 0
