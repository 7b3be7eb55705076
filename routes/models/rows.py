"""The rows of a route page: facts (requirements, fees, figures), documents, steps, questions."""

import datetime

import pycountry
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import F, Q
from simple_history.models import HistoricalRecords

from ..facts import statement
from ..vocabulary import (
    CRITERIA,
    FEE,
    FIGURES,
    LOCAL_MONEY_UNITS,
    ROUTE_NATIONALITY_RULES,
    AppliesTo,
    EducationLevel,
    NationalityRule,
    Pathway,
    Period,
    Standing,
    Status,
    TimeUnit,
    Topic,
    country_codes,
    is_known_currency,
    measure_of,
)
from .routes import Route, Source


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
    exclusive = models.BooleanField(
        "bounds exclusive",
        default=False,
        help_text="Tick when the source says “more than”, “exceeding” or “less than”: a value "
        "equal to the bound does not meet it.",
    )
    unit = models.CharField(
        max_length=16,
        blank=True,
        help_text="For money: an ISO 4217 code (USD, KZT) or a local unit "
        "(KZT-MCI, KZT-MW, UZS-MW). For time: days, working_days, calendar_days, "
        "weeks, months or years.",
    )
    period = models.CharField(max_length=8, choices=Period.choices, blank=True)
    level = models.CharField(
        "education level",
        max_length=12,
        choices=EducationLevel.choices,
        blank=True,
        help_text="For education: the lowest level the source asks for.",
    )
    nationality_rule = models.CharField(
        max_length=12,
        choices=NationalityRule.choices,
        blank=True,
        help_text="For nationality: who the route is for, or not for, or who needs no such "
        "permit. On another requirement: “not asked of” lifts it for the citizens listed.",
    )
    countries = models.CharField(
        max_length=1000,
        blank=True,
        help_text="The ISO 3166 codes of the countries the rule lists, e.g. “RU KG BY AM”. "
        "Leave empty when the source speaks of a list without naming its countries.",
    )
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
    as_of_year_only = models.BooleanField(
        "a year, not a day",
        default=False,
        help_text="Tick when the source names only the year (“For 2023”): enter 1 January of "
        "it above; the page shows the year alone, never a day the source does not give.",
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
        label = Topic(self.topic).label if self.topic else "Fact"
        return f"{label}: {statement(self) or 'not stated'}"[:200]

    @property
    def is_requirement(self):
        return self.topic in CRITERIA

    @property
    def is_current(self):
        # The plain string: reading an enum member costs a descriptor call,
        # and pages ask this of every fact several times.
        return self.standing == _CURRENT

    @property
    def value_key(self):
        """What two facts must share to agree (wording aside)."""
        return (
            self.status,
            self.pathway,
            self.minimum,
            self.maximum,
            self.unit,
            self.period,
            self.level,
            self.nationality_rule,
            self.countries,
            self.exclusive,
        )

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
        if self.exclusive and not has_bounds:
            errors["exclusive"] = "Only a lower or upper bound can be exclusive."
        if self.minimum is not None and self.maximum is not None and self.minimum > self.maximum:
            errors["maximum"] = "The upper bound must not be smaller than the lower bound."
        for field in ("minimum", "maximum"):
            value = getattr(self, field)
            if value is not None and value < 0:
                errors[field] = "Amounts and bounds cannot be negative."
        if self.topic == FEE and not self.text:
            errors["text"] = "Say what the fee pays for."
        if self.level and self.topic != Topic.EDUCATION:
            errors["level"] = "Only the education requirement takes a level."
        rule = self.nationality_rule
        if rule in ROUTE_NATIONALITY_RULES and self.topic != Topic.NATIONALITY:
            errors["nationality_rule"] = "This rule belongs to the nationality requirement."
        if rule == NationalityRule.WAIVED and not self.is_requirement:
            errors["nationality_rule"] = "Only a requirement can be lifted for some citizens."
        if rule == NationalityRule.WAIVED and self.topic == Topic.NATIONALITY:
            errors["nationality_rule"] = "Say who the route is, or is not, for instead."
        codes = country_codes(self.countries)
        if codes and not rule:
            errors["countries"] = "Choose the rule these countries belong to."
        unknown = [code for code in codes if pycountry.countries.get(alpha_2=code) is None]
        if unknown:
            errors["countries"] = (
                f"Not ISO 3166 two-letter country codes: {', '.join(unknown)} (e.g. RU, KG)."
            )
        else:
            self.countries = " ".join(codes)
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
