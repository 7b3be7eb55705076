"""Countries, categories, routes and every sourced fact on a route page."""

import datetime

import pycountry
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import F, Q
from django.utils import timezone
from django.utils.crypto import get_random_string
from django.utils.text import slugify
from simple_history.models import HistoricalRecords

from .addresses import address
from .vocabulary import (
    CRITERIA,
    FEE,
    FIGURES,
    LOCAL_MONEY_UNITS,
    SOURCE_KIND_SHORT,
    AppliesTo,
    Pathway,
    Period,
    SourceKind,
    Standing,
    Status,
    TimeUnit,
    Topic,
    measure_of,
)

# A route page lists at most this many of its country's other routes.
OTHER_ROUTES = 10

# Paths at the site root that a country slug must never take.
RESERVED_SLUGS = frozenset(
    {
        "admin",
        "api",
        "static",
        "media",
        "compare",
        "check",
        "search",
        "changes",
        "feed",
        "sitemap.xml",
        "robots.txt",
        "healthz",
        "favicon.ico",
        "accounts",
        "about",
        "report",
    }
)


def validate_country_slug(value):
    from django.conf import settings

    admin_root = settings.ADMIN_URL.strip("/").split("/")[0]
    if value in RESERVED_SLUGS or value == admin_root:
        raise ValidationError(
            "“%(value)s” is already used by a page of the site; choose another slug.",
            code="reserved_slug",
            params={"value": value},
        )


def validate_country_code(value):
    if pycountry.countries.get(alpha_2=value) is None:
        raise ValidationError(
            "“%(value)s” is not an ISO 3166 two-letter country code (e.g. KZ).",
            code="unknown_country_code",
            params={"value": value},
        )


def is_known_currency(code):
    return code in LOCAL_MONEY_UNITS or pycountry.currencies.get(alpha_3=code) is not None


def validate_https(value):
    if value and not value.lower().startswith("https://"):
        raise ValidationError(
            "Use the page's https:// address; plain http:// links are refused.",
            code="not_https",
        )


def validate_not_future(value):
    if value and value > timezone.localdate():
        raise ValidationError("This date is in the future.", code="future_date")


# ---------------------------------------------------------------------------
# Country and category


class RouteStatus(models.TextChoices):
    DRAFT = "draft", "Draft"
    PUBLISHED = "published", "Published"


class CountryQuerySet(models.QuerySet):
    def with_route_counts(self):
        """Countries that have published routes, with how many."""
        published = Q(routes__status=RouteStatus.PUBLISHED)
        # By name: Meta.ordering does not apply to a query that groups rows.
        return (
            self.annotate(route_count=models.Count("routes", filter=published))
            .filter(route_count__gt=0)
            .order_by("name")
        )


class CountryManager(models.Manager.from_queryset(CountryQuerySet)):
    def get_by_natural_key(self, code):
        return self.get(code=code)


# Country names that English writes with "the" inside a sentence.
NAMES_WITH_THE = {
    "Bahamas",
    "Central African Republic",
    "Comoros",
    "Czech Republic",
    "Dominican Republic",
    "Gambia",
    "Holy See",
    "Maldives",
    "Netherlands",
    "Philippines",
    "Seychelles",
}


def takes_the(name):
    return (
        name in NAMES_WITH_THE
        or name.startswith(("United ", "Republic of ", "Democratic Republic of "))
        or name.endswith(" Islands")
    )


class Country(models.Model):
    code = models.CharField(
        "ISO code",
        max_length=2,
        unique=True,
        validators=[validate_country_code],
        help_text="Two capital letters from ISO 3166, e.g. KZ for Kazakhstan.",
    )
    name = models.CharField(max_length=100)
    slug = models.SlugField(
        unique=True,
        validators=[validate_country_slug],
        help_text="The country's address on the site, e.g. “kazakhstan” for /kazakhstan/.",
    )
    portal_name = models.CharField(
        "official immigration portal",
        max_length=200,
        blank=True,
        help_text="Name of the government's own immigration or e-government portal.",
    )
    portal_url = models.URLField("portal address", blank=True)
    updated_at = models.DateTimeField(auto_now=True)

    history = HistoricalRecords()
    objects = CountryManager()

    class Meta:
        ordering = ["name"]
        verbose_name_plural = "countries"
        constraints = [
            models.CheckConstraint(
                condition=Q(code__regex=r"^[A-Z]{2}$"), name="country_code_two_capitals"
            ),
        ]

    def __str__(self):
        return self.name

    def save(self, *args, **kwargs):
        old_slug = None
        if self.pk:
            old_slug = Country.objects.filter(pk=self.pk).values_list("slug", flat=True).first()
        super().save(*args, **kwargs)
        if old_slug and old_slug != self.slug:
            from .redirects import country_moved

            country_moved(self, old_slug)

    def get_absolute_url(self):
        return address("routes:country", self.slug)

    def natural_key(self):
        return (self.code,)

    @property
    def in_sentence(self):
        """The name as a sentence says it: “emigrating to the United Kingdom”."""
        return f"the {self.name}" if takes_the(self.name) else self.name

    @property
    def flag_path(self):
        """The static path of the country's flag (SVG from flag-icons)."""
        return f"flags/{self.code.lower()}.svg"

    def clean(self):
        self.code = (self.code or "").upper()


class CategoryQuerySet(models.QuerySet):
    def with_route_counts(self):
        """Every category, with how many published routes it has."""
        published = Q(routes__status=RouteStatus.PUBLISHED)
        # In their order: Meta.ordering does not apply to a query that groups rows.
        return self.annotate(route_count=models.Count("routes", filter=published)).order_by(
            "position", "name"
        )


class CategoryManager(models.Manager.from_queryset(CategoryQuerySet)):
    def get_by_natural_key(self, slug):
        return self.get(slug=slug)


class Category(models.Model):
    name = models.CharField(max_length=100, unique=True)
    slug = models.SlugField(unique=True)
    description = models.TextField(blank=True)
    position = models.PositiveSmallIntegerField(default=0)
    grants_permit = models.BooleanField(
        "routes grant a permit or visa",
        default=True,
        help_text="Untick for a lasting status such as citizenship: its pages then do not "
        "say that the sources are silent on validity, renewal or permanent residence, which "
        "do not apply (a value a source does state is still shown).",
    )
    updated_at = models.DateTimeField(auto_now=True)

    history = HistoricalRecords()
    objects = CategoryManager()

    class Meta:
        ordering = ["position", "name"]
        verbose_name_plural = "categories"

    def __str__(self):
        return self.name

    def get_absolute_url(self):
        return address("routes:compare", self.slug)

    def natural_key(self):
        return (self.slug,)


# ---------------------------------------------------------------------------
# Source


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
    def kind_short(self):
        """The kind as a citation labels it: “Official”, “State agency”, “Secondary”."""
        return SOURCE_KIND_SHORT[self.kind]

    @property
    def is_official(self):
        return self.kind == SourceKind.OFFICIAL

    @property
    def date(self):
        """The date to show next to a fact: the page's own, else verification."""
        return self.page_date or self.verified_on


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
        for relation in ("facts", "documents", "steps", "questions"):
            cited |= Q(pk__in=Route.objects.filter(**{f"{relation}__source": source}).values("pk"))
        return self.filter(cited)

    def listed(self):
        """What lists and tables of routes need, in one query."""
        return self.select_related("country", "category").order_by(
            "country__name", "category__position", "official_name"
        )

    def page(self, country_slug, route_slug):
        """One route page: the route, its rows and some of the country's other routes.

        Eight queries and a bounded number of rows, whatever the amount of
        content: the route, then its facts, documents, steps and questions,
        the sources they cite, its five latest public changes, and up to
        OTHER_ROUTES of the country's other published routes (those of its
        category first; the country's page lists them all).
        """
        from .page import RecentChange, RoutePage

        route = self.select_related("country", "category").get(
            country__slug=country_slug, slug=route_slug
        )
        rows = [
            list(model.objects.filter(route=route)) for model in (Fact, Document, Step, Question)
        ]
        facts, documents, steps, questions = rows
        # The few sources they cite, read once each (rows citing one share it).
        cited = {row.source_id for group in rows for row in group}
        sources = Source.objects.in_bulk(cited - {None})
        for group in rows:
            for row in group:
                row.source = sources.get(row.source_id)
        changes = Change.objects.filter(route=route, public=True).values_list("when", "text")
        same_category_first = models.Case(
            models.When(category=route.category_id, then=0), default=1
        )
        others = (
            Route.objects.published()
            .filter(country=route.country_id)
            .exclude(pk=route.pk)
            .order_by(same_category_first, "category__position", "official_name")
        )
        others = list(others[: OTHER_ROUTES + 1])  # one more tells whether there are more
        for other in others:
            other.country = route.country
        return RoutePage(
            route,
            facts=facts,
            documents=documents,
            steps=steps,
            questions=questions,
            others=others[:OTHER_ROUTES],
            more_others=len(others) > OTHER_ROUTES,
            recent_changes=[
                RecentChange(day=timezone.localdate(when).isoformat(), text=text)
                for when, text in changes[:5]
            ],
        )

    def with_facts(self):
        """Routes with the facts shown in lists and comparisons (two queries)."""
        return self.listed().prefetch_related(
            models.Prefetch("facts", queryset=Fact.objects.select_related("source"))
        )

    def overdue(self):
        """Published routes whose verification is missing or older than REVIEW_AFTER_DAYS."""
        from django.conf import settings

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
        """
        verified = cited_sources().filter(verified_on__isnull=False).order_by("verified_on")
        return self.annotate(
            verified_oldest=models.Subquery(verified.values("verified_on")[:1]),
            has_unverified=models.Exists(cited_sources().filter(verified_on__isnull=True)),
        )


def cited_sources():
    """Sources cited by the route of the enclosing query (for subqueries)."""
    route = models.OuterRef(models.OuterRef("pk"))
    cited = Q()
    for model in (Fact, Document, Step, Question):
        cited |= Q(pk__in=model.objects.filter(route=route).values("source"))
    return Source.objects.filter(cited)


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
        help_text="One or two sentences: who the route is for and what it gives."
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
            from .redirects import moved

            moved(old_url, self.get_absolute_url())

    def get_absolute_url(self):
        return address("routes:route", self.country.slug, self.slug)

    def natural_key(self):
        return (self.slug, *self.country.natural_key())

    natural_key.dependencies = ["routes.country", "routes.category"]

    @property
    def is_published(self):
        return self.status == RouteStatus.PUBLISHED

    @property
    def title(self):
        return self.official_name


class RouteChildManager(models.Manager):
    def get_by_natural_key(self, position, route_slug, country_code):
        return self.get(
            position=position, route__slug=route_slug, route__country__code=country_code
        )


class RouteChild(models.Model):
    """What every row on a route page shares: its route, order and source."""

    route = models.ForeignKey(Route, on_delete=models.CASCADE)
    position = models.PositiveSmallIntegerField(
        default=0, help_text="Order on the page, smallest first."
    )
    source = models.ForeignKey(
        Source,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        help_text="The cited passage this comes from.",
    )

    objects = RouteChildManager()

    class Meta:
        abstract = True
        ordering = ["position", "id"]

    def save(self, *args, **kwargs):
        if not self.position and self.route_id:
            last = (
                type(self)
                ._base_manager.filter(route_id=self.route_id)
                .aggregate(models.Max("position"))["position__max"]
            )
            self.position = (last or 0) + 1
        super().save(*args, **kwargs)
        Route.objects.filter(pk=self.route_id).mark_changed()

    def delete(self, *args, **kwargs):
        route_id = self.route_id
        result = super().delete(*args, **kwargs)
        Route.objects.filter(pk=route_id).mark_changed()
        return result

    def natural_key(self):
        return (self.position, *self.route.natural_key())

    natural_key.dependencies = ["routes.route", "routes.source"]


def unique_position(model_name):
    return models.UniqueConstraint(
        fields=["route", "position"],
        name=f"{model_name}_unique_position",
        violation_error_message="Two rows of this route have the same position.",
    )


_CURRENT = Standing.CURRENT.value


# ---------------------------------------------------------------------------
# Facts: requirements, fees and the route's own figures


# Requirement, Fee and Figure are proxies of Fact, and django-simple-history
# only listens to saves of the model that declares the history: the proxies'
# saves are connected to the same records below.
FACT_HISTORY = HistoricalRecords()


class Fact(RouteChild):
    """One sourced statement about a route, told apart by its topic.

    A requirement (topic = a criterion), a fee (topic = fee) or a figure
    (processing time, validity, ...). Two facts of the same route and topic
    from different sources that state different values are shown side by
    side as a disagreement; the checker never counts such a criterion as met.
    """

    route = models.ForeignKey(Route, on_delete=models.CASCADE, related_name="facts")
    history = FACT_HISTORY
    topic = models.CharField(max_length=24, choices=Topic.choices)
    status = models.CharField(
        max_length=16,
        choices=Status.choices,
        blank=True,
        help_text="For requirements: whether the source says the applicant needs this.",
    )
    pathway = models.CharField(
        "path to permanent residence",
        max_length=10,
        choices=Pathway.choices,
        blank=True,
        help_text="Only for the “path to permanent residence” figure.",
    )
    minimum = models.DecimalField(
        max_digits=16, decimal_places=2, null=True, blank=True, help_text="Lower bound."
    )
    maximum = models.DecimalField(
        max_digits=16, decimal_places=2, null=True, blank=True, help_text="Upper bound."
    )
    unit = models.CharField(
        max_length=16,
        blank=True,
        help_text="For money: an ISO 4217 code (USD, KZT) or a local unit "
        "(KZT-MCI, KZT-MW, UZS-MW). For time: days, working_days, calendar_days, "
        "weeks, months or years.",
    )
    period = models.CharField(max_length=8, choices=Period.choices, blank=True)
    text = models.TextField(
        blank=True,
        help_text="Words shown with the value: a requirement's detail, what a fee pays "
        "for, or the statement itself.",
    )
    url = models.URLField("link", max_length=500, blank=True, help_text="E.g. where to apply.")
    applies_to = models.CharField(max_length=10, choices=AppliesTo.choices, default=AppliesTo.BOTH)
    standing = models.CharField(
        max_length=10,
        choices=Standing.choices,
        default=Standing.CURRENT,
        help_text="Mark figures the source gives for an earlier year, or from a draft "
        "rule, so the page never presents them as current.",
    )
    as_of = models.DateField(
        "in force from",
        null=True,
        blank=True,
        help_text="The date the value took effect or was stated, if the source gives one.",
    )

    class Meta(RouteChild.Meta):
        constraints = [
            unique_position("fact"),
            models.CheckConstraint(
                condition=Q(minimum__isnull=True)
                | Q(maximum__isnull=True)
                | Q(minimum__lte=F("maximum")),
                name="fact_minimum_lte_maximum",
                violation_error_message="The lower bound is greater than the upper bound.",
            ),
            models.CheckConstraint(
                condition=(Q(minimum__isnull=True) | Q(minimum__gte=0))
                & (Q(maximum__isnull=True) | Q(maximum__gte=0)),
                name="fact_bounds_not_negative",
                violation_error_message="Amounts and bounds cannot be negative.",
            ),
            models.CheckConstraint(
                condition=Q(source__isnull=False) | Q(status=Status.NOT_STATED),
                name="fact_cites_source",
                violation_error_message="Cite the source this fact comes from.",
            ),
        ]

    def __str__(self):
        from .facts import statement

        label = Topic(self.topic).label if self.topic else "Fact"
        return f"{label}: {statement(self) or 'not stated'}"[:200]

    @property
    def is_requirement(self):
        return self.topic in CRITERIA

    @property
    def is_fee(self):
        return self.topic == FEE

    @property
    def is_figure(self):
        return self.topic in FIGURES

    @property
    def is_current(self):
        # The plain string: reading an enum member costs a descriptor call,
        # and pages ask this of every fact several times.
        return self.standing == _CURRENT

    @property
    def value_key(self):
        """What two facts must share to agree (wording aside)."""
        return (self.status, self.pathway, self.minimum, self.maximum, self.unit, self.period)

    @property
    def sort_date(self):
        return self.as_of or (self.source.date if self.source_id else None) or datetime.date.min

    def clean(self):
        errors = {}
        measure = measure_of(self.topic)
        if self.is_requirement and not self.status:
            errors["status"] = "Say whether the source requires this."
        if not self.is_requirement and self.status:
            errors["status"] = "Only requirements have a status; leave it empty."
        if self.topic == Topic.PERMANENT_RESIDENCE and not self.pathway:
            errors["pathway"] = "Say whether the route leads to permanent residence."
        if self.topic != Topic.PERMANENT_RESIDENCE and self.pathway:
            errors["pathway"] = "Only the “path to permanent residence” figure takes this."
        has_bounds = self.minimum is not None or self.maximum is not None
        if has_bounds and not measure.bounds:
            errors["minimum"] = f"{Topic(self.topic).label} takes no numbers; use the text."
        if measure.kind == "money" and has_bounds:
            if not self.unit:
                errors["unit"] = "Give the currency (ISO 4217, e.g. USD) or local unit."
            elif not is_known_currency(self.unit):
                errors["unit"] = (
                    f"“{self.unit}” is not a known currency code (ISO 4217, e.g. USD, KZT) "
                    f"or local unit ({', '.join(LOCAL_MONEY_UNITS)})."
                )
        if measure.kind == "time" and has_bounds and self.unit not in TimeUnit.values:
            errors["unit"] = f"Give the unit of time: {', '.join(TimeUnit.values)}."
        if measure.kind == "age" and self.unit not in ("", "years"):
            errors["unit"] = "Ages are in years; leave the unit empty."
        if self.source_id is None and self.status != Status.NOT_STATED:
            errors["source"] = "Cite the source this fact comes from."
        if self.minimum is not None and self.maximum is not None and self.minimum > self.maximum:
            errors["maximum"] = "The upper bound must not be smaller than the lower bound."
        for field in ("minimum", "maximum"):
            value = getattr(self, field)
            if value is not None and value < 0:
                errors[field] = "Amounts and bounds cannot be negative."
        if self.topic == FEE and not self.text:
            errors["text"] = "Say what the fee pays for."
        if errors:
            raise ValidationError(errors)


class RequirementManager(RouteChildManager):
    def get_queryset(self):
        return super().get_queryset().filter(topic__in=CRITERIA)


class Requirement(Fact):
    """A fact whose topic is an eligibility criterion."""

    objects = RequirementManager()

    class Meta:
        proxy = True


class FeeManager(RouteChildManager):
    def get_queryset(self):
        return super().get_queryset().filter(topic=FEE)


class Fee(Fact):
    """A fact whose topic is a fee."""

    objects = FeeManager()

    class Meta:
        proxy = True

    def save(self, *args, **kwargs):
        self.topic = FEE
        super().save(*args, **kwargs)

    def clean(self):
        self.topic = FEE
        super().clean()


class FigureManager(RouteChildManager):
    def get_queryset(self):
        return super().get_queryset().filter(topic__in=FIGURES)


class Figure(Fact):
    """A fact about the route itself: processing time, validity, renewal, ..."""

    objects = FigureManager()

    class Meta:
        proxy = True


for proxy in (Requirement, Fee, Figure):
    models.signals.post_save.connect(FACT_HISTORY.post_save, sender=proxy, weak=False)
    models.signals.pre_delete.connect(FACT_HISTORY.pre_delete, sender=proxy, weak=False)
    models.signals.post_delete.connect(FACT_HISTORY.post_delete, sender=proxy, weak=False)


# ---------------------------------------------------------------------------
# Documents, steps and questions


class Document(RouteChild):
    route = models.ForeignKey(Route, on_delete=models.CASCADE, related_name="documents")
    history = HistoricalRecords()
    name = models.TextField(help_text="The document as the source names it.")
    applies_to = models.CharField(
        max_length=10,
        choices=AppliesTo.choices,
        default=AppliesTo.BOTH,
        help_text="Whether it is needed for a first application, an extension, or both.",
    )

    class Meta(RouteChild.Meta):
        constraints = [unique_position("document")]

    def __str__(self):
        return self.name


class Step(RouteChild):
    route = models.ForeignKey(Route, on_delete=models.CASCADE, related_name="steps")
    history = HistoricalRecords()
    text = models.TextField(help_text="One thing the applicant does, in plain words.")
    url = models.URLField("link", max_length=500, blank=True)

    class Meta(RouteChild.Meta):
        constraints = [unique_position("step")]

    def __str__(self):
        return self.text


class Question(RouteChild):
    """An editorial frequently asked question with its sourced answer."""

    route = models.ForeignKey(Route, on_delete=models.CASCADE, related_name="questions")
    history = HistoricalRecords()
    question = models.CharField(max_length=300)
    answer = models.TextField()

    class Meta(RouteChild.Meta):
        constraints = [unique_position("question")]

    def __str__(self):
        return self.question


class ErrorReport(models.Model):
    """A visitor's report that something on a route page is wrong."""

    class Status(models.TextChoices):
        OPEN = "open", "Open"
        RESOLVED = "resolved", "Resolved"

    route = models.ForeignKey(Route, on_delete=models.CASCADE, related_name="error_reports")
    message = models.TextField("what is wrong", max_length=2000)
    source_url = models.URLField("source link", max_length=500, blank=True)
    email = models.EmailField(blank=True)
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.OPEN)
    editor_note = models.TextField(blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-created_at"]

    def __str__(self):
        return f"Report on {self.route} ({self.get_status_display()})"


# Everything a public page shows: a save or delete of any of these is a change.
CONTENT_MODELS = [
    Country,
    Category,
    Source,
    Route,
    Fact,
    Requirement,
    Fee,
    Figure,
    Document,
    Step,
    Question,
]


# ---------------------------------------------------------------------------
# What changed, and when anything last changed


class ChangeQuerySet(models.QuerySet):
    def public(self):
        """Changes visitors may see: made while the route was published, and still is."""
        return self.filter(public=True, route__status=RouteStatus.PUBLISHED)


class Change(models.Model):
    """One edit of a route or of a row on it, in words, written from its history record."""

    # No database constraint: deleting a route records the removal of its rows
    # while the route itself is being deleted. Changes of a deleted route stay
    # in the table (like its history) and are never shown.
    route = models.ForeignKey(
        Route,
        on_delete=models.DO_NOTHING,
        db_constraint=False,
        related_name="changes",
    )
    when = models.DateTimeField(db_index=True)
    text = models.CharField(max_length=600)
    kind = models.CharField(max_length=20)
    object_id = models.BigIntegerField()
    history_id = models.BigIntegerField()
    public = models.BooleanField(
        default=False, help_text="Made while the route was published: shown on the site."
    )

    objects = ChangeQuerySet.as_manager()

    class Meta:
        ordering = ["-when", "-id"]
        constraints = [
            models.UniqueConstraint(
                fields=["kind", "history_id"], name="change_one_per_history_record"
            )
        ]
        indexes = [
            # A route page's latest changes: read from the index, however long
            # the route's history grows.
            models.Index(fields=["route", "-when", "-id"], name="change_route_newest_first"),
        ]

    def __str__(self):
        return self.text


class ContentStamp(models.Model):
    """The one moment any content last changed: drives ETags, Last-Modified and caches."""

    changed_at = models.DateTimeField()

    def __str__(self):
        return self.changed_at.isoformat()


class OldAddress(models.Model):
    """A public address that moved when a slug changed; it answers 301 to the new one."""

    old_path = models.CharField(max_length=300, unique=True)
    new_path = models.CharField(max_length=300)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name_plural = "old addresses"

    def __str__(self):
        return f"{self.old_path} → {self.new_path}"
