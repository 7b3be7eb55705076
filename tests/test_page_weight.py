"""Every public page, with the real content, reads quickly on a slow phone: small, and no scripts."""

import re

import pytest

from .helpers import compressed_weight

PAGES = [
    "/",
    "/kazakhstan/",
    "/kazakhstan/labour-immigrant-work-permit/",
    "/germany/eu-blue-card/",
    "/compare/",
    "/compare/employer-sponsored-work/",
    "/search/?q=work+permit",
    "/about/",
    "/changes/",
    "/check/",
]


@pytest.mark.parametrize("path", PAGES)
def test_a_page_with_its_stylesheets_weighs_under_30_kb_compressed(client, content, path):
    response = client.get(path)
    assert response.status_code == 200
    assert compressed_weight(response) < 30 * 1024
    # Structured data is the only script a page carries.
    scripts = re.findall(r"<script([^>]*)>", response.content.decode())
    assert all(attrs == ' type="application/ld+json"' for attrs in scripts), scripts
