"""Editors and publishers at work in a real browser: a change reviewed and undone, and a
cited page that no longer says what is quoted, found, looked at and acknowledged."""

import importlib
import io
import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import pytest
from django.contrib.auth.models import Group
from django.core.management import call_command

from .support import SCREENSHOTS, new_page
from .test_journeys import save, seen_by_a_visitor, settled

pytestmark = pytest.mark.browser

ROUTE = "/kazakhstan/labour-immigrant-work-permit/"
PASS_PHRASE = "a-long-pass-phrase"


def roles():
    """The Editor and Publisher groups, as the migrations make them.

    A browser test's database is emptied after it, groups included, so a later
    test makes them again with the migrations' own code.
    """
    from django.db import connection
    from django.db.migrations.loader import MigrationLoader

    # The migrations' apps, as a migration is given them (never the project's own).
    apps = MigrationLoader(connection).project_state().apps
    for migration in ("0021_roles", "0024_reviews"):
        module = importlib.import_module(f"routes.migrations.{migration}")
        make = getattr(module, "create_roles", None) or module.let_roles_read_the_queue
        make(apps, None)


def person(django_user_model, name, role):
    if not Group.objects.filter(name=role).exists():
        roles()
    user = django_user_model.objects.create_user(name, password=PASS_PHRASE, is_staff=True)
    user.groups.add(Group.objects.get(name=role))
    return user


def signed_in(browser, server, name):
    """A desktop browser of its own, signed in through the admin's sign-in form."""
    page = new_page(browser, "desktop", csp=False)
    page.goto(server + "/admin/")
    page.get_by_label("Username").fill(name)
    page.get_by_label("Password").fill(PASS_PHRASE)
    page.get_by_role("button", name="Log in").click()
    page.wait_for_url("**/admin/")
    return page


def test_a_publisher_reviews_an_editors_change_and_undoes_it(server, browser, django_user_model):
    from routes.models import Fact

    person(django_user_model, "erin", "Editor")
    person(django_user_model, "paul", "Publisher")
    fact = Fact.objects.get(route__slug="labour-immigrant-work-permit", topic="processing_time")

    # The editor changes the processing time of a published route: it is live at once.
    editor = signed_in(browser, server, "erin")
    editor.goto(f"{server}/admin/routes/fact/{fact.pk}/change/")
    editor.locator("#id_minimum").fill("4")
    editor.locator("#id_maximum").fill("4")
    save(editor)
    assert "4 days" in seen_by_a_visitor(browser, server + ROUTE, ".glance")
    # The editor sees it waiting, and cannot approve it.
    editor.goto(server + "/admin/")
    editor.get_by_role("link", name="1 change").click()
    editor.wait_for_url("**/admin/routes/change/?review=waiting")
    assert (
        "Processing time changed from 2 days (typical, approximately) to 4 days"
        in editor.locator("#result_list").inner_text()
    )
    assert editor.locator("select[name=action] option", has_text="Approve").count() == 0
    settled(editor)
    editor.context.close()

    # The publisher finds it from the admin's home, with the words and who made it.
    publisher = signed_in(browser, server, "paul")
    publisher.get_by_role("link", name="1 change").click()
    publisher.wait_for_url("**/admin/routes/change/?review=waiting")
    row = publisher.locator("#result_list tbody tr").filter(has_text="to 4 days")
    assert "erin" in row.inner_text() and "Waiting" in row.inner_text()
    row.locator("input.action-select").check()
    publisher.locator("select[name=action]").select_option(label="Undo the selected changes")
    with publisher.expect_navigation():
        publisher.get_by_role("button", name="Run").click()
    assert "1 change undone." in publisher.locator(".messagelist").inner_text()
    assert "2 days" in seen_by_a_visitor(browser, server + ROUTE, ".glance")

    # The undoing is in the route's history, and waits for another publisher in turn.
    publisher.goto(f"{server}/admin/routes/route/{fact.route_id}/history/")
    reviews = publisher.locator("#reviews").inner_text()
    assert "paul" in reviews and "Undone" in reviews
    publisher.goto(server + "/admin/routes/change/?review=waiting")
    waiting = publisher.locator("#result_list").inner_text()
    assert (
        "Processing time changed from 4 days (typical, approximately) to 2 days" in waiting
        and "paul" in waiting
    )
    settled(publisher)
    publisher.context.close()


class ReworderHandler(BaseHTTPRequestHandler):
    """An official page that was reworded: the quoted sentence is no longer on it."""

    def do_GET(self):
        body = b"<html><body><p>This service has been reorganised.</p></body></html>"
        self.send_response(200)
        self.send_header("Content-Type", "text/html; charset=utf-8")
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def log_message(self, *args):
        pass


@pytest.fixture
def reworded_page():
    web = ThreadingHTTPServer(("127.0.0.1", 0), ReworderHandler)
    thread = threading.Thread(target=web.serve_forever, args=(0.05,), daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{web.server_address[1]}/labour-permits"
    web.shutdown()
    web.server_close()


def test_an_editor_finds_a_quote_gone_from_its_page_and_acknowledges_it(
    server, browser, django_user_model, reworded_page
):
    from routes.models import Fact, Source

    source = Fact.objects.get(
        route__slug="labour-immigrant-work-permit", topic="processing_time"
    ).source
    # The page the source cites is served here, reworded; the check reads it as it would
    # read the official site. An update: no edit of the content.
    where = "via_url" if source.read_via_copy else "url"  # a copy is checked at its address
    Source.objects.filter(pk=source.pk).update(**{where: reworded_page})
    said = io.StringIO()
    call_command("check_sources", "--ref", source.ref, stdout=said)
    assert "quote missing" in said.getvalue().lower()
    person(django_user_model, "erin", "Editor")
    page = signed_in(browser, server, "erin")

    # The admin's home says a source needs looking at; the list says what.
    page.get_by_role("link", name="1 source").click()
    page.wait_for_url("**/admin/routes/source/?check=attention")
    row = page.locator("#result_list tbody tr")
    assert row.count() == 1 and "Quote missing" in row.inner_text()

    # The route's editor page lists it among what a visitor would see wrong.
    page.goto(server + "/admin/routes/route/review/")
    first = page.locator("#content-main tbody tr").first
    assert "labour immigrant" in first.inner_text().lower()
    assert "Quote missing" in first.inner_text()
    with page.expect_navigation():
        first.get_by_role("link").first.click()
    panel = page.locator(".route-problems")
    assert "Quote missing" in panel.inner_text()
    SCREENSHOTS.mkdir(exist_ok=True)
    page.screenshot(path=SCREENSHOTS / "journey-editor-quote-missing.png", full_page=False)

    # Nothing public changed by itself.
    assert "reorganised" not in seen_by_a_visitor(browser, server + ROUTE)

    # Having looked at the page, the editor acknowledges the check.
    page.goto(server + "/admin/routes/source/?check=attention")
    page.locator("#result_list input.action-select").check()
    page.locator("select[name=action]").select_option(label="Acknowledge the latest check")
    with page.expect_navigation():
        page.get_by_role("button", name="Run").click()
    assert "acknowledged" in page.locator(".messagelist").inner_text().lower()
    page.goto(server + "/admin/")
    assert (
        "No check of a cited page needs looking at." in page.locator("#review-notice").inner_text()
    )
    settled(page)
    page.context.close()
