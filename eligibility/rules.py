"""How one requirement is compared with one answer: a small function per criterion.

A rule sees a value a source states in force (``Stated``: status, bounds,
unit, period) whose status is required or conditional, and an answered
question; it returns a ``Finding``: an outcome and its reason in words.
Which rule a criterion uses, and the question it answers, is registered in
``questions``; how findings make a verdict is ``verdicts``.
"""

from collections.abc import Mapping
from dataclasses import dataclass, field
from decimal import Decimal
from enum import StrEnum
from functools import lru_cache
from typing import NamedTuple

from django.utils.dateformat import format as date_format

from routes.facts import amount, joined, number, unit_label
from routes.vocabulary import (
    EDUCATION_RANK,
    LOCAL_MONEY_UNITS,
    EducationLevel,
    NationalityRule,
    Period,
    Status,
    TimeUnit,
    country_name,
)

# An amount converted from another currency is too close to call when it
# lies within this share of a bound: reference rates are not what a bank,
# an embassy or an employer will use.
TOO_CLOSE = Decimal("0.05")


class Outcome(StrEnum):
    """What comparing one requirement with the answers found."""

    NOT_NEEDED = "not_needed"  # the route itself is not needed by the visitor's citizens
    UNMET = "unmet"
    ASK = "ask"  # the question is unanswered, or answered in another currency
    DISPUTED = "disputed"
    UNCLEAR = "unclear"  # conditional, or only words the checker cannot compare
    MET = "met"
    NOT_REQUIRED = "not_required"
    NOT_STATED = "not_stated"
    NOT_IN_FORCE = "not_in_force"

    @property
    def label(self):
        return OUTCOME_LABELS[self]

    @property
    def rank(self):
        """A route's requirement lines are listed in this order: reasons first."""
        return OUTCOME_RANKS[self]


OUTCOME_LABELS = {
    Outcome.NOT_NEEDED: "Not needed for you",
    Outcome.MET: "Met",
    Outcome.UNMET: "Not met",
    Outcome.ASK: "Answer needed",
    Outcome.UNCLEAR: "Check yourself",
    Outcome.DISPUTED: "Sources disagree",
    Outcome.NOT_REQUIRED: "Not required",
    Outcome.NOT_STATED: "Not stated",
    Outcome.NOT_IN_FORCE: "Not in force",
}
OUTCOME_RANKS = {outcome: rank for rank, outcome in enumerate(Outcome)}


@dataclass(frozen=True)
class Finding:
    outcome: Outcome
    reason: str
    currency: str = ""  # asked again in this currency: the requirement's own
    # Whether the requirement is one the answers can be compared with: not one
    # stated only in words, nor one whose list of countries the source leaves out.
    comparable: bool = True


class Stated(NamedTuple):
    """What a requirement states, whoever states it: all a rule reads of a fact."""

    status: str
    pathway: str
    minimum: object
    maximum: object
    unit: str
    period: str
    level: str
    rule: str  # a NationalityRule, or ""
    countries: str  # ISO 3166 codes separated by spaces; "" when the source lists none
    exclusive: bool  # "more than", "exceeding": a value equal to a bound does not meet it

    @classmethod
    def of(cls, fact):
        """What a fact states, its list of countries in one order: lists that name the same
        countries in another order state one value, compared once."""
        stated = cls(*fact.value_key)
        if " " in stated.countries:
            return stated._replace(countries=" ".join(sorted(codes_in(stated.countries))))
        return stated


class Rate(NamedTuple):
    """A currency's reference rate: how many units buy one euro on ``day``, and its source."""

    per_euro: Decimal
    day: object  # datetime.date
    publisher: str


@dataclass(frozen=True)
class Money:
    """An amount the visitor gave, and the reference rates it may be converted with."""

    amount: Decimal
    currency: str  # an ISO 4217 code or a local unit such as KZT-MCI
    rates: Mapping = field(default_factory=dict, compare=False, repr=False)  # code: Rate

    def __str__(self):
        return f"{amount(self.amount, self.currency)} {unit_label(self.currency)}"

    def converted(self, currency):
        """(the amount in ``currency``, the rates used in words), or None without a rate."""
        rates = {"EUR": None, **self.rates}
        if self.currency not in rates or currency not in rates:
            return None
        used = [rates[code] for code in (self.currency, currency) if code != "EUR"]
        value = self.amount
        if self.currency != "EUR":
            value = value / rates[self.currency].per_euro
        if currency != "EUR":
            value = value * rates[currency].per_euro
        days = sorted({date_format(rate.day, "j M Y") for rate in used})
        publishers = sorted({rate.publisher for rate in used})
        words = (
            f"{self} ≈ {amount(value.quantize(Decimal('0.01')), currency)} {currency} at the "
            f"euro reference rate{'s' if len(used) > 1 else ''} of {' and '.join(days)} "
            f"({', '.join(publishers)})"
        )
        return value, words


# Rules: (stated, answer) -> Finding. They see only requirements in force whose
# status is required or conditional, and only answered questions.


# What a stated value must hold for an answer to be compared with it: a rule
# given only in words, or a list of countries left unnamed, is shown, not asked.


def always(stated):
    return True


def states_bounds(stated):
    return _bounds(stated)


def states_level(stated):
    return bool(stated.level)


def states_countries(stated):
    return bool(stated.rule and stated.countries)


def _has(answer, yes, no):
    return Finding(Outcome.MET, yes) if answer else Finding(Outcome.UNMET, no)


def _bounds(stated):
    return stated.minimum is not None or stated.maximum is not None


def _within(value, stated):
    """Inclusive bounds (18 and 60 are within 18–60) unless the source says “more than”."""
    if stated.exclusive:
        low = stated.minimum is not None and value <= stated.minimum
        return not (low or (stated.maximum is not None and value >= stated.maximum))
    if stated.minimum is not None and value < stated.minimum:
        return False
    return not (stated.maximum is not None and value > stated.maximum)


def _in_words_only(stated):
    if stated.status == Status.CONDITIONAL:
        return Finding(
            Outcome.UNCLEAR,
            "it applies only in some cases, stated in words: check whether yours is one",
            comparable=False,
        )
    return Finding(
        Outcome.UNCLEAR,
        "the source states it in words only: check it against the source",
        comparable=False,
    )


def currency_words(unit):
    """A currency or local unit as a visitor can answer in it: “USD”, “MCI (KZT-MCI)”."""
    if unit in LOCAL_MONEY_UNITS:
        label = LOCAL_MONEY_UNITS[unit][0]
        if label.startswith("× "):
            label = f"multiples of {label[2:]}"
        return f"{label} ({unit})"
    return unit


def job_offer(stated, answer):
    return _has(answer, "you have one", "you said you have none")


def employer_sponsor(stated, answer):
    return _has(answer, "your employer will sponsor you", "you said no employer will sponsor you")


def health_insurance(stated, answer):
    return _has(answer, "you have it", "you said you have none")


def medical_exam(stated, answer):
    return _has(answer, "you can pass one", "you said you cannot pass one")


def age(stated, answer):
    if not _bounds(stated):
        return _in_words_only(stated)
    outcome = Outcome.MET if _within(answer, stated) else Outcome.UNMET
    return Finding(outcome, f"you are {number(answer)}")


def _money(stated, money, what, *, monthly):
    """Compare an amount with a money requirement, converting it at a reference rate if need be."""
    if not _bounds(stated):
        return _in_words_only(stated)
    wanted = unit_label(stated.unit)
    value, said, converted = money.amount, f"your {what} is {money}", False
    if money.currency != stated.unit:
        found = money.converted(stated.unit)
        if found is None:
            given, wanted = currency_words(money.currency), currency_words(stated.unit)
            return Finding(
                Outcome.ASK,
                f"your {what} is in {given} and this amount is in {wanted}; no reference rate "
                f"is on record to convert one into the other: give your {what} in {wanted} "
                "to compare",
                currency=wanted,
            )
        (value, words), converted = found, True
        said = f"your {what}: {words}"
    if monthly:
        if stated.period == Period.PER_YEAR:
            value = value * 12
            said = f"{said}; × 12 is {number(value.quantize(Decimal('1')))} {wanted} a year"
        elif stated.period != Period.PER_MONTH:
            return Finding(
                Outcome.UNCLEAR,
                "the source does not say whether this amount is per month or per year",
            )
    elif stated.period:
        return Finding(
            Outcome.UNCLEAR, f"this amount is {Period(stated.period).label}, not a single sum"
        )
    if converted and _near_a_bound(value, stated):
        return Finding(
            Outcome.UNCLEAR,
            f"{said}, within {TOO_CLOSE:.0%} of the amount: too close to call after conversion",
        )
    return Finding(Outcome.MET if _within(value, stated) else Outcome.UNMET, said)


def _near_a_bound(value, stated):
    bounds = [b for b in (stated.minimum, stated.maximum) if b is not None]
    return any(abs(value - bound) <= TOO_CLOSE * bound for bound in bounds)


def income(stated, answer):
    return _money(stated, answer, "monthly income", monthly=True)


def investment(stated, answer):
    return _money(stated, answer, "investment", monthly=False)


def family_tie(stated, answer):
    return _has(answer, "you have one", "you said you have none")


def ethnic_origin(stated, answer):
    return _has(answer, "you said you are", "you said you are not")


def language(stated, answer):
    return _has(answer, "you said you know it", "you said you do not know it")


def clean_record(stated, answer):
    return _has(answer, "you have one", "you said you have a conviction")


def residence_period(stated, answer):
    if not _bounds(stated):
        return _in_words_only(stated)
    per_year = {TimeUnit.YEARS: 1, TimeUnit.MONTHS: 12}.get(stated.unit)
    if per_year is None:
        return Finding(Outcome.UNCLEAR, "the period is stated in days or weeks; check it yourself")
    lived = f"you have lived there {number(answer)} year{'' if answer == 1 else 's'}"
    return Finding(Outcome.MET if _within(answer * per_year, stated) else Outcome.UNMET, lived)


def invitation(stated, answer):
    return _has(answer, "you have one", "you said you have none")


def accommodation(stated, answer):
    return _has(answer, "you have somewhere to live", "you said you have nowhere to live yet")


def education(stated, answer):
    if not stated.level:
        return _in_words_only(stated)
    held = EducationLevel(answer).label.lower()
    met = EDUCATION_RANK[answer] >= EDUCATION_RANK[stated.level]
    return Finding(Outcome.MET if met else Outcome.UNMET, f"your highest education: {held}")


def listed(codes):
    """Countries in words, by name: “Armenia, Belarus and Russia”."""
    return joined(sorted(country_name(code) for code in codes))


@lru_cache(maxsize=16384)
def codes_in(countries):
    """The country codes of a stated list ("DE FR"), as a set: read once for each list."""
    return frozenset(countries.split())


def nationality(stated, citizenships):
    """A route only for, or not for, the citizens of listed countries, or not needed by them."""
    rule, countries = stated.rule, codes_in(stated.countries)
    if not rule:
        return _in_words_only(stated)
    if not countries:
        return Finding(
            Outcome.UNCLEAR,
            "it depends on your nationality, and the source does not list the countries",
            comparable=False,
        )
    matching = citizenships & countries
    if rule == NationalityRule.NOT_NEEDED:
        if matching:
            return Finding(
                Outcome.NOT_NEEDED, f"citizens of {listed(matching)} need no such permit or visa"
            )
        return Finding(Outcome.NOT_REQUIRED, "it lifts the need for other citizens only")
    if rule == NationalityRule.ONLY:
        if matching:
            return Finding(Outcome.MET, f"you are a citizen of {listed(matching)}")
        return Finding(
            Outcome.UNMET, f"you are a citizen of {listed(citizenships)}, not of a country listed"
        )
    if not matching:
        return Finding(Outcome.MET, f"you are a citizen of {listed(citizenships)}")
    if matching == citizenships:
        return Finding(Outcome.UNMET, f"it is not for citizens of {listed(matching)}")
    return Finding(
        Outcome.UNCLEAR,
        f"it is not for citizens of {listed(matching)}; the source does not say whether "
        f"your citizenship of {listed(citizenships - matching)} makes you eligible",
    )


def lifted_for(stated, citizenships):
    """Whether a requirement the source lifts for some citizens is lifted for the visitor:
    True, False, or None when the checker cannot tell (no list, or no nationality given)."""
    countries = codes_in(stated.countries)
    if not countries or not citizenships:
        return None
    return bool(citizenships & countries)


def in_words(stated, answer):
    """Criteria the sources state only in words (which nationalities, which profession)."""
    return _in_words_only(stated)
