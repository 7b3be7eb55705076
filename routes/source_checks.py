"""Fetching and reading cited pages: what ``manage.py check_sources`` and the admin's
"Check now" run, one SourceCheck per source (the outcomes are in ``routes.models.checks``).

Each page is fetched with httpx, redirects followed and kept, its body
streamed and cut off at a size cap, so one huge or endless page cannot hold
the run. HTML is read as text with the standard library's parser (scripts
and styles skipped), a PDF with pypdf, plain text as it is; anything else
is not text. The quote is looked for passage by passage, as the content
audit splits it.

Pages are fetched in a small thread pool; the database is read and written
only by the calling thread, a check saved as each page comes back, so a
thread never holds a database connection. To be a polite visitor, requests
to one host (each redirect counts) start at least ``delay`` seconds apart,
and every request names the site and a contact address
(``settings.SOURCE_CHECK_USER_AGENT``).

Nothing here saves a Source: a check is a record beside it, and nothing
public changes until an editor decides.
"""

import hashlib
import io
import re
import threading
import time
from collections import Counter
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from html.parser import HTMLParser
from urllib.parse import urlsplit

import httpx
import pypdf
from django.conf import settings
from django.utils import timezone

from .audit import _normal, _passages
from .models import CheckOutcome, SourceCheck
from .models.checks import outcome_of

# Characters that sit inside words on a page without showing: dropped before comparing.
INVISIBLE = dict.fromkeys(map(ord, "\u00ad\u200b\u200c\u200d\u2060\ufeff"))
HTML_TYPES = {"text/html", "application/xhtml+xml"}
LONGEST_ERROR = 200
LONGEST_ADDRESS = 2000


@dataclass(frozen=True)
class Limits:
    """How hard a run may push: the tests make these small."""

    concurrency: int = 4
    delay: float = 1.0  # seconds between the starts of two requests to one host
    connect_timeout: float = 10.0
    read_timeout: float = 20.0
    total_timeout: float = 60.0  # for one page, however slowly it trickles in
    # No page is started this many seconds after the run began (None: no limit),
    # so a run someone waits for ends in start_within + total_timeout at most.
    start_within: float | None = None
    max_bytes: int = 10 * 1024 * 1024
    max_redirects: int = 10


class HostPacer:
    """Keeps requests to one host ``delay`` seconds apart, across threads.

    Each request takes the next free moment of its host under a lock, then
    sleeps until it outside the lock, so requests to other hosts go on.
    """

    def __init__(self, delay, clock=time.monotonic, sleep=time.sleep):
        self.delay = delay
        self._clock = clock
        self._sleep = sleep
        self._next = {}
        self._lock = threading.Lock()

    def wait(self, host):
        with self._lock:
            now = self._clock()
            start = max(now, self._next.get(host, now))
            self._next[host] = start + self.delay
        if start > now:
            self._sleep(start - now)


@dataclass
class Reading:
    """What fetching one address gave: the answer, and the page's text when it was read."""

    checked_at: object = None
    answered: bool = False  # a whole answer came (not cut off by an error or the size cap)
    status: int | None = None
    final_address: str = ""
    redirects: list = field(default_factory=list)
    error: str = ""
    text: str | None = None  # None: no text could be read


# ---------------------------------------------------------------------------
# Reading a page's text


class _PageText(HTMLParser):
    """The text a reader sees in an HTML page: scripts and styles left out, and a
    space wherever a block starts or ends, so words of two paragraphs never join."""

    SKIPPED = frozenset({"script", "style", "noscript", "template"})
    INLINE = frozenset(
        [
            "a",
            "abbr",
            "b",
            "bdi",
            "bdo",
            "cite",
            "code",
            "data",
            "dfn",
            "em",
            "font",
            "i",
            "kbd",
            "mark",
            "q",
            "s",
            "samp",
            "small",
            "span",
            "strong",
            "sub",
            "sup",
            "time",
            "u",
            "var",
            "wbr",
        ]
    )

    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.parts = []
        self.skipping = 0

    def handle_starttag(self, tag, attrs):
        if tag in self.SKIPPED:
            self.skipping += 1
        elif tag not in self.INLINE:
            self.parts.append(" ")

    def handle_endtag(self, tag):
        if tag in self.SKIPPED:
            self.skipping = max(0, self.skipping - 1)
        elif tag not in self.INLINE:
            self.parts.append(" ")

    def handle_data(self, data):
        if not self.skipping:
            self.parts.append(data)


def html_text(markup):
    parser = _PageText()
    parser.feed(markup)
    parser.close()
    return "".join(parser.parts)


def pdf_text(body):
    """The text of every page of a PDF, or None when it cannot be read."""
    try:
        reader = pypdf.PdfReader(io.BytesIO(body))
        return "\n".join(page.extract_text() or "" for page in reader.pages)
    except Exception:  # a broken PDF fails in many ways, each of them "unreadable"
        return None


def decode(body, charset):
    """Bytes to text: the declared charset, else UTF-8, else Windows-1252 (never fails)."""
    for encoding in filter(None, [charset, "utf-8"]):
        try:
            return body.decode(encoding)
        except (LookupError, UnicodeDecodeError):
            continue
    return body.decode("cp1252", errors="replace")


def _html_charset(body):
    found = re.search(rb"""<meta[^>]+charset=["']?([\w-]+)""", body[:4096], re.IGNORECASE)
    return found.group(1).decode("ascii") if found else None


def page_text(content_type, body, charset=None):
    """(text, error): the page's text, or None and why it is not text."""
    media = content_type.split(";")[0].strip().lower()
    if media == "application/pdf" or body.startswith(b"%PDF-"):
        text = pdf_text(body)
        return (text, "") if text is not None else (None, "unreadable PDF")
    if media in HTML_TYPES or (not media and b"<html" in body[:1024].lower()):
        return html_text(decode(body, charset or _html_charset(body))), ""
    if media == "text/plain":
        return decode(body, charset), ""
    return None, f"not text ({media or 'no content type'})"


def quote_found(quote, text):
    """Whether every passage of the quote is in the text (None: nothing to look for)."""
    passages = _passages(quote) or ([quote.strip()] if quote.strip() else [])
    if not passages:
        return None
    page = _normal(text.translate(INVISIBLE))
    return all(_normal(passage) in page for passage in passages)


def fingerprint(text):
    """SHA-256 of the text as compared (spacing, case and quotes aside): a page's identity."""
    return hashlib.sha256(_normal(text.translate(INVISIBLE)).strip().encode()).hexdigest()


def same_page(address, other):
    """Whether two addresses name one page: scheme, host case and a trailing slash aside."""
    a, b = urlsplit(address), urlsplit(other)
    return (a.hostname, a.port, a.path.rstrip("/"), a.query) == (
        b.hostname,
        b.port,
        b.path.rstrip("/"),
        b.query,
    )


# ---------------------------------------------------------------------------
# Fetching


class _TooLarge(Exception):
    """A page over the size cap: it is not read further."""


def http_client(limits, pacer):
    return httpx.Client(
        follow_redirects=True,
        max_redirects=limits.max_redirects,
        timeout=httpx.Timeout(limits.read_timeout, connect=limits.connect_timeout),
        headers={"User-Agent": settings.SOURCE_CHECK_USER_AGENT},
        event_hooks={"request": [lambda request: pacer.wait(request.url.host)]},
    )


def fetch(client, address, limits):
    """Fetch one address: never raises for what the network or the server does."""
    reading = Reading(checked_at=timezone.now())
    try:
        with client.stream("GET", address) as response:
            reading.status = response.status_code
            reading.final_address = str(response.url)[:LONGEST_ADDRESS]
            reading.redirects = _hops(response)
            body = _body(response, limits)
            reading.answered = True
    except httpx.TimeoutException:
        reading.error = "timeout"
    except httpx.TooManyRedirects:
        reading.error = "too many redirects"
    except (httpx.UnsupportedProtocol, httpx.InvalidURL) as error:
        reading.error = f"not a web address: {error}"
    except httpx.HTTPError as error:
        reading.error = _connection_error(error)
    except _TooLarge:
        reading.error = f"too large (over {limits.max_bytes:,} bytes)"
    if reading.answered and 200 <= reading.status < 300:
        charset = response.charset_encoding
        reading.text, reading.error = page_text(
            response.headers.get("content-type", ""), body, charset
        )
    reading.error = reading.error[:LONGEST_ERROR]
    return reading


def _body(response, limits):
    """The body, read until the size cap or the page's whole time runs out."""
    declared = response.headers.get("content-length", "")
    if declared.isdigit() and int(declared) > limits.max_bytes:
        raise _TooLarge
    started = time.monotonic()
    chunks, size = [], 0
    for chunk in response.iter_bytes():
        size += len(chunk)
        if size > limits.max_bytes:
            raise _TooLarge
        if time.monotonic() - started > limits.total_timeout:
            raise httpx.ReadTimeout("the page took too long", request=response.request)
        chunks.append(chunk)
    return b"".join(chunks)


def _hops(response):
    """Each redirect as "301 https://...": its status, and where it sent."""
    answers = [*response.history, response]
    return [
        f"{hop.status_code} {following.request.url}"
        for hop, following in zip(answers, answers[1:], strict=False)
    ]


def _connection_error(error):
    message = str(error) or type(error).__name__
    if "SSL" in message or "certificate" in message.lower():
        return f"TLS error: {message}"
    if "refused" in message.lower():
        return "connection refused"
    return f"connection error: {message}"


# ---------------------------------------------------------------------------
# Checking sources


def checked_address(source):
    """(address, via_copy): where the quote was read, the copy's page when it was read in one."""
    if source.read_via_copy and source.via_url:
        return source.via_url, True
    return source.url, False


def record(source, address, via_copy, reading):
    """Save what a reading says about a source's quote, as a SourceCheck (never the Source)."""
    read = reading.text is not None
    found = quote_found(source.quote, reading.text) if read else None
    printed = fingerprint(reading.text) if read else ""
    moved = bool(reading.redirects) and not same_page(address, reading.final_address)
    outcome = outcome_of(
        answered=reading.answered,
        status=reading.status,
        page_read=read,
        quote_found=found,
        moved=moved,
        fingerprint=printed,
        baseline=SourceCheck.objects.baseline(source, address) if printed else "",
    )
    return SourceCheck.objects.create(
        source=source,
        checked_at=reading.checked_at,
        address=address,
        via_copy=via_copy,
        http_status=reading.status,
        final_address=reading.final_address,
        redirects="\n".join(reading.redirects),
        error=reading.error,
        quote_found=found,
        fingerprint=printed,
        outcome=outcome,
    )


def check_sources(sources, limits=None, pacer=None, on_check=None):
    """Check each source's page; return the checks, in the order of ``sources``.

    A source not started within ``limits.start_within`` gets no check.

    ``on_check(check)`` is called as each is saved (the command prints it).
    ``pacer`` spaces requests per host (a HostPacer of ``limits.delay`` unless given).
    """
    limits = limits or Limits()
    pacer = pacer or HostPacer(limits.delay)
    targets = [(source, *checked_address(source)) for source in sources]
    late = None if limits.start_within is None else time.monotonic() + limits.start_within

    def read(target):
        if late is not None and time.monotonic() > late:
            return None  # out of time: left unchecked, and no check recorded
        return fetch(client, target[1], limits)

    checks = []
    with (
        http_client(limits, pacer) as client,
        ThreadPoolExecutor(max_workers=limits.concurrency) as pool,
    ):
        readings = pool.map(read, targets)
        for (source, address, via_copy), reading in zip(targets, readings, strict=True):
            if reading is None:
                continue
            check = record(source, address, via_copy, reading)
            checks.append(check)
            if on_check:
                on_check(check)
    return checks


def describe(check):
    """One line about a check, for the command's output."""
    where = f"{check.address} (the copy's address)" if check.via_copy else check.address
    detail = []
    if check.http_status and check.http_status != 200:
        detail.append(f"HTTP {check.http_status}")
    if check.outcome == CheckOutcome.MOVED:
        detail.append(f"now at {check.final_address}")
    if check.error:
        detail.append(check.error)
    said = f": {'; '.join(detail)}" if detail else ""
    return f"{check.get_outcome_display():<13} {check.source.ref}  {where}{said}"


def summary(checks):
    """The checks in one sentence: how many of each outcome, and how many need a look."""
    counts = Counter(check.outcome for check in checks)
    parts = [
        f"{counts[outcome]} {outcome.label if outcome == CheckOutcome.OK else outcome.label.lower()}"
        for outcome in CheckOutcome
        if counts[outcome]
    ]
    attention = sum(1 for check in checks if check.outcome != CheckOutcome.OK)
    checked = f"Checked {len(checks)} source{'s' if len(checks) != 1 else ''}"
    looks = f"{attention} need{'s' if attention == 1 else ''} an editor's look."
    return f"{checked}: {', '.join(parts) or 'none'}. {looks}"
