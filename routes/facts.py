"""Group a route's facts and say them in words.

Plain functions over ``Fact`` rows already in memory: the route page, the
country hub, the comparison and the checker all read facts through here, so
they can never word or group the same fact differently.
"""

import re
from dataclasses import dataclass, field
from decimal import Decimal
from functools import lru_cache

from django.contrib.humanize.templatetags.humanize import intcomma

from .vocabulary import (
    FEE,
    LOCAL_MONEY_UNITS,
    EducationLevel,
    NationalityRule,
    Pathway,
    Period,
    Status,
    TimeUnit,
    Topic,
    country_name,
    measure_of,
)


@dataclass
class FactGroup:
    """Every sourced value for one topic of one route, newest first."""

    topic: str
    facts: list = field(default_factory=list)

    @property
    def label(self):
        return Topic(self.topic).label

    @property
    def current(self):
        return [f for f in self.facts if f.is_current]

    @property
    def disputed(self):
        """Two sources state different current values.

        One source stating two values (a standard and a lower threshold, say)
        is not a disagreement: those are variants it explains itself.
        """
        current = self.current
        return any(
            a.source_id != b.source_id and differ(a, b)
            for i, a in enumerate(current)
            for b in current[i + 1 :]
        )

    @property
    def first(self):
        current = self.current
        return current[0] if current else None

    @property
    def has_cases(self):
        """Fees for one thing stated for different cases (“up to three years”, “more
        than three years”): each value then says its case."""
        return len({f.text for f in self.facts}) > 1

    @property
    def name(self):
        """What a fee pays for: its text, or what its cases share."""
        return fee_name(self.facts[0].text) if self.has_cases else self.facts[0].text


def fee_name(text):
    """What a fee pays for, before its case: “Visa application” of “Visa application,
    up to three years” and of “Visa application (a 2026 source)”."""
    return re.split(r"[,(;:]", text, maxsplit=1)[0].strip()


def fee_case(text):
    """A fee's case, after what it pays for: “up to three years”, “a 2026 source”."""
    case = text[len(fee_name(text)) :].strip().lstrip(",;:").strip()
    if case.startswith("(") and case.endswith(")") and case.count("(") == 1:
        case = case[1:-1]
    return case


def differ(a, b):
    """Whether two facts state different values.

    A nationality rule whose source does not list its countries says less
    than the same rule with its list, not something else.
    """
    if a.value_key == b.value_key:
        return False
    if a.nationality_rule and a.nationality_rule == b.nationality_rule:
        return bool(a.countries and b.countries)
    return True


def newest_first(facts):
    # The comparison sorts routes in SQL by the same order (listing._first_current).
    return sorted(facts, key=lambda f: (f.sort_date, -f.position), reverse=True)


def group_facts(facts, topics=None):
    """Group facts by topic (fees by what they pay for, whatever their case), keeping
    page order: two sources' amounts for one thing are then side by side."""
    groups = {}
    for fact in sorted(facts, key=lambda f: f.position):
        if topics is not None and fact.topic not in topics:
            continue
        key = (fact.topic, fee_name(fact.text).lower()) if fact.topic == FEE else fact.topic
        groups.setdefault(key, FactGroup(fact.topic)).facts.append(fact)
    for group in groups.values():
        group.facts = newest_first(group.facts)
    return list(groups.values())


def number(value):
    """2, 2.5, 3,450: no trailing zeros, thousands grouped."""
    if value is None:
        return ""
    value = Decimal(value).normalize()
    if value == value.to_integral():
        value = value.quantize(Decimal(1))
    return intcomma(f"{value:f}")


def amount(value, unit):
    """A number as its unit is written: an amount of a currency with its cents
    in full when it has any (43,759.80 EUR, not 43,759.8); anything else as
    `number` writes it."""
    if value is not None and len(unit) == 3 and unit.isupper():  # ISO 4217
        exact = Decimal(value).normalize()
        if exact.as_tuple().exponent == -1:
            return intcomma(f"{exact.quantize(Decimal('0.01')):f}")
    return number(value)


def unit_label(unit):
    if unit in LOCAL_MONEY_UNITS:
        return LOCAL_MONEY_UNITS[unit][0]
    if unit in TimeUnit.values:
        return TimeUnit(unit).label
    return unit


def unit_explanation(unit):
    return LOCAL_MONEY_UNITS.get(unit, (None, ""))[1]


SINGULAR = {
    "days": "day",
    "working_days": "working day",
    "calendar_days": "calendar day",
    "weeks": "week",
    "months": "month",
    "years": "year",
}


def span(minimum, maximum, unit="", exclusive=False):
    """A lower and/or upper bound in words: “18–60”, “up to 12 months”, “up to 1 year”;
    exclusive bounds as their sources say them: “more than 3,000 USD”."""
    last = maximum if maximum is not None else minimum
    one = (
        last is not None
        and last == 1
        and (minimum is None or minimum == maximum or maximum is None)
    )
    label = SINGULAR.get(unit) if one and unit in SINGULAR else unit_label(unit)
    suffix = f" {label}" if unit else ""
    if exclusive:
        words = []
        if minimum is not None:
            words.append(f"more than {amount(minimum, unit)}")
        if maximum is not None:
            words.append(f"less than {amount(maximum, unit)}")
        return f"{' and '.join(words)}{suffix}"
    if minimum is not None and maximum is not None:
        if minimum == maximum:
            return f"{amount(minimum, unit)}{suffix}"
        return f"{amount(minimum, unit)}–{amount(maximum, unit)}{suffix}"
    if maximum is not None:
        return f"up to {amount(maximum, unit)}{suffix}"
    if minimum is not None:
        return f"at least {amount(minimum, unit)}{suffix}"
    return ""


def value_text(fact):
    """The value of a fact in words, without its detail text."""
    return _value_text(
        fact.topic,
        fact.status,
        fact.pathway,
        fact.minimum,
        fact.maximum,
        fact.unit,
        fact.period,
        fact.level,
        fact.nationality_rule,
        fact.countries,
        fact.exclusive,
    )


@lru_cache(maxsize=8192)
def _value_text(
    topic, status, pathway, minimum, maximum, unit, period, level, rule, countries, exclusive
):
    """Worded once per process for each value (every field it reads is in the key)."""
    if rule:
        return nationality_rule_text(rule, countries, status)
    if level:
        least = f"at least {LEVEL_WORDS[level]}"
        return f"Conditional: {least}" if status == Status.CONDITIONAL else least.capitalize()
    measure = measure_of(topic)
    if topic == Topic.PERMANENT_RESIDENCE:
        return Pathway(pathway).label if pathway else ""
    if topic == FEE:
        if minimum == 0 and maximum in (None, 0):
            return "Free of charge"
        if maximum is None and minimum is not None:
            fee = f"{amount(minimum, unit)} {unit_label(unit)}"
            return f"{fee} {Period(period).label}" if period else fee
    bounds = span(minimum, maximum, "" if measure.kind == "age" else unit, exclusive)
    if bounds:
        if period:
            bounds = f"{bounds} {Period(period).label}"
        if measure.kind == "age":
            bounds = f"{bounds} years"
        return bounds
    if status:
        return Status(status).label
    return ""


# An education level as a sentence names it: “at least a bachelor's degree …”.
LEVEL_WORDS = {
    EducationLevel.NONE: "no formal education",
    EducationLevel.SECONDARY: "secondary school",
    EducationLevel.VOCATIONAL: "vocational or technical training",
    EducationLevel.BACHELOR: "a bachelor's degree or equivalent",
    EducationLevel.MASTER: "a master's degree",
    EducationLevel.DOCTORATE: "a doctorate",
}

RULE_WORDS = {
    NationalityRule.ONLY: "Only for citizens of",
    NationalityRule.EXCLUDED: "Not for citizens of",
    NationalityRule.NOT_NEEDED: "Not needed by citizens of",
    NationalityRule.WAIVED: "not asked of citizens of",
}


def joined(words):
    """Words as a sentence lists them: “age”, “age and income”, “age, income and education”."""
    words = list(words)
    return words[0] if len(words) == 1 else f"{', '.join(words[:-1])} and {words[-1]}"


def nationality_rule_text(rule, countries, status=""):
    """“Only for citizens of Russia, Belarus …”; a list the source leaves unnamed says so."""
    codes = countries.split()
    if codes:
        listed = joined(country_name(code) for code in codes)
    else:
        listed = "some countries, which the source does not list"
    said = f"{RULE_WORDS[rule]} {listed}"
    if rule == NationalityRule.WAIVED:
        return f"{Status(status).label if status else 'Required'}; {said}"
    return said


def statement(fact):
    """Value and detail together, as a table cell says it: “Required (valid in-country)”."""
    value = value_text(fact)
    if fact.topic == FEE or not fact.text:
        return value
    if not value:
        return fact.text
    return f"{value} ({fact.text})"
