"""Countries and the categories routes are grouped in."""

import pycountry
from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Q
from simple_history.models import HistoricalRecords

from publishing.addresses import address

from ..vocabulary import RouteStatus, summary_facts
from .editorial import OldAddress

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
    introduction = models.TextField(
        blank=True,
        help_text="One or two sentences in your own words for the top of the country's page: "
        "which routes it covers and where their facts come from. No figures or "
        "requirements: those are facts on the route pages, each with its source.",
    )
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
            OldAddress.objects.country_moved(self, old_slug)

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
        refuse_stated_facts(
            "introduction",
            self.introduction,
            "An introduction says what the page covers, in words",
            "introduction_states_a_fact",
        )


def refuse_stated_facts(field, text, lead, code, tail=""):
    """Editorial text (a summary, an introduction) states no figure or requirement: those
    are facts, each with its source. Raises a field error naming the words found."""
    if stated := summary_facts(text or ""):
        message = f"{lead}: it states no figure or requirement (found: %(found)s).{tail}"
        found = ", ".join(f"“{word}”" for word in stated)
        error = ValidationError(message, code=code, params={"found": found})
        raise ValidationError({field: error})


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
