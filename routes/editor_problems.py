"""What a visitor would see wrong on a route page, listed for the route's editor.

The route's admin page shows these above its form, each linking to where it
is fixed: the row's form on that page, or the source's own admin page.

The rules are ``audit``'s (a row without its source, a summary stating a
fact, a verification grown old, ...), run on this one route whatever its
status, so that a draft is put right before it is published. To them are
added what a page shows without breaking a rule, but what an editor should
settle: two sources stating different values for one topic, a source nobody
has verified yet, and a cited page whose latest check (``check_sources``)
found the quote missing, the page gone, moved, unreachable or changed.
"""

from dataclasses import dataclass

from django.urls import reverse
from django.utils.text import Truncator

from .audit import route_findings, route_rows
from .facts import group_facts, statement
from .models import Fact, Source, SourceCheck
from .vocabulary import CRITERIA, FEE

# How many characters of a row's words name it in the list.
SHOWN = 90


@dataclass(frozen=True)
class Problem:
    kind: str  # what is wrong, in a few words: “no source”, “sources disagree”
    text: str  # which row or source it is
    link: str  # where it is fixed


def problems_of(route, row_links=None):
    """Every problem of the route, in the order of ``FINDERS``; five queries whatever its size.

    ``row_links``: where each row's form is, as {(model, pk): "#facts-0"}; a row
    missing from it links to its own admin page.
    """
    rows = RouteRows(route, route_rows([route])[route.pk], row_links or {})
    return [problem for find in FINDERS for problem in find(rows)]


@dataclass
class RouteRows:
    """A route's rows as read once for every check, and where to send an editor for each."""

    route: object
    rows: list
    row_links: dict

    @property
    def facts(self):
        return [row for row in self.rows if isinstance(row, Fact)]

    @property
    def sources(self):
        cited = {row.source for row in self.rows if row.source is not None}
        return sorted(cited, key=lambda source: source.ref)

    def link(self, about):
        """The row's form, the source's admin page, or (None) the route's own fields."""
        if isinstance(about, Source):
            return reverse("admin:routes_source_change", args=[about.pk])
        if about is None:
            return reverse("admin:routes_route_change", args=[self.route.pk])
        found = self.row_links.get((type(about), about.pk))
        return found or reverse(f"admin:routes_{about._meta.model_name}_change", args=[about.pk])


def rule_breaks(rows):
    """The content rules a published route keeps (``audit``), broken by this one."""
    for finding in route_findings(rows.route, rows.rows):
        about = finding.about
        if finding.rule == "summary states a fact":
            link = rows.link(None) + "#id_summary"
        else:
            link = rows.link(about)
        yield Problem(finding.rule, describe(about, finding.detail), link)


def disagreements(rows):
    """Two sources state different values in force for one topic (``facts.differ``): the
    page shows both, and an editor decides whether one of them is out of date."""
    for group in group_facts(rows.facts):
        if group.disputed:
            current = group.current
            label = group.name if group.topic == FEE else group.label
            values = " / ".join(dict.fromkeys(statement(fact) for fact in current))
            yield Problem("sources disagree", f"{label}: {values}", rows.link(current[0]))


def unverified_sources(rows):
    """A source nobody has opened and checked yet: the page says so to every visitor."""
    for source in rows.sources:
        if source.verified_on is None:
            yield Problem("never verified", str(source), rows.link(source))


def page_checks(rows):
    """A cited page that no longer says what is quoted, or is gone, moved or changed
    (``manage.py check_sources``), until an editor acknowledges the check."""
    if not rows.sources:
        return
    cited = SourceCheck.objects.filter(source__in=[source.pk for source in rows.sources])
    by_source = {check.source_id: check for check in cited.needing_attention()}
    for source in rows.sources:
        if check := by_source.get(source.pk):
            kind = check.get_outcome_display().lower()
            when = f"checked {check.checked_at:%Y-%m-%d}"
            copy = ", at the copy's address" if check.via_copy else ""
            yield Problem(kind, f"{source} ({when}{copy})", rows.link(source))


# One function per kind of problem, listed in this order (broken rules, then
# a cited page that no longer says what is quoted, then what to settle); a
# new kind is one more function here.
FINDERS = (rule_breaks, page_checks, disagreements, unverified_sources)


def describe(about, detail):
    """A row or source as an editor knows it; the route's own problems as ``audit`` says them."""
    if isinstance(about, Source):
        verified = f", verified {about.verified_on}" if about.verified_on else ""
        return f"{about}{verified}"
    if isinstance(about, Fact):
        return f"{row_kind(about)} “{shortened(about)}”"
    if about is not None:
        return f"{about._meta.verbose_name} “{shortened(about)}”"
    return detail


def shortened(row):
    return Truncator(str(row)).chars(SHOWN)


def row_kind(fact):
    if fact.topic in CRITERIA:
        return "requirement"
    return "fee" if fact.topic == FEE else "figure"
