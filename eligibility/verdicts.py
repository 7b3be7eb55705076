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
from dataclasses import dataclass, field
from enum import StrEnum

from routes.facts import FactGroup
from routes.vocabulary import Status

from .questions import CHECKS
from .rules import Finding, Outcome, Stated

PRINCIPLES = [
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
    "Money is compared only in the requirement's own currency or unit. If yours differs, "
    "the result says so and asks for the amount in that currency: nothing is converted.",
    "Where sources disagree, the requirement is never counted as met: you see each value "
    "with its source. If your answer fails every value, it is not met; otherwise the "
    "route has not enough information until the disagreement is settled.",
    "A route does not meet your answers if any requirement is not met. Otherwise it has "
    "not enough information if a question is unanswered, or a requirement is disputed, "
    "conditional or stated only in words. Otherwise it meets every stated requirement; "
    "so does a route whose sources state none, and it says so.",
]


class Verdict(StrEnum):
    MEETS = "meets"
    NOT_ENOUGH = "not_enough"
    DOES_NOT_MEET = "does_not_meet"

    @property
    def label(self):
        return VERDICT_LABELS[self]

    @property
    def note(self):
        return VERDICT_NOTES[self]


VERDICT_LABELS = {
    Verdict.MEETS: "Meets every stated requirement",
    Verdict.NOT_ENOUGH: "Not enough information",
    Verdict.DOES_NOT_MEET: "Does not meet",
}

VERDICT_NOTES = {
    Verdict.MEETS: "Your answers meet every requirement the sources state. Sources may not "
    "state everything: read the route page before you apply.",
    Verdict.NOT_ENOUGH: "Answer the questions named, or check the points the checker cannot "
    "settle: sources that disagree, requirements that apply only in some cases or are "
    "stated only in words.",
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

    @classmethod
    def of(cls, criterion, facts):
        """From the criterion's facts (a ``Fact`` or any row with its fields), newest first."""
        current = [fact for fact in facts if fact.is_current]
        disputed = FactGroup(criterion, current).disputed
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


@dataclass(frozen=True)
class Judgement:
    verdict: Verdict
    findings: tuple  # one Finding per requirement, in the requirements' order


def judge(requirements, profile):
    """The verdict on a route with these requirements, and a finding for each."""
    findings = tuple(assess(requirement, profile) for requirement in requirements)
    return Judgement(verdict_from({finding.outcome for finding in findings}), findings)


def verdict_from(outcomes):
    """The verdict on a route whose requirements came out so (a set of ``Outcome``)."""
    if Outcome.UNMET in outcomes:
        return Verdict.DOES_NOT_MEET
    if outcomes & UNSETTLED:
        return Verdict.NOT_ENOUGH
    return Verdict.MEETS


def assess(requirement, profile):
    """One requirement against the answers, from what its facts in force state."""
    if not requirement.stated:
        return Finding(Outcome.NOT_IN_FORCE, "not a requirement in force, so not counted")
    findings = [_finding(requirement.criterion, stated, profile) for stated in requirement.stated]
    return findings[0] if len(findings) == 1 else _combine(findings, requirement.disputed)


def _finding(criterion, stated, profile):
    """One stated value against its answer, once per profile for each criterion and value."""
    key = (criterion, stated)
    found = profile._findings.get(key)
    if found is None:
        found = profile._findings[key] = _compare(CHECKS[criterion], stated, profile)
    return found


def _compare(check, stated, profile):
    if stated.status == Status.NOT_REQUIRED:
        return Finding(Outcome.NOT_REQUIRED, "nothing to check")
    if stated.status not in (Status.REQUIRED, Status.CONDITIONAL):
        return Finding(Outcome.NOT_STATED, "the source does not state it, so it counts neither way")
    answer = profile.answer(check.question)
    if check.question is not None and answer is None:
        return Finding(Outcome.ASK, "not answered yet")
    found = check.rule(stated, answer)
    if stated.status == Status.CONDITIONAL and found.outcome == Outcome.UNMET:
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
