"""Checks of sources: does each cited page still answer, and still say what is quoted?

``manage.py check_sources`` and the admin's "Check now" (``routes.source_checks``)
fetch each source's page and record one SourceCheck per source. Nothing public
changes by itself: a check never saves its Source (a save marks every citing
route changed, and so changes public pages). An editor reads the check, fixes
the source or the facts if needed, and acknowledges it.

The address checked is the source's ``url``, or its copy's ``via_url`` when
the quote was read in a copy or transcription (``via_copy``): that is where
the quoted words were read.

The outcome of a check, decided in this order (``outcome_of``):

- **unreachable**: no whole answer came: a timeout, a refused or reset
  connection, a TLS error, too many redirects, a page over the size cap; or
  the server answered 5xx, or answered that it will not serve us or not now
  (401, 403, 407, 408, 429), or a redirect that leads nowhere. The page may
  well be there: try again later, or open it by hand.
- **gone**: 404 or 410, and every other 4xx (400, 405, 451, ...): the
  address no longer serves the page.
- **quote_missing**: the page was read, but a passage of the quote is not in
  its text, or the page is not text that can be read (an image, a broken
  PDF). The quote is split into passages as the content audit splits it
  (``routes.audit``), and compared regardless of spacing, case and
  typographic quotes.
- **moved**: the quote is there, but a redirect ended at another address
  (``final_address``). A change of scheme (http to https) or of a trailing
  slash is not a move.
- **page_changed**: the quote is there, but the page's text is not what it
  was: its fingerprint differs from the baseline, which is the fingerprint
  of the latest acknowledged check of that address, else of the first check
  of that address. So acknowledging a changed page makes it the page later
  checks are compared with.
- **ok**: none of these.

``quote_found`` is None when nothing could be told: the page was not read
(unreachable, gone, not text), or the quote is empty. A page that was read
with nothing to look for is judged by its redirects and fingerprint alone.

An acknowledgement is for one check: a later check that finds the same
problem needs attention again, until the source is fixed.
"""

import operator
from functools import reduce

from django.conf import settings
from django.db import models
from django.db.models import OuterRef, Q, Subquery
from simple_history.models import HistoricalRecords

from ..vocabulary import RouteStatus
from .routes import Source
from .rows import Document, Fact, Question, Step


class CheckOutcome(models.TextChoices):
    OK = "ok", "OK"
    QUOTE_MISSING = "quote_missing", "Quote missing"
    PAGE_CHANGED = "page_changed", "Page changed"
    MOVED = "moved", "Moved"
    GONE = "gone", "Gone"
    UNREACHABLE = "unreachable", "Unreachable"


# How soon an editor should look: the quote or the page is not there (0),
# the page is elsewhere, did not answer or reads differently (1), nothing (2).
CHECK_URGENCY = {
    CheckOutcome.QUOTE_MISSING: 0,
    CheckOutcome.GONE: 0,
    CheckOutcome.MOVED: 1,
    CheckOutcome.UNREACHABLE: 1,
    CheckOutcome.PAGE_CHANGED: 1,
    CheckOutcome.OK: 2,
}
# Answers that say "not you" or "not now" rather than "no such page".
REFUSED_OR_LATER = frozenset({401, 403, 407, 408, 429})
# Outcomes of a page that was read, with the quote in it (unless nothing could be told).
QUOTE_THERE = [CheckOutcome.OK, CheckOutcome.MOVED, CheckOutcome.PAGE_CHANGED]
NOT_READ = [CheckOutcome.GONE, CheckOutcome.UNREACHABLE]


def status_outcome(status):
    """What an HTTP status says by itself: unreachable, gone, or None (read the page)."""
    if status >= 500 or status in REFUSED_OR_LATER or status < 200 or 300 <= status < 400:
        return CheckOutcome.UNREACHABLE
    if status >= 400:
        return CheckOutcome.GONE
    return None


def outcome_of(*, answered, status, page_read, quote_found, moved, fingerprint, baseline):
    """A check's outcome, by the rules of this module's docstring.

    ``answered``: a whole answer came (not cut off by an error or the size
    cap); ``page_read``: its body was text that could be read; ``moved``: a
    redirect ended at another address; ``baseline``: the fingerprint to
    compare with ("" when this is the first check of the address).
    """
    if not answered:
        return CheckOutcome.UNREACHABLE
    if by_status := status_outcome(status):
        return by_status
    if not page_read or quote_found is False:
        return CheckOutcome.QUOTE_MISSING
    if moved:
        return CheckOutcome.MOVED
    if baseline and fingerprint != baseline:
        return CheckOutcome.PAGE_CHANGED
    return CheckOutcome.OK


def check_status(outcome, acknowledged_at):
    """A check's status in words, for lists: its outcome, and whether an editor acknowledged it."""
    if outcome is None:
        return "never checked"
    label = CheckOutcome(outcome).label
    return f"{label} (acknowledged)" if acknowledged_at else label


def _newest_first(checks):
    return checks.order_by("-checked_at", "-id")


class SourceCheckQuerySet(models.QuerySet):
    def latest_only(self):
        """Only the latest check of each source (one query, whatever the number of sources)."""
        newest = _newest_first(SourceCheck.objects.filter(source=OuterRef("source")))
        return self.filter(pk=Subquery(newest.values("pk")[:1]))

    def latest_of(self, sources):
        """The latest check of each of these sources (a queryset of sources, or their pks)."""
        return self.filter(source__in=sources).latest_only()

    def needing_attention(self):
        """Latest checks an editor has to look at: not ok, and not acknowledged yet."""
        return (
            self.latest_only().exclude(outcome=CheckOutcome.OK).filter(acknowledged_at__isnull=True)
        )

    def baseline(self, source, address):
        """The fingerprint a new check of ``address`` is compared with ("" for none yet).

        That of the latest acknowledged check of the address (an editor looked
        at that page), else that of its first check.
        """
        of_page = self.filter(source=source, address=address).exclude(fingerprint="")
        check = _newest_first(of_page.filter(acknowledged_at__isnull=False)).first()
        check = check or of_page.order_by("checked_at", "id").first()
        return check.fingerprint if check else ""


class SourceCheck(models.Model):
    """One check of one source's page: what answered, and whether the quote is still there."""

    source = models.ForeignKey(Source, on_delete=models.CASCADE, related_name="checks")
    checked_at = models.DateTimeField("checked at")
    address = models.URLField(
        "address checked",
        max_length=500,
        help_text="The address fetched: the source's, or its copy's when the quote was read "
        "in a copy.",
    )
    via_copy = models.BooleanField(
        "at the copy's address",
        default=False,
        help_text="The quote was read in a copy or transcription, so the copy's page was checked.",
    )
    http_status = models.PositiveSmallIntegerField("HTTP status", null=True, blank=True)
    final_address = models.URLField(
        "final address",
        max_length=2000,
        blank=True,
        help_text="Where the last redirect ended (the address itself without one); empty "
        "without an answer.",
    )
    redirects = models.TextField(
        blank=True, help_text="Each redirect followed, one a line: its status and where it sent."
    )
    error = models.CharField(
        max_length=200,
        blank=True,
        help_text="Why the page could not be read: timeout, connection refused, too large, "
        "not text, ...",
    )
    quote_found = models.BooleanField(
        null=True,
        blank=True,
        help_text="Empty: could not tell (the page was not read, or the quote is empty).",
    )
    fingerprint = models.CharField(
        max_length=64,
        blank=True,
        help_text="SHA-256 of the page's text, normalised: tells a changed page from the same one.",
    )
    outcome = models.CharField(max_length=16, choices=CheckOutcome.choices)
    acknowledged_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="acknowledged_checks",
    )
    acknowledged_at = models.DateTimeField(null=True, blank=True)

    history = HistoricalRecords()
    objects = SourceCheckQuerySet.as_manager()

    class Meta:
        ordering = ["-checked_at", "-id"]
        get_latest_by = ["checked_at", "id"]
        indexes = [
            # A source's latest check, read from the index however many checks it has.
            models.Index(fields=["source", "-checked_at", "-id"], name="sourcecheck_newest_first"),
        ]
        constraints = [
            models.CheckConstraint(
                condition=Q(outcome__in=CheckOutcome.values),
                name="sourcecheck_outcome_known",
                violation_error_message="This is not a known outcome of a check.",
            ),
            models.CheckConstraint(
                condition=Q(outcome__in=NOT_READ, quote_found__isnull=True)
                | Q(outcome=CheckOutcome.QUOTE_MISSING, quote_found=False)
                | Q(outcome=CheckOutcome.QUOTE_MISSING, quote_found__isnull=True)
                | Q(outcome__in=QUOTE_THERE, quote_found=True)
                | Q(outcome__in=QUOTE_THERE, quote_found__isnull=True),
                name="sourcecheck_quote_finding_fits_outcome",
                violation_error_message="The quote's finding does not fit the outcome: a page "
                "not read has none, a missing quote was not found, and the others found it.",
            ),
            models.CheckConstraint(
                condition=Q(acknowledged_by__isnull=True) | Q(acknowledged_at__isnull=False),
                name="sourcecheck_acknowledged_with_its_moment",
                violation_error_message="An acknowledged check needs the moment it was "
                "acknowledged.",
            ),
        ]

    def __str__(self):
        return f"{self.source.ref}: {self.get_outcome_display()} ({self.checked_at:%Y-%m-%d %H:%M})"

    @property
    def status(self):
        return check_status(self.outcome, self.acknowledged_at)

    @property
    def urgency(self):
        return CHECK_URGENCY[self.outcome]

    @property
    def redirect_hops(self):
        return self.redirects.splitlines()


def with_latest_check(sources):
    """Sources annotated with their latest check, in the same query.

    ``check_outcome`` (None when never checked), ``check_acknowledged_at`` and
    ``check_at``: what a list of sources shows and filters on, with no query
    per row.
    """
    latest = _newest_first(SourceCheck.objects.filter(source=OuterRef("pk")))
    return sources.annotate(
        check_outcome=Subquery(latest.values("outcome")[:1]),
        check_acknowledged_at=Subquery(latest.values("acknowledged_at")[:1]),
        check_at=Subquery(latest.values("checked_at")[:1]),
    )


def _cited_by(routes):
    """Sources cited by any row of these routes (a queryset of routes)."""
    return reduce(
        operator.or_,
        (
            Q(pk__in=model.objects.filter(route__in=routes).values("source"))
            for model in (Fact, Document, Step, Question)
        ),
    )


def checks_for_route(route):
    """The latest check of each source a route cites, by source pk (one query).

    For the route's editor page: next to each row's source, whether its page
    still says what is quoted (``check.status``, ``check.get_outcome_display``,
    ``check.checked_at``). A source never checked is absent from the dict.
    """
    cited = Source.objects.filter(_cited_by([route.pk]))
    checks = SourceCheck.objects.latest_of(cited).select_related("source", "acknowledged_by")
    return {check.source_id: check for check in checks}


def checks_needing_attention_by_route():
    """For each published route citing a source whose latest check needs attention,
    those checks, most urgent first: ``{route pk: [check, ...]}`` (two queries).
    """
    checks = {
        check.source_id: check
        for check in SourceCheck.objects.needing_attention().select_related("source")
    }
    if not checks:
        return {}
    published = Q(route__status=RouteStatus.PUBLISHED, source__in=list(checks))
    pairs = [
        model.objects.filter(published).values_list("route_id", "source_id").order_by()
        for model in (Fact, Document, Step, Question)
    ]
    by_route = {}
    for route_id, source_id in pairs[0].union(*pairs[1:]).order_by():
        by_route.setdefault(route_id, []).append(checks[source_id])
    for found in by_route.values():
        found.sort(key=lambda check: (check.urgency, check.source.title))
    return by_route
