"""What the tests share: reading a page as a visitor reads it, and its form as a browser sends it."""

import gzip
import html as htmllib
import re
from html.parser import HTMLParser
from pathlib import Path

from django.contrib.staticfiles import finders

# Every public page reads the moment content last changed (one query), whether
# it is served from the page cache or built: the database decides freshness.
MOMENT = 1


def text_of(response):
    """The page as a visitor reads it: tags dropped, white space folded."""
    html = response.content.decode()
    html = re.sub(r"<(script|style)[^>]*>.*?</\1>", " ", html, flags=re.S)
    text = htmllib.unescape(re.sub(r"<[^>]+>", " ", html))
    return re.sub(r"\s+([.,;:])", r"\1", re.sub(r"\s+", " ", text))


class _FormReader(HTMLParser):
    """The values a browser would send for every named field on a page (its one form)."""

    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.data, self._select, self._options, self._textarea = {}, None, [], None

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        name = attrs.get("name")
        if tag == "input" and name:
            kind = attrs.get("type", "text")
            if kind in ("checkbox", "radio"):
                if "checked" in attrs:
                    self.data[name] = attrs.get("value", "on")
            elif kind not in ("submit", "button", "file", "image", "reset"):
                self.data[name] = attrs.get("value", "")
        elif tag == "select" and name:
            self._select, self._options = name, []
        elif tag == "option" and self._select:
            self._options.append((attrs.get("value", ""), "selected" in attrs))
        elif tag == "textarea" and name:
            self._textarea = name
            self.data[name] = ""

    def handle_data(self, data):
        if self._textarea:
            self.data[self._textarea] += data

    def handle_endtag(self, tag):
        if tag == "select" and self._select:
            chosen = [value for value, selected in self._options if selected]
            self.data[self._select] = chosen[0] if chosen else self._options[0][0]
            self._select = None
        elif tag == "textarea":
            self._textarea = None


def form_data(response):
    """What the page's form sends as it stands (inputs, selects and textareas)."""
    reader = _FormReader()
    reader.feed(response.content.decode())
    return reader.data


def source_entry(response, number):
    """The text of source `number` in a route page's list of sources, as a visitor reads it."""
    html = response.content.decode()
    start = html.index(f'<li id="source-{number}">')
    entry = html[start : html.index("</li>", start)]
    text = htmllib.unescape(re.sub(r"<[^>]+>", " ", entry))
    return re.sub(r"\s+([.,;:])", r"\1", re.sub(r"\s+", " ", text)).strip()


def compressed_weight(response):
    """What a page and its stylesheets weigh compressed, as a browser downloads them."""
    html = response.content
    sheets = re.findall(r'<link rel="stylesheet" href="/static/([^"]+)"', html.decode())
    total = len(gzip.compress(html))
    return total + sum(len(gzip.compress(Path(finders.find(s)).read_bytes())) for s in sheets)
