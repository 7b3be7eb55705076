"""Routes, and the sources their facts cite."""

import datetime

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Q
from django.db.models.functions import Coalesce, Least, NullIf
from django.utils import timezone
from django.utils.crypto import get_random_string
from django.utils.text import slugify
from simple_history.models import HistoricalRecords

from publishing.addresses import address

from ..vocabulary import RouteStatus, SourceKind
from .countries import Category, Country, refuse_stated_facts
from .editorial import OldAddress

# The relations from a route to its rows, each of which may cite a source.
ROW_RELATIONS = ("facts", "documents", "steps", "questions")
# A route page shows at most this many characters of a quote until it is opened.
QUOTE_SHOWN = 160


def validate_https(value):
    if value and not value.lower().startswith("https://"):
        raise ValidationError(
            "Use the page's https:// address; plain http:// links are refused.",
            code="not_https",
        )


def validate_not_future(value):
    if value and value > timezone.localdate():
        raise ValidationError("This date is in the future.", code="future_date")


class SourceManager(models.Manager):
    def get_by_natural_key(self, ref):
        return self.get(ref=ref)


class Source(models.Model):
    """One cited passage of one web page: where a fact comes from."""

    ref = models.SlugField(
        "reference",
        max_length=80,
        unique=True,
        blank=True,
        help_text="A short unique name for this citation; filled in for you if left empty.",
    )
    url = models.URLField(
        "address",
        max_length=500,
        validators=[validate_https],
        help_text="The page's https:// address, exactly as it is cited.",
    )
    title = models.CharField(max_length=300, help_text="The page's own title.")
    publisher = models.CharField(
        max_length=200,
        help_text="Who publishes the page, e.g. “eGov.kz (Government of Kazakhstan)”.",
    )
    kind = models.CharField(
        max_length=16,
        choices=SourceKind.choices,
        help_text="Official: a government's own site. State agency: a state body or "
        "state-owned company that is not a ministry. Secondary: anyone else "
        "(law firms, news sites, consultants).",
    )
    page_date = models.DateField(
        "page's own date",
        null=True,
        blank=True,
        validators=[validate_not_future],
        help_text="The date the page itself prints (published or last updated). Leave "
        "empty if it prints none.",
    )
    verified_on = models.DateField(
        null=True,
        blank=True,
        validators=[validate_not_future],
        help_text="The day an editor last opened the page and found the quote there. "
        "Empty means “not yet verified”.",
    )
    via_publisher = models.CharField(
        "read via",
        max_length=200,
        blank=True,
        help_text="When the text was read in a copy or transcription of the page, not the "
        "page itself: who published the copy, e.g. “wheretoemigrate.io”. A page read via "
        "a copy cannot be marked verified: verifying means opening the original.",
    )
    via_url = models.URLField(
        "copy's address",
        max_length=500,
        blank=True,
        validators=[validate_https],
        help_text="The https:// address of the copy the text was read in.",
    )
    via_date = models.DateField(
        "copy's date",
        null=True,
        blank=True,
        validators=[validate_not_future],
        help_text="The date the copy gives for the page (e.g. “Updated 2026-06-24”).",
    )
    quote = models.TextField(
        "verbatim quote", help_text="The exact words of the page that support the facts."
    )
    quote_language = models.CharField(
        max_length=8,
        default="en",
        help_text="Language of the quote as an ISO 639-1 code, e.g. en, ru, kk.",
    )
    note = models.CharField(
        max_length=300,
        blank=True,
        help_text="Anything a reader should know, e.g. “unofficial translation of an "
        "official order” or “cites gov.kz”.",
    )
    updated_at = models.DateTimeField(auto_now=True)

    history = HistoricalRecords()
    objects = SourceManager()

    class Meta:
        ordering = ["publisher", "title"]
        permissions = [("verify_source", "Can mark sources verified")]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(via_publisher="", via_url="", via_date__isnull=True)
                | (~models.Q(via_publisher="") & ~models.Q(via_url="")),
                name="source_copy_named_with_its_address",
                violation_error_message="A copy the page was read via needs both its "
                "publisher and its address.",
            ),
            models.CheckConstraint(
                condition=models.Q(via_publisher="") | models.Q(verified_on__isnull=True),
                name="source_read_via_a_copy_is_not_verified",
                violation_error_message="A page read via a copy is not verified: verify "
                "the original, then clear the copy's fields.",
            ),
        ]

    def __str__(self):
        return f"{self.publisher}: {self.title}"

    def save(self, *args, **kwargs):
        if not self.ref:
            self.ref = f"{slugify(self.publisher)[:50] or 'source'}-{get_random_string(8).lower()}"
        super().save(*args, **kwargs)
        Route.objects.citing(self).mark_changed()

    def natural_key(self):
        return (self.ref,)

    @property
    def is_official(self):
        return self.kind == SourceKind.OFFICIAL

    @property
    def read_via_copy(self):
        return bool(self.via_publisher)

    @property
    def date(self):
        """The date to show next to a fact: the page's own, else its copy's, else verification."""
        return self.page_date or self.via_date or self.verified_on

    @property
    def quote_opening(self):
        """The quote's first words, cut at a word within QUOTE_SHOWN characters: what
        its route page shows of it until the visitor opens the whole."""
        if len(self.quote) <= QUOTE_SHOWN:
            return self.quote
        return self.quote[:QUOTE_SHOWN].rsplit(" ", 1)[0].rstrip(",;:") + " …"


# ---------------------------------------------------------------------------
# Route


class RouteQuerySet(models.QuerySet):
    def published(self):
        return self.filter(status=RouteStatus.PUBLISHED)

    def mark_changed(self):
        """Something shown on these routes' pages changed: their last change is now.

        An update, not a save: it adds no history record of its own.
        """
        return self.update(updated_at=timezone.now())

    def citing(self, source):
        cited = Q()
        for relation in ROW_RELATIONS:
            cited |= Q(pk__in=Route.objects.filter(**{f"{relation}__source": source}).values("pk"))
        return self.filter(cited)

    def listed(self):
        """What lists and tables of routes need, in one query."""
        return self.select_related("country", "category").order_by(
            "country__name", "category__position", "official_name"
        )

    def others_in_country(self, route):
        """The country's other published routes, those of the route's category first."""
        same_category_first = models.Case(
            models.When(category=route.category_id, then=0), default=1
        )
        return (
            self.published()
            .filter(country=route.country_id)
            .exclude(pk=route.pk)
            .select_related("category")
            .order_by(same_category_first, "category__position", "official_name")
        )

    def with_facts(self):
        """Routes with the facts shown in lists and comparisons (two queries)."""
        # The Fact model, reached through the relation (models.rows imports this module).
        fact = self.model.facts.rel.related_model
        return self.listed().prefetch_related(
            models.Prefetch("facts", queryset=fact.objects.select_related("source"))
        )

    def overdue(self):
        """Published routes whose verification is missing or older than REVIEW_AFTER_DAYS."""
        cutoff = timezone.localdate() - datetime.timedelta(days=settings.REVIEW_AFTER_DAYS)
        return (
            self.published()
            .with_verification()
            .filter(
                Q(verified_oldest__isnull=True)
                | Q(verified_oldest__lt=cutoff)
                | Q(has_unverified=True)
            )
        )

    def with_verification(self):
        """Annotate when the route's sources were verified, in the same query.

        ``verified_oldest``: the oldest "verified on" among the sources the
        route cites (None when none is verified); ``has_unverified``: whether
        any cited source is not yet verified.

        Each kind of row is read through its index on the route (a few rows a
        route), never by going through every source: the comparison sorts a
        category of thousands of routes by it.
        """
        never = models.Value(datetime.date.max)
        oldest = [
            Coalesce(
                models.Subquery(
                    _cited_by(relation)
                    .filter(source__verified_on__isnull=False)
                    .order_by("source__verified_on")
                    .values("source__verified_on")[:1]
                ),
                never,
            )
            for relation in ROW_RELATIONS
        ]
        unverified = Q()
        for relation in ROW_RELATIONS:
            unverified |= Q(models.Exists(_cited_by(relation).filter(source__verified_on=None)))
        return self.annotate(
            verified_oldest=NullIf(Least(*oldest), never),
            has_unverified=models.ExpressionWrapper(unverified, models.BooleanField()),
        )


def _cited_by(relation):
    """The rows of one kind (``ROW_RELATIONS``) of the enclosing query's route that cite a
    source (for subqueries)."""
    rows = Route._meta.get_field(relation).related_model
    return rows.objects.filter(route=models.OuterRef("pk"), source__isnull=False)


class RouteManager(models.Manager.from_queryset(RouteQuerySet)):
    def get_by_natural_key(self, slug, country_code):
        return self.get(slug=slug, country__code=country_code)


class Route(models.Model):
    country = models.ForeignKey(Country, on_delete=models.PROTECT, related_name="routes")
    category = models.ForeignKey(Category, on_delete=models.PROTECT, related_name="routes")
    slug = models.SlugField(
        max_length=120,
        help_text="The route's address under its country, e.g. “labour-immigrant-work-permit”.",
    )
    official_name = models.CharField(
        max_length=300, help_text="The name the government uses, as on its own page."
    )
    common_name = models.CharField(
        max_length=200,
        blank=True,
        help_text="What people call it, if different, e.g. “Neo Nomad Visa”.",
    )
    code = models.CharField(
        max_length=40, blank=True, help_text="The official code or category, e.g. “B12-1”."
    )
    summary = models.TextField(
        help_text="One or two sentences in your own words: who the route is for and what it "
        "gives. No figures or requirements: those are facts, each with its source."
    )
    status = models.CharField(
        max_length=10,
        choices=RouteStatus.choices,
        default=RouteStatus.DRAFT,
        help_text="Only published routes are visible to the public.",
    )
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    history = HistoricalRecords()
    objects = RouteManager()

    class Meta:
        ordering = ["country__name", "official_name"]
        permissions = [("publish_route", "Can publish, unpublish and delete published routes")]
        constraints = [
            models.UniqueConstraint(
                fields=["country", "slug"],
                name="route_unique_slug_per_country",
                violation_error_message="This country already has a route with this slug.",
            ),
        ]

    def __str__(self):
        return f"{self.official_name} ({self.country_id and self.country.name})"

    def save(self, *args, **kwargs):
        old_url = None
        if self.pk:
            old = Route.objects.filter(pk=self.pk).select_related("country").first()
            old_url = old.get_absolute_url() if old else None
        super().save(*args, **kwargs)
        if old_url and old_url != self.get_absolute_url():
            OldAddress.objects.moved(old_url, self.get_absolute_url())

    def get_absolute_url(self):
        return address("routes:route", self.country.slug, self.slug)

    def natural_key(self):
        return (self.slug, *self.country.natural_key())

    natural_key.dependencies = ["routes.country", "routes.category"]

    @property
    def is_published(self):
        return self.status == RouteStatus.PUBLISHED

    def clean(self):
        if self.status == RouteStatus.PUBLISHED:
            refuse_stated_facts(
                "summary",
                self.summary,
                "A summary says what the route is for, in words",
                "summary_states_a_fact",
                tail=" Put those in the route's facts, with their sources.",
            )

    @property
    def title(self):
        return self.official_name

    @property
    def short_name(self):
        """What lists name the route by: its common name, else its code, else its name."""
        return self.common_name or self.code or self.official_name
