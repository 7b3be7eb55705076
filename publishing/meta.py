"""What a page says about itself to browsers, search engines and link previews."""

import json
from dataclasses import dataclass, field

from django.utils.html import strip_tags
from django.utils.text import Truncator

# The first breadcrumb of every page below the home page.
HOME_CRUMB = ("Home", "/")

# What the site is called, and what it does in one line: in every page's
# header, title and link-preview metadata, and in its feeds.
SITE_NAME = "Sourced Routes"
SITE_DESCRIPTION = "Visa, work permit and residence routes, every fact with its dated source."


@dataclass
class PageMeta:
    """A page's title, description and breadcrumbs (name, path; the last is the page)."""

    title: str
    description: str
    crumbs: list = field(default_factory=list)
    type: str = "website"
    noindex: bool = False
    query: str = ""  # the part of the address that makes this page its own, e.g. "page=2"

    def __post_init__(self):
        text = " ".join(strip_tags(self.description).split())
        self.description = Truncator(text).chars(158)


def breadcrumb_ld(meta, request):
    """Schema.org BreadcrumbList for a page below home, as JSON."""
    items = [
        {
            "@type": "ListItem",
            "position": number,
            "name": name,
            "item": request.build_absolute_uri(path or request.path),
        }
        for number, (name, path) in enumerate(meta.crumbs, start=1)
    ]
    return ld_json(
        {"@context": "https://schema.org", "@type": "BreadcrumbList", "itemListElement": items}
    )


def ld_json(data):
    """JSON safe to place inside a <script> element."""
    text = json.dumps(data, ensure_ascii=False)
    return text.replace("<", "\\u003c").replace(">", "\\u003e").replace("&", "\\u0026")
