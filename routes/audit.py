"""The content rules as a check: what a published route must never do.

``audit(routes)`` lists every break of a rule among published routes, each
with the route, the rule and what was found; ``manage.py audit_content``
prints them and fails on any, and the test suite runs it over fixtures/.

What a page guarantees by its code is not audited here: every fact's kind
label and date are drawn by ``citations`` for every row, and a disagreement
between values of one topic (fees: of one thing, whatever their case) is
found by ``facts.differ`` on every page.
What only the content can get wrong is: a route with no official source, a
row without its source (plain guidance such as “Confirm you meet the
eligibility above.” needs none), a summary or a country's introduction
stating a fact, a quote that is not the notes' own words, a copy called
verified, a peer site's page labelled official (its facts would go
unlabelled), and a verification grown old.
"""

import datetime
import re
from dataclasses import dataclass, field
from urllib.parse import urlsplit

from django.conf import settings
from django.utils import timezone

from .models import Document, Fact, Question, Step
from .vocabulary import PEER_SITES, SourceKind, Status, summary_facts

ROWS = (Fact, Document, Step, Question)
TRUSTED = {SourceKind.OFFICIAL, SourceKind.AGENCY}
# Quoted passages shorter than this are too generic to look up in the notes.
SHORTEST_PASSAGE = 12


@dataclass(frozen=True)
class RuleBreak:
    route: str  # the route's address
    rule: str
    detail: str
    # The row or source at fault (None: the route itself), so that an editor can be sent to it.
    about: object = field(default=None, compare=False, repr=False)

    def __str__(self):
        return f"{self.route}: {self.rule}: {self.detail}"


def audit(routes, notes=""):
    """Every break of a content rule among these routes (published ones are what counts).

    ``notes``: the text of the source notes; when given, every quoted passage
    must be found in it word for word (spacing and typographic quotes aside).
    """
    routes = list(routes.select_related("country"))
    rows = route_rows(routes)
    notes = _normal(notes) if notes else ""
    findings = []
    for route in routes:
        findings += route_findings(route, rows[route.pk], notes)
    for country in sorted({route.country for route in routes}, key=lambda c: c.name):
        if stated := summary_facts(country.introduction):
            url = country.get_absolute_url()
            findings.append(RuleBreak(url, "introduction states a fact", ", ".join(stated)))
    return findings


def route_rows(routes):
    """Each route's rows, every kind, with their sources: {route id: rows}, in four queries."""
    rows = {route.pk: [] for route in routes}
    for model in ROWS:
        for row in model.objects.filter(route__in=routes).select_related("source"):
            rows[row.route_id].append(row)
    return rows


def route_findings(route, rows, notes=""):
    """The breaks of the rules by one route, whatever its status, given its rows (``route_rows``).

    ``notes``: normalised notes text, or empty to leave quotes unchecked.
    """
    url = route.get_absolute_url()
    sources = {row.source for row in rows if row.source is not None}
    if not any(s.kind in TRUSTED and not s.read_via_copy for s in sources):
        yield RuleBreak(url, "no official source", "no row cites an official or state-agency page")
    for row in rows:
        if row.source is None and not _editorial(row):
            yield RuleBreak(
                url, "no source", f"{type(row).__name__.lower()} “{_name(row)}”", about=row
            )
    for source in sorted(sources, key=lambda s: s.ref):
        yield from _source_findings(url, source, notes)
    if stated := summary_facts(route.summary):
        yield RuleBreak(url, "summary states a fact", ", ".join(stated))


def _source_findings(url, source, notes):
    if not source.quote.strip():
        yield RuleBreak(url, "no quote", source.ref, about=source)
    if source.read_via_copy and source.verified_on:
        yield RuleBreak(url, "copy called verified", source.ref, about=source)
    if source.kind != SourceKind.SECONDARY and _host(source.url).endswith(PEER_SITES):
        yield RuleBreak(url, "secondary source labelled official", source.ref, about=source)
    if source.verified_on:
        old = timezone.localdate() - datetime.timedelta(days=settings.REVIEW_AFTER_DAYS)
        if source.verified_on < old:
            detail = f"{source.ref} ({source.verified_on})"
            yield RuleBreak(url, "verification overdue", detail, about=source)
    if notes:
        for passage in _passages(source.quote):
            if _normal(passage) not in notes:
                detail = f"{source.ref}: “{passage[:80]}”"
                yield RuleBreak(url, "quote not in the notes", detail, about=source)


def _host(address):
    return urlsplit(address).netloc.lower()


def _editorial(row):
    """Rows that need no source: a fact saying the sources are silent, and a step of
    plain guidance that states no fact (“Confirm you meet the eligibility above.”)."""
    if isinstance(row, Fact):
        return row.status == Status.NOT_STATED
    return isinstance(row, Step) and not summary_facts(row.text)


def _name(row):
    return str(getattr(row, "text", "") or getattr(row, "question", "") or row.pk)[:60]


def _passages(quote):
    """A quote's passages as the notes hold them: split at “ / ” and at cuts (“…”)."""
    pieces = re.split(r" / |…|\[…\]", quote)
    return [p.strip(" .;,") for p in pieces if len(p.strip(" .;,")) >= SHORTEST_PASSAGE]


def _normal(text):
    """Compared regardless of spacing, case, escapes and typographic quotes."""
    text = (
        text.replace('\\"', '"')
        .replace("\\|", "|")
        .translate(str.maketrans("“”„’‘«»", '"""\'\'""'))
    )
    return re.sub(r"\s+", " ", text).lower()
