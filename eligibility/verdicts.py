"""The checker's one verdict engine: a route's requirements and a visitor's answers in, a verdict out.

Pure Python over values already in memory: no request, no query. A route's
requirements are read from the same ``Fact`` rows its page shows, grouped by
criterion (``StatedRequirement.of``); each is compared with the answers by the
rule its criterion registers (``questions.CHECKS``), and the findings make
the verdict (``judge``). The results page counts every route with it and
explains the routes it shows with it; nothing else decides.

How a verdict is reached is ``PRINCIPLES`` below, in the words the page
"How the checker decides" shows.
"""

from collections.abc import Mapping
from dataclasses import dataclass, field, replace
from enum import StrEnum
from functools import cached_property
from typing import NamedTuple

from routes.facts import FactGroup
from routes.vocabulary import NationalityRule, Status

from .questions import CHECKS
from .rules import Finding, Outcome, Stated, codes_in, lifted_for, listed

PRINCIPLES = [
    "Silence is never a yes. A route is found to meet your answers only when its sources "
    "state requirements your answers can be compared with, and every one compared is met. "
    "A route whose sources state none is “too little on record to check”, never a match.",
    "Only requirements in force count. A value the sources give for an earlier year, "
    "or from a draft rule, is shown but never compared.",
    "“Not required” and “not stated” count neither way: where the source does not state "
    "a requirement, the result says so instead of guessing.",
    "Each requirement is compared with your answer to its question. An unanswered "
    "question is named, never guessed: the route then has not enough information.",
    "Bounds include both ends: 18 and 60 both meet “18–60”; 61 does not.",
    "A requirement that applies only in some cases (conditional) is met when your answer "
    "meets it anyway; otherwise the checker cannot tell whether your case is one of "
    "them, and asks you to check.",
    "Money in another currency is converted at the euro reference rates on record, each "
    "with its date and source, and the result shows the conversion. Within 5% of the "
    "amount after conversion it is too close to call. Where no rate is on record (local "
    "units such as Kazakhstan's MCI have none), the result asks for the amount in the "
    "requirement's own currency.",
    "Nationality decides many routes. A route only for, or not for, the citizens of listed "
    "countries is compared with every citizenship you hold; a route the source says your "
    "country's citizens do not need is “not needed for you”, with that source. Where a "
    "source speaks of a list of countries without naming them, the result says it depends "
    "on your nationality and counts it neither way.",
    "Answers about a destination (a job offer there, years lived there, family there, its "
    "language) are asked only once you choose that destination, and count only for its "
    "routes: never borrowed from another country.",
    "Where sources disagree, the requirement is never counted as met: you see each value "
    "with its source. If your answer fails every value, it is not met; otherwise the "
    "route has not enough information until the disagreement is settled.",
    "A route is not needed for you when a source says so for your citizenship. Otherwise "
    "it does not meet your answers if any requirement is not met; it has too little on "
    "record if its sources state no requirement your answers can be compared with; it has "
    "not enough information if a question is unanswered, or a requirement is disputed, "
    "conditional or too close to call. Otherwise it meets every stated requirement, and "
    "the result says how many were checked and on what the sources are silent.",
]


class Verdict(StrEnum):
    """In the order results list them."""

    MEETS = "meets"
    NOT_NEEDED = "not_needed"
    NOT_ENOUGH = "not_enough"
    TOO_LITTLE = "too_little"
    DOES_NOT_MEET = "does_not_meet"

    @property
    def label(self):
        return VERDICT_LABELS[self]

    @property
    def note(self):
        return VERDICT_NOTES[self]


VERDICT_LABELS = {
    Verdict.MEETS: "Meets every stated requirement",
    Verdict.NOT_NEEDED: "Not needed for you",
    Verdict.NOT_ENOUGH: "Not enough information",
    Verdict.TOO_LITTLE: "Too little on record to check",
    Verdict.DOES_NOT_MEET: "Does not meet",
}

VERDICT_NOTES = {
    Verdict.MEETS: "Your answers meet every requirement the sources state; each card says "
    "how many were checked and on what the sources are silent. Sources may not state "
    "everything: read the route page before you apply.",
    Verdict.NOT_NEEDED: "A source says that citizens of a country you hold need no such "
    "permit or visa. Each card cites it.",
    Verdict.NOT_ENOUGH: "Answer the questions named, or check the points the checker cannot "
    "settle: sources that disagree, requirements that apply only in some cases, amounts "
    "too close to call after conversion.",
    Verdict.TOO_LITTLE: "The sources on record state no requirement your answers could be "
    "compared with, so the checker cannot say whether you qualify: that is not a yes. "
    "Read the official page.",
    Verdict.DOES_NOT_MEET: "Each route names the requirement your answers do not meet, with "
    "its source.",
}

# Outcomes that leave a verdict open: a question to answer, or a point to check.
UNSETTLED = frozenset({Outcome.ASK, Outcome.DISPUTED, Outcome.UNCLEAR})


@dataclass(frozen=True)
class StatedRequirement:
    """One criterion a route states, as its verdict reads it.

    ``stated``: what each of its facts in force states, newest first (none:
    not a requirement in force, never counted); ``disputed``: whether two
    sources state different values in force.
    """

    criterion: str
    stated: tuple
    disputed: bool = False

    @property
    def states_something(self):
        """Whether a fact in force says the applicant needs this (always or in some cases)."""
        return any(s.status in (Status.REQUIRED, Status.CONDITIONAL) for s in self.stated)

    @classmethod
    def of(cls, criterion, facts):
        """From the criterion's facts (a ``Fact`` or any row with its fields), newest first."""
        current = [fact for fact in facts if fact.is_current]
        disputed = len(current) > 1 and FactGroup(criterion, current).disputed
        return cls(criterion, tuple(Stated.of(fact) for fact in current), disputed)


@dataclass(frozen=True)
class Profile:
    """A visitor's answers, by question name; a missing key is "not answered".

    A profile remembers what its answers make of each value a requirement
    states: a thousand routes state a few hundred distinct values, so each
    comparison, and the wording of its reason, is done once.
    """

    answers: Mapping = field(default_factory=dict)
    _findings: dict = field(default_factory=dict, init=False, repr=False, compare=False)

    def answer(self, question):
        value = self.answers.get(question.name) if question else None
        return None if value in (None, "") else value

    @property
    def citizenships(self):
        return self.answers.get("nationality") or frozenset()

    @cached_property
    def answered_criteria(self):
        """The criteria whose question has an answer, in the registry's order."""
        return tuple(
            criterion
            for criterion, check in CHECKS.items()
            if check.question and self.answer(check.question) is not None
        )


# Outcomes of a requirement the answers were compared with.
COMPARED = frozenset({Outcome.MET, Outcome.UNMET, Outcome.DISPUTED, Outcome.UNCLEAR})


class Summary(NamedTuple):
    """What a verdict depends on: which kinds of finding a route's requirements came to."""

    not_needed: bool  # a source says the visitor's citizens need no such permit
    unmet: bool  # a requirement is not met
    comparable: bool  # a requirement can be compared with answers at all
    unsettled: bool  # a question to answer, or a point to check
    checked: int  # how many requirements were compared with the answers


# What each finding adds to a route's summary (a field of ``Summary`` each): the
# one place it is decided, for one route (``summarize``) or a thousand (``catalogue``).
FINDING_MARKS = {
    "not_needed": lambda f: f.outcome == Outcome.NOT_NEEDED,
    "unmet": lambda f: f.outcome == Outcome.UNMET,
    "comparable": lambda f: f.comparable,
    "unsettled": lambda f: f.outcome in UNSETTLED,
    "checked": lambda f: f.comparable and f.outcome in COMPARED,
}


@dataclass(frozen=True)
class Judgement:
    verdict: Verdict
    findings: tuple  # one Finding per requirement, in the requirements' order
    checked: int  # how many requirements were compared with the answers


def judge(requirements, profile):
    """The verdict on a route with these requirements, and a finding for each."""
    findings = tuple(assess(requirement, profile) for requirement in requirements)
    summary = summarize(findings)
    return Judgement(verdict_from(summary), findings, summary.checked)


def summarize(findings):
    """Which kinds of finding a route's requirements came to (``FINDING_MARKS``)."""
    return Summary(
        **{
            name: (sum if name == "checked" else any)(mark(f) for f in findings)
            for name, mark in FINDING_MARKS.items()
        }
    )


def verdict_from(summary):
    """The verdict on a route whose requirements came out as ``summary`` says."""
    if summary.not_needed:
        return Verdict.NOT_NEEDED
    if summary.unmet:
        return Verdict.DOES_NOT_MEET
    if not summary.comparable:
        return Verdict.TOO_LITTLE
    if summary.unsettled:
        return Verdict.NOT_ENOUGH
    return Verdict.MEETS


def count_comparable(findings):
    """How many of a route's requirements the answers can be compared with, answered or not."""
    return sum(1 for f in findings if f.comparable)


def assess(requirement, profile):
    """One requirement against the answers, from what its facts in force state."""
    if not requirement.stated:
        return Finding(
            Outcome.NOT_IN_FORCE, "not a requirement in force, so not counted", comparable=False
        )
    findings = [_finding(requirement.criterion, stated, profile) for stated in requirement.stated]
    if len(findings) == 1:
        return findings[0]
    # Compared with the answers if any of its sources' values could be.
    comparable = any(finding.comparable for finding in findings)
    return replace(_combine(findings, requirement.disputed), comparable=comparable)


def _finding(criterion, stated, profile):
    """One stated value against its answer, once per profile for each criterion and value
    as the answers tell it apart (``_as_compared``)."""
    key = (criterion, _as_compared(stated, profile.citizenships))
    found = profile._findings.get(key)
    if found is None:
        found = profile._findings[key] = _compare(CHECKS[criterion], stated, profile)
    return found


def _as_compared(stated, citizenships):
    """What of a stated value its finding depends on, for a visitor with these citizenships.

    Once the visitor has named citizenships, a list of countries matters only
    through which of them it names and whether it names any: the finding and
    its reason (``_compare``, ``rules.nationality``) name those countries and
    the visitor's, never the rest of the list. So the thousands of lists that
    routes state come to a few comparisons. Without citizenships the whole
    list is named, and the value is kept whole.
    """
    if not (stated.countries and citizenships):
        return stated
    named = " ".join(sorted(citizenships & codes_in(stated.countries))) or NAMES_NONE
    return (*stated[:COUNTRIES_AT], named, *stated[COUNTRIES_AT + 1 :])


COUNTRIES_AT = Stated._fields.index("countries")


# A list naming none of the visitor's citizenships, as ``_as_compared`` keys it:
# not a country code, and not empty (an empty list is one the source leaves unnamed).
NAMES_NONE = "-"


def _compare(check, stated, profile):
    if stated.status == Status.NOT_REQUIRED:
        return Finding(Outcome.NOT_REQUIRED, "nothing to check", comparable=False)
    if stated.status not in (Status.REQUIRED, Status.CONDITIONAL):
        return Finding(
            Outcome.NOT_STATED,
            "the source does not state it, so it counts neither way",
            comparable=False,
        )
    if check.question is None or not check.compares(stated):
        return check.rule(stated, None)  # stated in words, or a list left unnamed
    lifted = None
    if stated.rule == NationalityRule.WAIVED:
        lifted = lifted_for(stated, profile.citizenships)
        if lifted:
            countries = set(stated.countries.split()) & profile.citizenships
            return Finding(
                Outcome.NOT_REQUIRED,
                f"not asked of citizens of {listed(countries)}",
                comparable=False,
            )
    answer = profile.answer(check.question)
    if answer is None and stated.rule == NationalityRule.NOT_NEEDED:
        return Finding(
            Outcome.NOT_REQUIRED,
            f"citizens of {listed(stated.countries.split())} need no such permit or visa; "
            "give your citizenships to see whether you are one of them",
            comparable=False,
        )
    if answer is None:
        return Finding(Outcome.ASK, "not answered yet")
    found = check.rule(stated, answer)
    if found.outcome != Outcome.UNMET:
        return found
    if stated.rule == NationalityRule.WAIVED and lifted is None:
        who = (
            listed(stated.countries.split())
            if stated.countries
            else ("some countries, which the source does not list")
        )
        return Finding(
            Outcome.UNCLEAR,
            f"{found.reason}, but it is not asked of citizens of {who}; check whether "
            "yours is one of them",
        )
    if stated.status == Status.CONDITIONAL:
        return Finding(
            Outcome.UNCLEAR,
            f"{found.reason}, but it is required only in some cases; check whether yours "
            "is one of them",
        )
    return found


def _combine(findings, disputed):
    """One finding for a requirement from the findings of its facts in force."""
    neither_way = (Outcome.NOT_REQUIRED, Outcome.NOT_STATED)
    counted = [f for f in findings if f.outcome not in neither_way] or findings
    outcomes = {f.outcome for f in counted}
    if outcomes == {Outcome.UNMET}:
        if disputed:
            reason = f"{counted[0].reason}, which meets none of the sources' values"
            return Finding(Outcome.UNMET, reason)
        return counted[0]
    if disputed:
        return Finding(Outcome.DISPUTED, "the sources disagree, so it is not counted as met")
    if len(outcomes) == 1:
        return counted[0]
    for outcome in (Outcome.ASK, Outcome.UNCLEAR):
        if outcome in outcomes:
            return next(f for f in counted if f.outcome == outcome)
    return Finding(
        Outcome.UNCLEAR, "the source gives several values for different cases; check yours"
    )
