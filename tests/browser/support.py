"""What the browser tests share: the pages to visit, the tools, and how a page is watched."""

import os
import shutil
from dataclasses import dataclass, field
from pathlib import Path

import pytest
from django.core.management import call_command

ROOT = Path(__file__).resolve().parents[2]
CHROMIUM = os.environ.get("CHROMIUM", "/usr/bin/chromium")
CHROMIUM_ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking"]
AXE_JS = ROOT / "node_modules" / "axe-core" / "axe.min.js"
VNU_JAR = ROOT / "node_modules" / "vnu-jar" / "build" / "dist" / "vnu.jar"
SCREENSHOTS = ROOT / "screenshots"
SETUP_HINT = "run tests/setup.sh first"

VIEWPORTS = {"phone": {"width": 360, "height": 800}, "desktop": {"width": 1280, "height": 800}}

# The strict policy public pages must live with. A page that comes without a
# Content-Security-Policy of its own gets this one added on its way to the browser,
# so an inline style or script fails here before it fails for a visitor.
CSP = (
    "default-src 'none'; style-src 'self'; img-src 'self'; form-action 'self'; "
    "base-uri 'none'; frame-ancestors 'none'"
)

# Every public page type, with one real address each (from fixtures/).
ROUTE = "/kazakhstan/labour-immigrant-work-permit/"
ANSWERS = (
    "purpose=work&country=kazakhstan&nationality=DE&age=30&income=400000&income_currency=KZT"
    "&medical_exam=yes&clean_record=yes&job_offer=yes&employer_sponsor=no"
)
PAGES = {
    "home": "/",
    "country": "/kazakhstan/",
    "route": ROUTE,
    "compare-index": "/compare/",
    "compare": "/compare/employer-sponsored-work/",
    "search": "/search/?q=visa",
    "check": "/check/",
    "check-questions": "/check/questions/?purpose=work&country=kazakhstan&nationality=DE",
    "check-errors": "/check/results/?age=200&income=12&income_currency=ZZZ",
    "results": f"/check/results/?{ANSWERS}",
    "check-how": "/check/how/",
    "changes": "/changes/",
    "about": "/about/",
    "report": f"{ROUTE}report/",
    "not-found": "/no-such-country/no-such-route/",
}
STATUS = {"not-found": 404}

PLAIN_STATIC = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
}


def load_content():
    """The real content of fixtures/, loaded as `make run` loads it."""
    files = sorted(str(p) for p in (ROOT / "fixtures").glob("*.json"))
    call_command("loaddata", *files, verbosity=0)


@dataclass
class Watch:
    """What went wrong in a page while it was watched: console errors, failed requests.

    A page's own status is checked by `visit`; every other request must succeed.
    """

    problems: list = field(default_factory=list)
    documents: set = field(default_factory=set)

    def attach(self, page):
        page.on("console", self.on_console)
        page.on("pageerror", lambda error: self.problems.append(f"JavaScript error: {error}"))
        page.on("requestfailed", self.on_failed)
        page.on("response", self.on_response)
        return self

    def on_console(self, message):
        if message.type not in ("error", "warning", "assert"):
            return
        if message.text.startswith("Failed to load resource") and (
            message.location.get("url") in self.documents
        ):
            return  # a page's own 400 or 404, which the test expects and checks itself
        where = message.location.get("url", "")
        self.problems.append(f"console {message.type}: {message.text} ({where})")

    def on_failed(self, request):
        # The browser aborts what is still loading (the icon, often) when the test moves on.
        if request.failure != "net::ERR_ABORTED":
            self.problems.append(f"request failed: {request.url} ({request.failure})")

    def on_response(self, response):
        if response.request.is_navigation_request():
            self.documents.add(response.url)
        elif response.status >= 400:
            self.problems.append(f"{response.status} for {response.url}")

    def take(self):
        problems, self.problems = self.problems, []
        return problems


def add_csp(route):
    """Answer a public page with the policy the site is about to send, unless it sends one."""
    request = route.request
    if request.resource_type != "document" or request.method != "GET" or "/admin/" in request.url:
        route.continue_()
        return
    response = route.fetch(max_redirects=0)
    headers = dict(response.headers)
    headers.setdefault("content-security-policy", CSP)
    route.fulfill(response=response, headers=headers)


def new_page(browser, viewport, *, csp=True, **options):
    """A page in a context of its own, watched, with the coming CSP on public pages."""
    context = browser.new_context(viewport=VIEWPORTS[viewport], **options)
    context.set_default_timeout(10_000)
    page = context.new_page()
    if csp:
        page.route("**/*", add_csp)
    page.watch = Watch().attach(page)
    return page


def visit(page, base, path, name=""):
    """Open a page; fail on a status other than the one its page type answers."""
    response = page.goto(base + path, wait_until="load")
    assert response is not None, path
    expected = STATUS.get(name, 200)
    assert response.status == expected, f"{path} answered {response.status}, not {expected}"
    return response


def crawl(site, pages, check):
    """Visit every page type at both sizes: {(name, viewport): what `check` found there}."""
    found = {}
    for viewport, page in pages.items():
        for name, path in PAGES.items():
            visit(page, site, path, name)
            found[name, viewport] = check(page, name, viewport)
    return found


def luminance(css_colour):
    """Relative luminance (0 black, 1 white) of an rgb() or rgba() colour."""
    channels = [float(c) / 255 for c in css_colour.split("(")[1].rstrip(")").split(",")[:3]]
    linear = [c / 12.92 if c <= 0.04045 else ((c + 0.055) / 1.055) ** 2.4 for c in channels]
    return 0.2126 * linear[0] + 0.7152 * linear[1] + 0.0722 * linear[2]


def contrast(one, other):
    """WCAG's contrast ratio of two colours, from 1 to 21."""
    high, low = sorted((luminance(one), luminance(other)), reverse=True)
    return (high + 0.05) / (low + 0.05)


def axe_source():
    if not AXE_JS.exists():
        pytest.fail(f"axe-core is missing ({AXE_JS}): {SETUP_HINT}", pytrace=False)
    return AXE_JS.read_text()


def java():
    path = shutil.which("java")
    if not path or not VNU_JAR.exists():
        pytest.fail(f"Java or the Nu HTML Checker ({VNU_JAR}) is missing: {SETUP_HINT}")
    return path
