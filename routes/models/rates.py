"""Reference exchange rates: sourced content the checker converts money with."""

import pycountry
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Q
from simple_history.models import HistoricalRecords

from .routes import Source, validate_not_future


def validate_currency(value):
    if pycountry.currencies.get(alpha_3=value) is None:
        raise ValidationError(
            "“%(value)s” is not an ISO 4217 currency code (e.g. USD).",
            code="unknown_currency",
            params={"value": value},
        )


class ReferenceRateQuerySet(models.QuerySet):
    def latest_each(self):
        """Each currency's most recent rate (one query)."""
        newer = ReferenceRate.objects.filter(
            currency=models.OuterRef("currency"), day__gt=models.OuterRef("day")
        )
        return self.filter(~models.Exists(newer)).select_related("source").order_by("currency")


class ReferenceRateManager(models.Manager.from_queryset(ReferenceRateQuerySet)):
    def get_by_natural_key(self, currency, day):
        return self.get(currency=currency, day=day)


class ReferenceRate(models.Model):
    """How many units of a currency one euro bought on a day, as its source publishes it.

    The checker converts a visitor's amount into a requirement's currency
    with the most recent rate of each, and says which rates, of which day,
    from which source. It never fetches rates: editors enter them here.
    """

    currency = models.CharField(
        max_length=3,
        validators=[validate_currency],
        help_text="ISO 4217 code, e.g. USD. The euro itself needs no rate.",
    )
    per_euro = models.DecimalField(
        "units per euro",
        max_digits=18,
        decimal_places=6,
        help_text="As the source prints it: how many units of the currency buy 1 EUR.",
    )
    day = models.DateField(
        "rate of", validators=[validate_not_future], help_text="The day the rate is for."
    )
    source = models.ForeignKey(
        Source, on_delete=models.PROTECT, help_text="The published table this rate comes from."
    )

    history = HistoricalRecords()
    objects = ReferenceRateManager()

    class Meta:
        ordering = ["currency", "-day"]
        constraints = [
            models.UniqueConstraint(
                fields=["currency", "day"],
                name="reference_rate_one_per_currency_and_day",
                violation_error_message="This currency already has a rate for this day.",
            ),
            models.CheckConstraint(
                condition=Q(per_euro__gt=0),
                name="reference_rate_positive",
                violation_error_message="A rate must be greater than zero.",
            ),
            models.CheckConstraint(
                condition=~Q(currency="EUR"),
                name="reference_rate_not_euro",
                violation_error_message="The euro is the base of the rates: it needs none.",
            ),
        ]

    def __str__(self):
        return f"1 EUR = {self.per_euro.normalize():f} {self.currency} ({self.day:%Y-%m-%d})"

    def natural_key(self):
        return (self.currency, self.day.isoformat())

    natural_key.dependencies = ["routes.source"]

    def clean(self):
        self.currency = (self.currency or "").upper()
        if self.currency == "EUR":
            raise ValidationError({"currency": "The euro is the base of the rates: it needs none."})
        if self.per_euro is not None and self.per_euro <= 0:
            raise ValidationError({"per_euro": "A rate must be greater than zero."})
