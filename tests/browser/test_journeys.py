"""A visitor and an editor go through the site as people do, in a real browser."""

import re

import pytest
from playwright.sync_api import expect

from .support import SCREENSHOTS, new_page

pytestmark = pytest.mark.browser

ROUTE_NAME = "Issuance and extension of a permit to a labour immigrant"


@pytest.fixture
def phone(browser):
    page = new_page(browser, "phone")
    yield page
    page.context.close()


@pytest.fixture
def desktop(browser):
    # The admin is left to the site's own headers: it is not a public page.
    page = new_page(browser, "desktop", csp=False)
    yield page
    page.context.close()


def settled(page):
    """Nothing went wrong on the page so far; the problems are listed if something did."""
    assert page.watch.take() == []
    return page


def test_a_visitor_finds_a_route_compares_searches_and_checks(server, phone):
    page = phone
    page.goto(server + "/")
    settled(page)

    # Home → the country hub.
    page.locator(".country-list").get_by_role("link", name="Kazakhstan").click()
    page.wait_for_url("**/kazakhstan/")
    assert "Kazakhstan" in page.locator("h1").inner_text()
    settled(page)

    # The hub → the route page.
    page.get_by_role("link", name=ROUTE_NAME).first.click()
    page.wait_for_url("**/kazakhstan/labour-immigrant-work-permit/")
    assert page.locator("h1").inner_text().startswith(ROUTE_NAME)
    settled(page)

    # The document list, read on the route page.
    documents = page.get_by_role("heading", name="Documents", exact=True)
    documents.scroll_into_view_if_needed()
    items = page.locator("ul.documents > li")
    assert items.count() >= 3
    assert items.first.is_visible()
    assert "Passport" in page.locator("ul.documents").inner_text()
    cite = items.first.locator(".cite a").first
    cite.click()  # a citation jumps to its dated source
    assert re.search(r"#source-\d+$", page.url)
    assert page.locator(".source-list > li:target").is_visible()

    # The route's category → the comparison across countries.
    page.locator(".route-header").get_by_role("link", name="Employer-sponsored work").click()
    page.wait_for_url("**/compare/employer-sponsored-work/")
    table = page.locator("table.compare")
    assert table.get_by_role("link", name=ROUTE_NAME).count() == 1
    assert table.locator("tbody tr").count() >= 5
    page.get_by_role("link", name="Processing time").click()  # sort the table
    page.wait_for_url("**?sort=processing")
    assert page.locator("th[aria-sort]").inner_text() == "Processing time"
    settled(page)

    # Search, from the navigation.
    page.locator(".site-header").get_by_role("link", name="Search").click()
    page.wait_for_url("**/search/")
    page.get_by_label("Search routes").fill("labour immigrant")
    page.get_by_label("Search routes").press("Enter")
    page.wait_for_url("**/search/?q=labour+immigrant*")  # and the empty filters
    assert page.locator(".results").get_by_role("link", name=ROUTE_NAME).count() == 1
    settled(page)

    # The eligibility checker, from the navigation: who you are and where to, then
    # only the questions the routes there need.
    page.locator(".site-header").get_by_role("link", name="Eligibility checker").click()
    page.wait_for_url("**/check/")
    page.get_by_label("Work for an employer").check()
    page.get_by_label("Where do you want to go?").select_option(label="Kazakhstan")
    page.get_by_label("Citizenship", exact=True).fill("Germany")
    page.get_by_role("button", name="Next: your questions").click()
    page.wait_for_url("**/check/questions/?*")
    assert "questions for 1 route" in page.locator(".lede").inner_text()
    page.get_by_label("How old are you?").fill("30")
    page.get_by_role("group", name="Do you have a job offer from an employer").get_by_label(
        "Yes"
    ).check()
    page.get_by_role("button", name="See my verdicts").click()
    page.wait_for_url("**/check/results/?*")
    assert "purpose=work" in page.url and "age=30" in page.url and "job_offer=yes" in page.url
    assert "nationality=DE" in page.url
    assert page.locator("h1").inner_text() == "Your verdicts"
    card = page.locator(".verdict-card").filter(
        has=page.locator("h4").get_by_role("link", name=ROUTE_NAME)
    )
    assert card.count() == 1
    assert card.locator(".verdict-label").inner_text()
    settled(page)

    # Change an answer: the questions come back filled in.
    page.get_by_role("link", name="Change your answers").click()
    page.wait_for_url("**/check/questions/?*")
    assert page.get_by_label("How old are you?").input_value() == "30"
    page.get_by_label("How old are you?").fill("70")
    page.get_by_role("button", name="See my verdicts").click()
    page.wait_for_url("**/check/results/?*age=70*")
    page.locator(".your-answers summary").click()
    assert "70" in page.locator(".your-answers dl").inner_text()
    assert "Germany" in page.locator(".your-answers dl").inner_text()
    settled(page)
    SCREENSHOTS.mkdir(exist_ok=True)
    page.screenshot(path=SCREENSHOTS / "journey-visitor-results-phone.png", full_page=True)


def autocomplete(page, select_id, term, choice):
    """Pick a related object in an admin autocomplete box (select2), as an editor does."""
    page.locator(f"#{select_id} + .select2").click()
    page.locator(".select2-container--open .select2-search__field").fill(term)
    page.locator(".select2-results__option", has_text=choice).click()
    assert choice in page.locator(f"#{select_id} + .select2").inner_text()


def save(page, button="Save"):
    with page.expect_navigation():
        page.get_by_role("button", name=button, exact=True).click()
    errors = page.locator(".errornote, .errorlist").all_inner_texts()
    assert errors == [], errors
    return settled(page)


def seen_by_a_visitor(browser, url, part="main"):
    """A part's text as a new anonymous visitor sees it: no session, an empty browser cache."""
    page = new_page(browser, "phone")
    try:
        page.goto(url)
        text = page.locator(part).inner_text()
        settled(page)
        return text
    finally:
        page.context.close()


def signed_in_editor(server, page, django_user_model):
    """The page, signed in to the admin as an editor through its sign-in form."""
    django_user_model.objects.create_superuser("editor", "editor@example.com", "a-long-pass-phrase")
    page.goto(server + "/admin/")
    page.get_by_label("Username").fill("editor")
    page.get_by_label("Password").fill("a-long-pass-phrase")
    page.get_by_role("button", name="Log in").click()
    page.wait_for_url("**/admin/")
    return page


def test_an_editor_publishes_a_route_edits_a_fact_and_reverts_it(
    server, browser, desktop, django_user_model
):
    page = signed_in_editor(server, desktop, django_user_model)
    settled(page)

    # A new country.
    page.get_by_role("row", name="Countries").get_by_role("link", name="Add").click()
    page.locator("#id_code").fill("IS")
    page.locator("#id_name").fill("Iceland")
    page.keyboard.press("Tab")
    # Filled in as typed, by the admin's script (waited for: it may load after the form).
    expect(page.locator("#id_slug")).to_have_value("iceland")
    save(page)
    assert "Iceland" in page.locator("#result_list").inner_text()

    # A draft route with a requirement, a fee and a document, citing a new source.
    page.get_by_role("link", name="Routes", exact=True).click()
    page.get_by_role("link", name="Add route").click()
    page.locator("#id_country").select_option(label="Iceland")
    page.locator("#id_category").select_option(label="Employer-sponsored work")
    page.locator("#id_official_name").fill("Temporary Work Permit")
    page.keyboard.press("Tab")
    assert page.locator("#id_slug").input_value() == "temporary-work-permit"
    page.locator("#id_code").fill("AEWV")
    page.locator("#id_summary").fill("A visa to work for an accredited employer in Iceland.")

    page.get_by_role("button", name="Add another Requirement").click()
    page.locator("#id_facts-0-topic").select_option("job_offer")
    page.locator("#id_facts-0-status").select_option("required")
    with page.expect_popup() as popup:
        page.locator("#add_id_facts-0-source").click()
    source = popup.value
    source.wait_for_load_state()
    source.locator("#id_url").fill("https://utl.is/en/work-permits")
    source.locator("#id_title").fill("Temporary Work Permit")
    source.locator("#id_publisher").fill("Immigration Iceland")
    source.locator("#id_kind").select_option("official")
    source.locator("#id_verified_on").fill("2026-06-24")
    source.locator("#id_quote").fill("You must have a job offer from an accredited employer.")
    with source.expect_event("close"):
        source.get_by_role("button", name="Save", exact=True).click()
    cited = "Immigration Iceland: Temporary Work Permit"
    assert cited in page.locator("#id_facts-0-source + .select2").inner_text()

    page.get_by_role("button", name="Add another Fee").click()
    page.locator("#id_facts-2-0-text").fill("Application fee")
    page.locator("#id_facts-2-0-minimum").fill("750")
    page.locator("#id_facts-2-0-unit").fill("ISK")
    autocomplete(page, "id_facts-2-0-source", "Immigration Iceland", cited)

    page.get_by_role("button", name="Add another Document").click()
    page.locator("#id_documents-0-name").fill("Passport valid for the whole stay")
    autocomplete(page, "id_documents-0-source", "Accredited", cited)
    save(page, "Save and continue editing")
    assert "draft" in page.locator("#id_status").input_value()
    route_admin = page.url

    # Not public yet; then published.
    hub = server + "/iceland/"
    assert "Temporary Work Permit" not in seen_by_a_visitor(browser, hub)
    page.goto(route_admin)
    page.locator("#id_status").select_option("published")
    save(page, "Save and continue editing")
    settled(page)

    # Found on the public site, in the comparison and in the sitemap.
    assert "Temporary Work Permit" in seen_by_a_visitor(browser, hub)
    page.goto(hub)
    page.reload()  # the editor's browser may keep the copy it saw as a draft
    page.get_by_role("link", name="Temporary Work Permit").click()
    page.wait_for_url("**/iceland/temporary-work-permit/")
    text = page.locator("main").inner_text()
    assert "Job offer" in text and "750 ISK" in text and "Passport valid for the whole stay" in text
    sources = page.locator(".source-list")
    assert "Immigration Iceland" not in sources.inner_text()  # folded with the quote
    sources.get_by_text("Quote and dates:").click()
    assert "Immigration Iceland" in sources.inner_text()
    settled(page)
    page.goto(server + "/compare/employer-sponsored-work/")
    table = page.locator("table.compare")
    assert table.get_by_role("link", name="Temporary Work Permit").count() == 1
    sitemap = page.request.get(server + "/sitemap-routes.xml").text()
    assert "/iceland/temporary-work-permit/</loc>" in sitemap
    settled(page)

    # An edit shows on the next load.
    page.goto(route_admin)
    page.locator("#id_facts-2-0-minimum").fill("800")
    save(page, "Save and continue editing")
    route_page = server + "/iceland/temporary-work-permit/"
    fees = seen_by_a_visitor(browser, route_page, "ul.fees")
    assert "800 ISK" in fees and "750 ISK" not in fees
    page.goto(route_page)
    page.reload()
    assert "800 ISK" in page.locator("ul.fees").inner_text()

    # Reverted from the route's history.
    page.goto(route_admin)
    page.get_by_role("link", name="History").click()
    rows = page.locator("#row-changes tbody tr")
    assert rows.filter(has_text="changed from 750 ISK to 800 ISK").count() == 1
    rows.filter(has_text="Fee “Application fee” added: 750 ISK").get_by_role(
        "link", name="Open this version to revert it"
    ).click()
    assert page.locator("#id_minimum").input_value().startswith("750")
    save(page, "Revert")
    settled(page)
    fees = seen_by_a_visitor(browser, route_page, "ul.fees")
    assert "750 ISK" in fees and "800 ISK" not in fees
    page.goto(route_admin)
    page.get_by_role("link", name="History").click()
    assert rows.filter(has_text="changed from 800 ISK to 750 ISK").count() == 1
    settled(page)


def test_an_editor_sees_an_edit_on_a_plain_revisit(server, desktop, django_user_model):
    from routes.models import Fact

    page = signed_in_editor(server, desktop, django_user_model)
    url = server + "/kazakhstan/labour-immigrant-work-permit/"
    page.goto(url)
    assert "2 days" in page.locator(".glance").inner_text()
    fact = Fact.objects.get(route__slug="labour-immigrant-work-permit", topic="processing_time")
    fact.minimum = fact.maximum = 3
    fact.save()
    page.goto(server + "/")
    page.goto(url)  # a link followed or an address typed, not a reload
    assert "3 days" in page.locator(".glance").inner_text()
