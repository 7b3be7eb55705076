"""The route editor fits the screen: the seed route's admin page with the real content, at a
desktop and a phone size, and its rows follow their topic as an editor changes it.

Everything is looked at while the module's fixture is set up (see conftest.site); the
tests then read what was found. Screenshots land in screenshots/.
"""

import pytest

from .support import SCREENSHOTS, new_page

pytestmark = pytest.mark.browser

SEED = {"country__slug": "kazakhstan", "slug": "labour-immigrant-work-permit"}
PASSWORD = "a-long-pass-phrase"

# The seed route's page measured 17,414 px at 1280 px before its rows were made compact:
# it may take 40% of that.
DESKTOP_MOST = 17_414 * 40 // 100
# At 360 px (26,120 px before): what it measures with the real content, plus a little.
PHONE_MOST = 14_400

# Boxes and runs of text past the screen's edges.
OVERFLOW_JS = """() => {
  const width = document.documentElement.clientWidth;
  const wide = [];
  const report = (el, box, what) => {
    if (box.width && (box.right > width + 1 || box.left < -1)) {
      wide.push(`${what} in ${el.tagName.toLowerCase()}.${[...el.classList].join('.')}: ` +
                `${Math.round(box.left)}–${Math.round(box.right)}`);
    }
  };
  for (const el of document.body.querySelectorAll('*')) {
    if (el.checkVisibility()) report(el, el.getBoundingClientRect(), 'box');
  }
  return {scrollWidth: document.documentElement.scrollWidth, width, wide: wide.slice(0, 10)};
}"""


def sign_in(page, site):
    page.goto(site + "/admin/login/")
    page.get_by_label("Username").fill("editor")
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Log in").click()
    page.wait_for_url("**/admin/")


def opened(page, url):
    """The editor's page, once the admin's scripts have made their autocompletes."""
    page.goto(url, wait_until="load")
    page.locator(".select2-container").first.wait_for()
    return page


def measure(page, viewport):
    page.screenshot(path=SCREENSHOTS / f"route-editor-{viewport}.png", full_page=True)
    return {
        "height": page.evaluate("document.documentElement.scrollHeight"),
        "overflow": page.evaluate(OVERFLOW_JS),
        "problems": page.watch.take(),
    }


def visible(page, row, names):
    return {name: page.locator(f"#id_{row}-{name}").is_visible() for name in names}


def follow_a_topic(page):
    """A new requirement's fields as its topic changes: (age, then job offer)."""
    rows = page.locator("#facts-group .inline-related.has_original").count()
    page.get_by_role("button", name="Add another Requirement").click()
    row, names = f"facts-{rows}", ("minimum", "maximum", "level", "status", "source")
    page.locator(f"#id_{row}-topic").select_option("age")
    age = visible(page, row, names)
    page.locator(f"#id_{row}-topic").select_option("job_offer")
    return {"age": age, "job_offer": visible(page, row, names)}


@pytest.fixture(scope="module")
def editor(site, browser, django_db_blocker):
    """What the seed route's editor page showed, at both sizes and as an editor used it."""
    from django.contrib.auth import get_user_model

    from routes.models import Document, Route

    SCREENSHOTS.mkdir(exist_ok=True)
    with django_db_blocker.unblock():
        get_user_model().objects.create_superuser("editor", "editor@example.com", PASSWORD)
        route = Route.objects.get(**SEED)
    url = f"{site}/admin/routes/route/{route.pk}/change/"
    found = {}
    for viewport in ("desktop", "phone"):
        # The admin is left to the site's own headers: it is not a public page.
        page = new_page(browser, viewport, csp=False)
        sign_in(page, site)
        found[viewport] = measure(opened(page, url), viewport)
        if viewport == "desktop":
            found["topics"] = follow_a_topic(page)
            # A row without its source: the panel's link leads to the row's form.
            with django_db_blocker.unblock():
                Document.objects.create(route=route, name="A document nobody cited")
            opened(page, url).locator(".route-problems a", has_text="No source").click()
            found["target"] = page.evaluate(
                "() => [location.hash, document.querySelector(':target')?.id]"
            )
            found["after"] = page.watch.take()
        page.context.close()
    return found


def test_the_seed_route_fits_in_two_fifths_of_its_old_height_on_a_desktop(editor):
    assert editor["desktop"]["height"] <= DESKTOP_MOST


def test_the_seed_route_grows_no_taller_on_a_phone_unnoticed(editor):
    assert editor["phone"]["height"] <= PHONE_MOST


@pytest.mark.parametrize("viewport", ["desktop", "phone"])
def test_nothing_overflows_the_screen(editor, viewport):
    overflow = editor[viewport]["overflow"]
    assert overflow["scrollWidth"] <= overflow["width"], overflow
    assert not overflow["wide"], overflow


@pytest.mark.parametrize("viewport", ["desktop", "phone"])
def test_nothing_goes_wrong_in_the_page(editor, viewport):
    assert editor[viewport]["problems"] == []
    assert (SCREENSHOTS / f"route-editor-{viewport}.png").stat().st_size > 20_000


def test_a_new_row_shows_the_fields_of_the_topic_chosen(editor):
    age, job_offer = editor["topics"]["age"], editor["topics"]["job_offer"]
    assert age == {"minimum": True, "maximum": True, "level": False, "status": True, "source": True}
    assert job_offer["minimum"] is job_offer["maximum"] is job_offer["level"] is False
    assert job_offer["status"] and job_offer["source"]


def test_a_problem_links_to_the_row_to_fix(editor):
    anchor, target = editor["target"]
    assert anchor.startswith("#documents-") and target == anchor[1:]
    assert editor["after"] == []
