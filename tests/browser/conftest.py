"""Browser tests: Debian's Chromium, driven by Playwright, against pytest-django's live server.

One browser serves the whole session. The page checks (accessibility, validity,
console, looks) load the real content once per module and visit every public
page type while their module fixture is set up, at a phone and a desktop size;
the tests then read what was found. The journeys load the content per test.
`tests/setup.sh` installs what these tests need (Chromium, axe-core,
the Nu HTML Checker) when it is missing.
"""

from pathlib import Path

import pytest
from django.core.management import call_command
from django.test import override_settings

from .support import CHROMIUM, CHROMIUM_ARGS, PLAIN_STATIC, SETUP_HINT, load_content, new_page


@pytest.fixture(scope="session")
def browser():
    """Debian's Chromium, never a browser of Playwright's own."""
    if not Path(CHROMIUM).exists():
        pytest.fail(f"No Chromium at {CHROMIUM}: {SETUP_HINT}", pytrace=False)
    from playwright.sync_api import sync_playwright

    # Playwright's sync API runs an event loop in the test thread; the ORM calls
    # the tests make there (loading content, creating an editor) are still plain
    # synchronous code, so Django's guard against async use is lifted meanwhile.
    with pytest.MonkeyPatch.context() as patch, sync_playwright() as playwright:
        patch.setenv("DJANGO_ALLOW_ASYNC_UNSAFE", "true")
        chromium = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        yield chromium
        chromium.close()


@pytest.fixture(scope="module")
def site(django_db_setup, django_db_blocker, live_server):
    """The live server's address, with the real content loaded once for a module.

    The first test's database flush empties it again, so a module's fixture that
    uses it visits every page it needs while it is set up.
    """
    from django.core.cache import cache

    with override_settings(STORAGES=PLAIN_STATIC), django_db_blocker.unblock():
        cache.clear()
        load_content()
        yield live_server.url
        call_command("flush", interactive=False, verbosity=0)
        cache.clear()


@pytest.fixture
def content(transactional_db):
    """The real content for a journey, which writes to the database as it goes."""
    load_content()


@pytest.fixture(scope="module")
def phone(browser):
    page = new_page(browser, "phone")
    yield page
    page.context.close()


@pytest.fixture(scope="module")
def desktop(browser):
    page = new_page(browser, "desktop")
    yield page
    page.context.close()


@pytest.fixture(scope="module")
def pages(phone, desktop):
    return {"phone": phone, "desktop": desktop}


@pytest.fixture
def server(live_server, content, settings):
    """The live server's address, with the real content loaded for this test (the journeys)."""
    settings.STORAGES = PLAIN_STATIC
    return live_server.url
