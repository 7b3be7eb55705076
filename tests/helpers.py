"""What the tests share: reading a page as a visitor reads it."""

import html as htmllib
import re


def text_of(response):
    """The page as a visitor reads it: tags dropped, white space folded."""
    html = response.content.decode()
    html = re.sub(r"<(script|style)[^>]*>.*?</\1>", " ", html, flags=re.S)
    text = htmllib.unescape(re.sub(r"<[^>]+>", " ", html))
    return re.sub(r"\s+([.,;:])", r"\1", re.sub(r"\s+", " ", text))
