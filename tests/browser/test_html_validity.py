"""The Nu HTML Checker finds no error in the HTML the server sends for any public page type."""

import json
import subprocess

import pytest

from .support import PAGES, ROUTE, VNU_JAR, java, visit

pytestmark = pytest.mark.browser

CHECKED = [*PAGES, "report-errors"]


@pytest.fixture(scope="module")
def vnu_errors(site, phone, tmp_path_factory):
    """Each page's HTML as the server sent it, checked in one run of the Nu HTML Checker."""
    folder = tmp_path_factory.mktemp("html")
    for name, path in PAGES.items():
        response = visit(phone, site, path, name)
        (folder / f"{name}.html").write_bytes(response.body())
    # A form sent back with its errors, as a visitor who pressed Send too soon sees it.
    visit(phone, site, f"{ROUTE}report/")
    with phone.expect_navigation() as navigation:
        phone.get_by_role("button", name="Send the report").click()
    (folder / "report-errors.html").write_bytes(navigation.value.body())

    files = sorted(folder.glob("*.html"))
    run = subprocess.run(
        [java(), "-jar", str(VNU_JAR), "--format", "json", "--exit-zero-always", *map(str, files)],
        capture_output=True,
        text=True,
        timeout=120,
        check=True,
    )
    errors = {f.stem: [] for f in files}
    for message in json.loads(run.stderr)["messages"]:
        if message["type"] in ("error", "non-document-error"):
            name = message.get("url", "").rsplit("/", 1)[-1].removesuffix(".html")
            errors.setdefault(name, []).append(
                f"line {message.get('lastLine')}: {message['message']} — {message.get('extract', '')!r}"
            )
    return errors


@pytest.mark.parametrize("name", CHECKED)
def test_no_html_errors(vnu_errors, name):
    assert vnu_errors[name] == []
