"""How one requirement is compared with one answer: a small function per criterion.

A rule sees a value a source states in force (``Stated``: status, bounds,
unit, period) whose status is required or conditional, and an answered
question; it returns a ``Finding``: an outcome and its reason in words.
Which rule a criterion uses, and the question it answers, is registered in
``questions``; how findings make a verdict is ``verdicts``.
"""

from dataclasses import dataclass
from decimal import Decimal
from enum import StrEnum
from typing import NamedTuple

from routes.facts import amount, number, unit_label
from routes.vocabulary import LOCAL_MONEY_UNITS, Period, Status, TimeUnit


class Outcome(StrEnum):
    """What comparing one requirement with the answers found."""

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


class Stated(NamedTuple):
    """What a requirement states, whoever states it: all a rule reads of a fact."""

    status: str
    pathway: str
    minimum: object
    maximum: object
    unit: str
    period: str

    @classmethod
    def of(cls, fact):
        return cls(*fact.value_key)


@dataclass(frozen=True)
class Money:
    amount: Decimal
    currency: str  # an ISO 4217 code or a local unit such as KZT-MCI

    def __str__(self):
        return f"{amount(self.amount, self.currency)} {unit_label(self.currency)}"


# Rules: (stated, answer) -> Finding. They see only requirements in force whose
# status is required or conditional, and only answered questions.


def _has(answer, yes, no):
    return Finding(Outcome.MET, yes) if answer else Finding(Outcome.UNMET, no)


def _bounds(stated):
    return stated.minimum is not None or stated.maximum is not None


def _within(value, stated):
    """Inclusive bounds: 18 and 60 are within 18–60."""
    if stated.minimum is not None and value < stated.minimum:
        return False
    return not (stated.maximum is not None and value > stated.maximum)


def _in_words_only(stated):
    if stated.status == Status.CONDITIONAL:
        return Finding(
            Outcome.UNCLEAR,
            "it applies only in some cases, stated in words: check whether yours is one",
        )
    return Finding(
        Outcome.UNCLEAR, "the source states it in words only: check it against the source"
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
    """Compare an amount with a money requirement in the same currency only."""
    if not _bounds(stated):
        return _in_words_only(stated)
    wanted = unit_label(stated.unit)
    if money.currency != stated.unit:
        given, wanted = currency_words(money.currency), currency_words(stated.unit)
        return Finding(
            Outcome.ASK,
            f"your {what} is in {given} and this amount is in {wanted}; "
            f"the checker does not convert currencies: give your {what} in {wanted} to compare",
            currency=wanted,
        )
    amount, said = money.amount, f"your {what} is {money}"
    if monthly:
        if stated.period == Period.PER_YEAR:
            amount = money.amount * 12
            said = f"your {what} × 12 is {number(amount)} {wanted} a year"
        elif stated.period != Period.PER_MONTH:
            return Finding(
                Outcome.UNCLEAR,
                "the source does not say whether this amount is per month or per year",
            )
    elif stated.period:
        return Finding(
            Outcome.UNCLEAR, f"this amount is {Period(stated.period).label}, not a single sum"
        )
    return Finding(Outcome.MET if _within(amount, stated) else Outcome.UNMET, said)


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


def in_words(stated, answer):
    """Criteria the sources state only in words (which nationalities, which profession)."""
    return _in_words_only(stated)
