"""No JavaScript error, CSP violation or failed request on any public page type."""

import pytest

from .support import CSP, PAGES, VIEWPORTS, crawl

pytestmark = pytest.mark.browser


@pytest.fixture(scope="module")
def problems(site, pages):
    def check(page, name, viewport):
        # `visit` waits for the load event: the styles, images and icon have all answered.
        return page.watch.take()

    found = crawl(site, pages, check)
    # The policy really is in force: an inline style is refused and reported.
    page = pages["phone"]
    page.goto(site + "/")
    page.evaluate("document.body.insertAdjacentHTML('beforeend', '<p style=\"color: red\">x</p>')")
    page.wait_for_timeout(100)
    found["inline-style"] = page.watch.take()
    return found


@pytest.mark.parametrize("viewport", VIEWPORTS)
@pytest.mark.parametrize("name", PAGES)
def test_no_console_errors_or_failed_requests(problems, name, viewport):
    assert problems[name, viewport] == []


def test_the_coming_content_security_policy_is_enforced_in_these_tests(problems):
    assert "default-src 'none'" in CSP
    assert any("Content Security Policy" in p for p in problems["inline-style"])
