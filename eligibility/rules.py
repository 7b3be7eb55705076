"""The eligibility checker's rules: a visitor's answers in, a verdict per route out.

Pure Python over rows already in memory: no request, no query. The checker
reads the same ``Fact`` rows as the route page, grouped and worded by
``routes.facts``, so a verdict and the page it links to cannot disagree.

Everything the checker knows about a criterion sits in one entry of
``CHECKS``: the question it asks (which is also the form field and the query
string key), the rule that compares the answer with a requirement, and the
rule in plain words for the page "How the checker decides". Adding a
criterion to ``routes.vocabulary.Criterion`` means adding one entry here.

How a route's verdict is reached is ``PRINCIPLES`` below, in the words the
page "How the checker decides" shows.
"""

from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from decimal import Decimal
from functools import cached_property
from typing import NamedTuple

from routes.facts import FactGroup, amount, group_facts, number, statement, unit_label
from routes.vocabulary import CRITERIA, LOCAL_MONEY_UNITS, Criterion, Period, Status, TimeUnit

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

# ---------------------------------------------------------------------------
# What the visitor wants: purposes and the route categories they cover.
#
# The one map from the checker's first question to category slugs. A slug
# with no category yet (study) matches nothing until editors add one.


@dataclass(frozen=True)
class Purpose:
    label: str
    categories: tuple = ()  # empty: every category


PURPOSES = {
    "any": Purpose("Any purpose: show every route"),
    "work": Purpose("Work for an employer", ("employer-sponsored-work",)),
    "remote": Purpose("Work remotely for an employer or clients abroad", ("remote-work",)),
    "family": Purpose("Join family", ("family",)),
    "investment": Purpose("Invest or start a business", ("investment",)),
    "study": Purpose("Study", ("study",)),
    "settle": Purpose(
        "Settle for good: residence, return of ethnic compatriots, citizenship",
        ("residence-permits", "ethnic-return", "citizenship"),
    ),
    "visit": Purpose("Visit on business", ("business-visits",)),
}


# ---------------------------------------------------------------------------
# Answers


@dataclass(frozen=True)
class Money:
    amount: Decimal
    currency: str  # an ISO 4217 code or a local unit such as KZT-MCI

    def __str__(self):
        return f"{amount(self.amount, self.currency)} {unit_label(self.currency)}"


@dataclass(frozen=True)
class Profile:
    """A visitor's answers, by question name; a missing key is "not answered".

    A profile remembers what its answers make of each value a requirement
    states (see ``_finding``): a thousand routes state a few hundred distinct
    values, so each comparison, and the wording of its reason, is done once.
    """

    answers: Mapping = field(default_factory=dict)
    _findings: dict = field(default_factory=dict, init=False, repr=False, compare=False)

    def answer(self, question):
        value = self.answers.get(question.name) if question else None
        return None if value in (None, "") else value


# ---------------------------------------------------------------------------
# Outcomes of comparing one requirement with one answer


MET = "met"
UNMET = "unmet"
ASK = "ask"  # the question is unanswered, or answered in another currency
UNCLEAR = "unclear"  # conditional, or only words the checker cannot compare
DISPUTED = "disputed"
NOT_REQUIRED = "not_required"
NOT_STATED = "not_stated"
NOT_IN_FORCE = "not_in_force"

OUTCOME_LABELS = {
    MET: "Met",
    UNMET: "Not met",
    ASK: "Answer needed",
    UNCLEAR: "Check yourself",
    DISPUTED: "Sources disagree",
    NOT_REQUIRED: "Not required",
    NOT_STATED: "Not stated",
    NOT_IN_FORCE: "Not in force",
}

# The order in which a route's requirement lines are listed: reasons first.
OUTCOME_ORDER = [UNMET, ASK, DISPUTED, UNCLEAR, MET, NOT_REQUIRED, NOT_STATED, NOT_IN_FORCE]


@dataclass(frozen=True)
class Finding:
    outcome: str
    reason: str
    currency: str = ""  # asked again in this currency: the requirement's own


# ---------------------------------------------------------------------------
# Questions


YES_NO = "yes_no"
NUMBER = "number"
MONEY = "money"


@dataclass(frozen=True)
class Question:
    """One question of the form; its name is the form field and query key."""

    name: str
    text: str
    kind: str = YES_NO
    help: str = ""
    minimum: int = 0
    maximum: int = 0
    decimals: int = 0  # numbers: how many decimal places an answer may have
    about_country: bool = False  # the answer is about the country of the route

    @property
    def answer_kind(self):
        return {
            YES_NO: "yes or no",
            NUMBER: "a number",
            MONEY: "an amount and its currency",
        }[self.kind]

    @property
    def currency_name(self):
        return f"{self.name}_currency"

    def describe(self, answer):
        """The answer in words, for the summary of answers."""
        if self.kind == YES_NO:
            return "Yes" if answer else "No"
        if isinstance(answer, Money):
            return str(answer)
        return number(answer)


# ---------------------------------------------------------------------------
# Rules: one small function per criterion, (fact, answer) -> Finding.
# They see only requirements in force whose status is required or
# conditional, and only answered questions.


def _has(answer, yes, no):
    return Finding(MET, yes) if answer else Finding(UNMET, no)


def _bounds(fact):
    return fact.minimum is not None or fact.maximum is not None


def _within(value, fact):
    """Inclusive bounds: 18 and 60 are within 18–60."""
    if fact.minimum is not None and value < fact.minimum:
        return False
    return not (fact.maximum is not None and value > fact.maximum)


def _in_words_only(fact):
    if fact.status == Status.CONDITIONAL:
        return Finding(
            UNCLEAR, "it applies only in some cases, stated in words: check whether yours is one"
        )
    return Finding(UNCLEAR, "the source states it in words only: check it against the source")


def currency_words(unit):
    """A currency or local unit as a visitor can answer in it: “USD”, “MCI (KZT-MCI)”."""
    if unit in LOCAL_MONEY_UNITS:
        label = LOCAL_MONEY_UNITS[unit][0]
        if label.startswith("× "):
            label = f"multiples of {label[2:]}"
        return f"{label} ({unit})"
    return unit


def job_offer(fact, answer):
    return _has(answer, "you have one", "you said you have none")


def employer_sponsor(fact, answer):
    return _has(answer, "your employer will sponsor you", "you said no employer will sponsor you")


def health_insurance(fact, answer):
    return _has(answer, "you have it", "you said you have none")


def medical_exam(fact, answer):
    return _has(answer, "you can pass one", "you said you cannot pass one")


def age(fact, answer):
    if not _bounds(fact):
        return _in_words_only(fact)
    outcome = MET if _within(answer, fact) else UNMET
    return Finding(outcome, f"you are {number(answer)}")


def _money(fact, money, what, *, monthly):
    """Compare an amount with a money requirement in the same currency only."""
    if not _bounds(fact):
        return _in_words_only(fact)
    wanted = unit_label(fact.unit)
    if money.currency != fact.unit:
        given, wanted = currency_words(money.currency), currency_words(fact.unit)
        return Finding(
            ASK,
            f"your {what} is in {given} and this amount is in {wanted}; "
            f"the checker does not convert currencies: give your {what} in {wanted} to compare",
            currency=wanted,
        )
    amount, said = money.amount, f"your {what} is {money}"
    if monthly:
        if fact.period == Period.PER_YEAR:
            amount = money.amount * 12
            said = f"your {what} × 12 is {number(amount)} {wanted} a year"
        elif fact.period != Period.PER_MONTH:
            return Finding(
                UNCLEAR, "the source does not say whether this amount is per month or per year"
            )
    elif fact.period:
        return Finding(UNCLEAR, f"this amount is {Period(fact.period).label}, not a single sum")
    return Finding(MET if _within(amount, fact) else UNMET, said)


def income(fact, answer):
    return _money(fact, answer, "monthly income", monthly=True)


def investment(fact, answer):
    return _money(fact, answer, "investment", monthly=False)


def family_tie(fact, answer):
    return _has(answer, "you have one", "you said you have none")


def ethnic_origin(fact, answer):
    return _has(answer, "you said you are", "you said you are not")


def language(fact, answer):
    return _has(answer, "you said you know it", "you said you do not know it")


def clean_record(fact, answer):
    return _has(answer, "you have one", "you said you have a conviction")


def residence_period(fact, answer):
    if not _bounds(fact):
        return _in_words_only(fact)
    per_year = {TimeUnit.YEARS: 1, TimeUnit.MONTHS: 12}.get(fact.unit)
    if per_year is None:
        return Finding(UNCLEAR, "the period is stated in days or weeks; check it yourself")
    lived = f"you have lived there {number(answer)} year{'' if answer == 1 else 's'}"
    return Finding(MET if _within(answer * per_year, fact) else UNMET, lived)


def invitation(fact, answer):
    return _has(answer, "you have one", "you said you have none")


def accommodation(fact, answer):
    return _has(answer, "you have somewhere to live", "you said you have nowhere to live yet")


def in_words(fact, answer):
    """Criteria the sources state only in words (which nationalities, which profession)."""
    return _in_words_only(fact)


# ---------------------------------------------------------------------------
# The registry: each criterion's question, rule and rule in plain words.


@dataclass(frozen=True)
class Check:
    criterion: str
    question: Question | None  # None: the checker asks nothing, the visitor reads the source
    rule: Callable
    explains: str

    @cached_property
    def label(self):
        return Criterion(self.criterion).label


def _yes_no(name, text, help="", *, about_country=False):
    return Question(name, text, YES_NO, help=help, about_country=about_country)


CHECKS = {
    c.criterion: c
    for c in [
        Check(
            Criterion.AGE,
            Question(
                "age", "How old are you?", NUMBER, help="In whole years.", minimum=0, maximum=120
            ),
            age,
            "Met if your age is within the route's range, both ends included: 18 and 60 "
            "meet “18–60”, 61 does not.",
        ),
        Check(
            Criterion.INCOME,
            Question(
                "income",
                "What is your monthly income?",
                MONEY,
                help="Before tax, per month, with its currency.",
                minimum=0,
                maximum=10**12,
                decimals=2,
            ),
            income,
            "Met if your monthly income reaches the amount, compared only in the "
            "requirement's own currency or unit; an amount per year is compared with 12 "
            "times your monthly income. In another currency the checker asks for your "
            "income in the requirement's one: it converts nothing.",
        ),
        Check(
            Criterion.INVESTMENT,
            Question(
                "investment",
                "How much could you invest?",
                MONEY,
                help="A one-off sum, with its currency.",
                minimum=0,
                maximum=10**12,
                decimals=2,
            ),
            investment,
            "Met if the sum you could invest reaches the amount, compared only in the "
            "requirement's own currency or unit. In another currency the checker asks "
            "for the sum in the requirement's one: it converts nothing.",
        ),
        Check(
            Criterion.MEDICAL_EXAM,
            _yes_no(
                "medical_exam",
                "Can you pass a medical exam (a health certificate from a clinic)?",
            ),
            medical_exam,
            "Met if you can pass a medical exam; not met if you cannot.",
        ),
        Check(
            Criterion.CLEAN_RECORD,
            _yes_no(
                "clean_record",
                "Is your criminal record clean (no convictions)?",
            ),
            clean_record,
            "Met if your record is clean; not met if you have a conviction.",
        ),
        Check(
            Criterion.JOB_OFFER,
            _yes_no(
                "job_offer",
                "Do you have a job offer from an employer in the country?",
                about_country=True,
            ),
            job_offer,
            "Met if you have a job offer; not met if you have none.",
        ),
        Check(
            Criterion.EMPLOYER_SPONSOR,
            _yes_no(
                "employer_sponsor",
                "Is that employer willing to sponsor you (apply for your permit)?",
                about_country=True,
            ),
            employer_sponsor,
            "Met if an employer will sponsor you; not met if none will.",
        ),
        Check(
            Criterion.HEALTH_INSURANCE,
            _yes_no(
                "health_insurance",
                "Do you have health insurance valid in the country?",
                about_country=True,
            ),
            health_insurance,
            "Met if you have health insurance; not met if you have none.",
        ),
        Check(
            Criterion.FAMILY_TIE,
            _yes_no(
                "family_tie",
                "Is your spouse or a parent a citizen or permanent resident of the country?",
                about_country=True,
            ),
            family_tie,
            "Met if you have such a family tie; not met if you have none.",
        ),
        Check(
            Criterion.ETHNIC_ORIGIN,
            _yes_no(
                "ethnic_origin",
                "Are you of the country's ethnic origin (for example, an ethnic Kazakh "
                "for Kazakhstan)?",
                about_country=True,
            ),
            ethnic_origin,
            "Met if you are of the ethnic origin the route asks for; not met if you are not.",
        ),
        Check(
            Criterion.LANGUAGE,
            _yes_no(
                "language",
                "Do you know the country's language well enough to pass a test?",
                about_country=True,
            ),
            language,
            "Met if you know the language the route asks for; not met if you do not. The "
            "level a route asks for is shown with its source.",
        ),
        Check(
            Criterion.RESIDENCE_PERIOD,
            Question(
                "residence_period",
                "How many years have you already lived in the country?",
                NUMBER,
                help="0 if none; halves are fine, e.g. 2.5.",
                minimum=0,
                maximum=120,
                decimals=1,
                about_country=True,
            ),
            residence_period,
            "Met if the years you have lived in the country reach the period, both ends "
            "included; periods in months are compared as twelfths of a year.",
        ),
        Check(
            Criterion.INVITATION,
            _yes_no(
                "invitation",
                "Do you have an invitation from a person or organisation in the country?",
                about_country=True,
            ),
            invitation,
            "Met if you have an invitation; not met if you have none.",
        ),
        Check(
            Criterion.ACCOMMODATION,
            _yes_no(
                "accommodation",
                "Do you have somewhere to live in the country (a lease, a home or a host)?",
                about_country=True,
            ),
            accommodation,
            "Met if you have somewhere to live; not met if you have not.",
        ),
        Check(
            Criterion.NATIONALITY,
            None,
            in_words,
            "Not asked: the sources name the nationalities in words, so each result shows "
            "them with their source for you to check. Never counted as met.",
        ),
        Check(
            Criterion.QUALIFICATION,
            None,
            in_words,
            "Not asked: the sources name the qualification or profession in words, so each "
            "result shows it with its source for you to check. Never counted as met.",
        ),
    ]
}

QUESTIONS = [c.question for c in CHECKS.values() if c.question]


# ---------------------------------------------------------------------------
# Comparing a route's requirements with a profile


@dataclass(frozen=True)
class Citation:
    number: int
    source: object


@dataclass
class Line:
    """One requirement of one route, compared with the answers."""

    check: Check
    outcome: str
    reason: str
    facts: tuple  # the facts the line rests on, with their citations
    currency: str = ""  # for a question asked again in the requirement's currency

    @property
    def label(self):
        return self.check.label

    @property
    def outcome_label(self):
        return OUTCOME_LABELS[self.outcome]

    @property
    def question(self):
        return self.check.question if self.outcome == ASK else None


@dataclass(frozen=True)
class CitedFact:
    fact: object
    citation: Citation | None

    @property
    def statement(self):
        return statement(self.fact)


def _finding(check, fact, profile):
    """One fact in force against its answer, once per criterion and stated value.

    A rule reads only what the fact states, its ``value_key`` (status,
    bounds, unit, period), so facts that state the same value of the same
    criterion get the same finding.
    """
    key = (check.criterion, fact.value_key)
    found = profile._findings.get(key)
    if found is None:
        found = profile._findings[key] = _compare(check, fact, profile)
    return found


def _compare(check, fact, profile):
    if fact.status == Status.NOT_REQUIRED:
        return Finding(NOT_REQUIRED, "nothing to check")
    if fact.status not in (Status.REQUIRED, Status.CONDITIONAL):
        return Finding(NOT_STATED, "the source does not state it, so it counts neither way")
    answer = profile.answer(check.question)
    if check.question is not None and answer is None:
        return Finding(ASK, "not answered yet")
    found = check.rule(fact, answer)
    if fact.status == Status.CONDITIONAL and found.outcome == UNMET:
        return Finding(
            UNCLEAR,
            f"{found.reason}, but it is required only in some cases; check whether yours "
            "is one of them",
        )
    return found


def _combine(findings, disputed):
    """One outcome for a requirement from the findings of its facts in force."""
    counted = [f for f in findings if f.outcome not in (NOT_REQUIRED, NOT_STATED)] or findings
    outcomes = {f.outcome for f in counted}
    if outcomes == {UNMET}:
        if disputed:
            return Finding(UNMET, f"{counted[0].reason}, which meets none of the sources' values")
        return counted[0]
    if disputed:
        return Finding(DISPUTED, "the sources disagree, so it is not counted as met")
    if len(outcomes) == 1:
        return counted[0]
    for outcome in (ASK, UNCLEAR):
        if outcome in outcomes:
            return next(f for f in counted if f.outcome == outcome)
    return Finding(UNCLEAR, "the source gives several values for different cases; check yours")


def _line(check, current, cited, disputed, profile):
    """One requirement against the answers, from its facts in force (newest first)."""
    if not current:
        found = Finding(NOT_IN_FORCE, "not a requirement in force, so not counted")
    else:
        findings = [_finding(check, f, profile) for f in current]
        found = findings[0] if len(findings) == 1 else _combine(findings, disputed)
    return Line(check, found.outcome, found.reason, cited, found.currency)


# ---------------------------------------------------------------------------
# Verdicts


MEETS = "meets"
NOT_ENOUGH = "not_enough"
DOES_NOT_MEET = "does_not_meet"

VERDICTS = {
    MEETS: "Meets every stated requirement",
    NOT_ENOUGH: "Not enough information",
    DOES_NOT_MEET: "Does not meet",
}

VERDICT_NOTES = {
    MEETS: "Your answers meet every requirement the sources state. Sources may not state "
    "everything: read the route page before you apply.",
    NOT_ENOUGH: "Answer the questions named, or check the points the checker cannot "
    "settle: sources that disagree, requirements that apply only in some cases or are "
    "stated only in words.",
    DOES_NOT_MEET: "Each route names the requirement your answers do not meet, with its source.",
}


@dataclass(frozen=True)
class ToAnswer:
    """A question a route needs answered, in a given currency if it asks for one."""

    question: Question
    currency: str = ""

    @property
    def name(self):
        return self.question.name

    @property
    def text(self):
        return self.question.text


@dataclass
class RouteVerdict:
    route: object
    verdict: str
    lines: list
    citations: list  # the sources the lines cite, numbered as on the route page

    @property
    def label(self):
        return VERDICTS[self.verdict]

    @cached_property
    def url(self):
        return self.route.get_absolute_url()

    def _lines(self, *outcomes):
        return [line for line in self.lines if line.outcome in outcomes]

    @property
    def unmet(self):
        return self._lines(UNMET)

    @property
    def to_answer(self):
        return self._lines(ASK)

    @property
    def to_check(self):
        return self._lines(DISPUTED, UNCLEAR)

    @property
    def questions(self):
        """The questions to answer for a verdict, each once, in the form's order."""
        if self.verdict != NOT_ENOUGH:
            return []
        asked = {}
        for line in self.to_answer:
            asked.setdefault(line.question, ToAnswer(line.question, line.currency))
        return [asked[q] for q in QUESTIONS if q in asked]

    @property
    def states_nothing(self):
        return not self._lines(MET, UNMET, ASK, DISPUTED, UNCLEAR)


def numbered_sources(facts):
    """Number sources by first citation in page order, as the route page does.

    The route page numbers its facts' sources before its documents', steps'
    and questions', so these numbers are the page's own.
    """
    numbers = {}
    for fact in sorted(facts, key=lambda f: (f.position, f.id or 0)):
        if fact.source_id is not None and fact.source_id not in numbers:
            numbers[fact.source_id] = Citation(len(numbers) + 1, fact.source)
    return numbers


@dataclass(frozen=True)
class RouteFacts:
    """A route's facts as its verdict reads them, whatever the answers.

    Per criterion stated: its check, the facts in force (newest first), the
    facts its line cites (those in force, else all) and whether the sources
    disagree; and the sources cited, numbered as on the route page. Made
    once per route, judged against any number of profiles.
    """

    route: object
    requirements: tuple  # (check, in force, cited, disputed) per criterion, in page order
    citations: tuple  # the sources the lines cite, by number

    @classmethod
    def of(cls, route, facts):
        numbers = numbered_sources(facts)
        requirements = []
        for group in group_facts(facts, CRITERIA):
            current = tuple(f for f in group.facts if f.is_current)
            cited = tuple(CitedFact(f, numbers.get(f.source_id)) for f in current or group.facts)
            disputed = FactGroup(group.topic, list(current)).disputed
            requirements.append((CHECKS[group.topic], current, cited, disputed))
        citations = {}
        for _, _, cited, _ in requirements:
            citations.update((c.number, c) for f in cited if (c := f.citation))
        return cls(route, tuple(requirements), tuple(citations[n] for n in sorted(citations)))

    def verdict(self, profile):
        """The verdict on the route for these answers, with the lines that explain it."""
        lines = [_line(*requirement, profile) for requirement in self.requirements]
        lines.sort(key=lambda line: _OUTCOME_RANK[line.outcome])
        verdict = _verdict({line.outcome for line in lines})
        return RouteVerdict(self.route, verdict, lines, list(self.citations))


def check_route(route, profile, facts=None):
    """The verdict on one route, from its facts (prefetched by default)."""
    facts = list(route.facts.all() if facts is None else facts)
    return RouteFacts.of(route, facts).verdict(profile)


# Outcomes that leave a verdict open: a question to answer, or a point to check.
UNSETTLED = frozenset({ASK, DISPUTED, UNCLEAR})


def _verdict(outcomes):
    if UNMET in outcomes:
        return DOES_NOT_MEET
    if outcomes & UNSETTLED:
        return NOT_ENOUGH
    return MEETS


class Value(NamedTuple):
    """What a requirement states, whoever states it: all a rule reads of a fact."""

    status: str
    pathway: str
    minimum: object
    maximum: object
    unit: str
    period: str

    is_current = True

    @property
    def value_key(self):
        return tuple(self)


def requirements_of(facts):
    """A route's requirements in force as its verdict needs them, and no more.

    One ``(criterion, values, disputed)`` per criterion the facts state in
    force. A verdict does not depend on the order of a requirement's facts
    nor on their citations, and a requirement with no fact in force never
    changes it; ``facts`` are read like a ``Fact`` (topic, standing,
    source_id and the fields of ``value_key``), in any order.
    """
    by_criterion = {}
    for fact in facts:
        if fact.topic in CRITERIA and fact.is_current:
            by_criterion.setdefault(fact.topic, []).append(fact)
    return tuple(
        (criterion, tuple(Value(*f.value_key) for f in group), FactGroup(criterion, group).disputed)
        for criterion, group in by_criterion.items()
    )


def _outcome(requirement, profile):
    """The outcome of one requirement, as its line on a card finds it on the same facts."""
    criterion, values, disputed = requirement
    check = CHECKS[criterion]
    findings = [_finding(check, value, profile) for value in values]
    return findings[0].outcome if len(findings) == 1 else _combine(findings, disputed).outcome


def verdict_of(facts, profile):
    """``check_route(route, profile, facts).verdict``, without the lines that explain it.

    For the routes a results page counts but does not show; ``facts`` as for
    ``requirements_of``.
    """
    return _verdict({_outcome(r, profile) for r in requirements_of(facts)})


@dataclass(frozen=True)
class Catalogue:
    """Many routes' requirements: each distinct one numbered once, each route's as numbers.

    Many routes state the same requirements (the same age range, a job
    offer), so a profile compares its answers with each distinct one once.
    A route's requirements are kept as a bit mask (bit n for requirement n),
    so its verdict is read off by masking: unmet if it has any unmet
    requirement, else not enough information if it has any the checker
    cannot settle (as ``_verdict`` decides).
    """

    requirements: list  # (criterion, values, disputed), by number
    routes: Mapping  # route pk: its requirements as a bit mask

    @classmethod
    def of(cls, facts_by_route):
        """From {route pk: its facts}, facts as for ``requirements_of``."""
        numbers, routes = {}, {}
        for pk, facts in facts_by_route.items():
            mask = 0
            for requirement in requirements_of(facts):
                mask |= 1 << numbers.setdefault(requirement, len(numbers))
            routes[pk] = mask
        return cls(list(numbers), routes)

    def verdicts(self, routes, profile):
        """Each route's verdict, in order: the same as ``verdict_of`` on its facts."""
        unmet = unsettled = 0
        for n, requirement in enumerate(self.requirements):
            outcome = _outcome(requirement, profile)
            if outcome == UNMET:
                unmet |= 1 << n
            elif outcome in UNSETTLED:
                unsettled |= 1 << n

        def verdict(mask):
            if mask & unmet:
                return DOES_NOT_MEET
            return NOT_ENOUGH if mask & unsettled else MEETS

        masks = self.routes
        return [verdict(masks.get(route.pk, 0)) for route in routes]


class Counted(NamedTuple):
    """A route counted, not shown: its verdict alone."""

    route: object
    verdict: str


_OUTCOME_RANK = {outcome: rank for rank, outcome in enumerate(OUTCOME_ORDER)}


@dataclass
class CountryGroup:
    country: object
    verdicts: list


@dataclass
class VerdictGroup:
    """One verdict's routes by country; ``count`` is all of them, listed here or not."""

    verdict: str
    countries: list
    count: int

    @property
    def label(self):
        return VERDICTS[self.verdict]

    @property
    def note(self):
        return VERDICT_NOTES[self.verdict]


def in_listing_order(routes):
    """Routes in the order results list them within a verdict: by country, then name."""
    return sorted(routes, key=lambda route: (route.country.name, route.official_name, route.pk))


def group_verdicts(verdicts, counts):
    """Verdicts grouped by verdict (in VERDICTS order, empty ones included), then country.

    ``counts`` (verdict: how many) gives each group's count, as ``verdicts``
    are only some of them: one page of results.
    """
    by_verdict = {verdict: {} for verdict in VERDICTS}  # verdict: {country pk: CountryGroup}
    for v in verdicts:
        countries, country = by_verdict[v.verdict], v.route.country
        group = countries.get(country.pk)
        if group is None:
            group = countries[country.pk] = CountryGroup(country, [])
        group.verdicts.append(v)
    return [
        VerdictGroup(verdict, list(countries.values()), counts[verdict])
        for verdict, countries in by_verdict.items()
    ]


@dataclass(frozen=True)
class Tally:
    """How many routes got one verdict."""

    verdict: str
    count: int

    @property
    def label(self):
        return VERDICTS[self.verdict]


@dataclass
class Report:
    """Every route checked: each verdict's routes (in VERDICTS order), in listing order."""

    by_verdict: dict  # verdict: [route, ...]

    @property
    def checked(self):
        return sum(map(len, self.by_verdict.values()))

    @property
    def tallies(self):
        """A ``Tally`` per verdict, in VERDICTS order, empty ones included."""
        return [Tally(verdict, len(routes)) for verdict, routes in self.by_verdict.items()]

    @property
    def counts(self):
        return {verdict: len(routes) for verdict, routes in self.by_verdict.items()}

    @cached_property
    def verdicts(self):
        """Every verdict in the order the page lists them: by verdict, then country, then name."""
        return [
            Counted(route, verdict)
            for verdict, routes in self.by_verdict.items()
            for route in routes
        ]


def check_routes(routes, profile, catalogue):
    """Every route's verdict, from a ``Catalogue`` of the routes' requirements.

    ``routes`` come in listing order (``in_listing_order``), and keep it
    within each verdict.
    """
    by_verdict = {verdict: [] for verdict in VERDICTS}
    for route, verdict in zip(routes, catalogue.verdicts(routes, profile), strict=True):
        by_verdict[verdict].append(route)
    return Report(by_verdict)
