"""What the results page shows: every route counted by verdict, and cards for one page of them.

The verdicts come from the one engine (``verdicts.judge``); this module
arranges them for the page: counts per verdict, groups by country, and for
each route shown its requirement lines, each citing the route page's own
numbered sources.
"""

from collections.abc import Sequence
from dataclasses import dataclass, field
from functools import cached_property
from typing import NamedTuple

from routes.citations import web_address
from routes.facts import group_facts, statement
from routes.vocabulary import CRITERIA

from .questions import CHECKS, QUESTIONS
from .rules import Outcome
from .verdicts import StatedRequirement, Verdict, count_comparable, judge


@dataclass(frozen=True)
class Citation:
    number: int
    source: object


@dataclass(frozen=True)
class CitedFact:
    fact: object
    citation: Citation | None

    @property
    def statement(self):
        return statement(self.fact)


@dataclass
class Line:
    """One requirement of one route, compared with the answers."""

    check: object  # questions.Check
    outcome: Outcome
    reason: str
    facts: tuple  # the facts the line rests on, with their citations
    currency: str = ""  # for a question asked again in the requirement's currency

    @property
    def label(self):
        return self.check.label

    @property
    def outcome_label(self):
        return self.outcome.label

    @property
    def question(self):
        return self.check.question if self.outcome == Outcome.ASK else None


@dataclass(frozen=True)
class ToAnswer:
    """A question a route needs answered, in a given currency if it asks for one."""

    question: object  # questions.FormQuestion
    currency: str = ""

    @property
    def name(self):
        return self.question.name

    @property
    def text(self):
        return self.question.text


@dataclass
class RouteVerdict:
    """One route's card: its verdict, and the lines that explain it (made when read)."""

    card: object  # the RouteCard it was judged from
    verdict: Verdict
    findings: tuple  # a Finding per requirement of the card, in its order
    checked: int  # how many requirements were compared with the answers
    silent: tuple  # labels of criteria answered that the sources do not state

    @property
    def route(self):
        return self.card.route

    @property
    def official_page(self):
        return self.card.official_page

    @property
    def citations(self):
        """The sources the lines cite, numbered as on the route page."""
        return list(self.card.citations)

    @cached_property
    def lines(self):
        lines = [
            Line(CHECKS[r.criterion], found.outcome, found.reason, cited, found.currency)
            for r, found, cited in zip(
                self.card.requirements, self.findings, self.card.cited, strict=True
            )
        ]
        lines.sort(key=lambda line: line.outcome.rank)
        return lines

    @property
    def comparable(self):
        """How many requirements the answers can be compared with, answered or not."""
        return count_comparable(self.findings)

    @property
    def label(self):
        return self.verdict.label

    @cached_property
    def url(self):
        return self.route.get_absolute_url()

    def _lines(self, *outcomes):
        return [line for line in self.lines if line.outcome in outcomes]

    @property
    def unmet(self):
        return self._lines(Outcome.UNMET)

    @property
    def to_answer(self):
        return self._lines(Outcome.ASK)

    @property
    def to_check(self):
        return self._lines(Outcome.DISPUTED, Outcome.UNCLEAR)

    @property
    def questions(self):
        """The questions to answer for a verdict, each once, in the form's order."""
        if self.verdict != Verdict.NOT_ENOUGH:
            return []
        asked = {}
        for line in self.to_answer:
            asked.setdefault(line.question, ToAnswer(line.question, line.currency))
        return [asked[q] for q in QUESTIONS if q in asked]

    @property
    def states_nothing(self):
        counted = (Outcome.MET, Outcome.UNMET, Outcome.ASK, Outcome.DISPUTED, Outcome.UNCLEAR)
        return not self._lines(*counted)


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
class RouteCard:
    """A route's requirements as its card shows them, whatever the answers.

    Per criterion stated, in page order: the requirement its verdict reads
    and the facts its line cites (those in force, else all); and the
    sources cited, numbered as on the route page. Made once per route,
    judged against any number of profiles.
    """

    route: object
    requirements: tuple  # verdicts.StatedRequirement per criterion, in page order
    cited: tuple  # the CitedFacts of each requirement's line, in the same order
    citations: tuple  # the sources the lines cite, by number
    official_page: object = None  # (address, title) of the route's official page, if known
    stated: frozenset = frozenset()  # the criteria it states a requirement for
    # The card as HTML, by findings: a route's requirements come out the same
    # way for many visitors, and the card is then the same.
    drawn: dict = field(default_factory=dict, compare=False, repr=False)

    @classmethod
    def of(cls, route, facts):
        numbers = numbered_sources(facts)
        requirements, cited = [], []
        for group in group_facts(facts, CRITERIA):
            requirement = StatedRequirement.of(group.topic, group.facts)
            shown = group.current or group.facts
            requirements.append(requirement)
            cited.append(tuple(CitedFact(f, numbers.get(f.source_id)) for f in shown))
        citations = {c.number: c for line in cited for f in line if (c := f.citation)}
        return cls(
            route,
            tuple(requirements),
            tuple(cited),
            tuple(citations[n] for n in sorted(citations)),
            official_page(route, facts),
            frozenset(r.criterion for r in requirements if r.states_something),
        )

    def verdict(self, profile):
        """The verdict on the route for these answers, with the lines that explain it."""
        judgement = judge(self.requirements, profile)
        silent = tuple(
            CHECKS[criterion].label
            for criterion in profile.answered_criteria
            if criterion not in self.stated
        )
        return RouteVerdict(self, judgement.verdict, judgement.findings, judgement.checked, silent)


def official_page(route, facts):
    """Where to read the route at its source: the official link its facts give, else the
    first official source they cite, else the country's official portal."""
    for fact in facts:
        if web_address(fact.url) and fact.source_id and fact.source.is_official:
            return fact.url, fact.source.title
    for fact in facts:
        if fact.source_id and fact.source.is_official and web_address(fact.source.url):
            return fact.source.url, fact.source.title
    country = route.country
    if web_address(country.portal_url):
        return country.portal_url, country.portal_name or f"{country.name}'s official portal"
    return None


class Counted(NamedTuple):
    """A route counted, not shown: its verdict alone."""

    route: object
    verdict: Verdict


@dataclass
class CountryGroup:
    country: object
    verdicts: list


@dataclass
class VerdictGroup:
    """One verdict's routes by country; ``count`` is all of them, listed here or not."""

    verdict: Verdict
    countries: list
    count: int

    @property
    def label(self):
        return self.verdict.label

    @property
    def note(self):
        return self.verdict.note


def group_verdicts(verdicts, counts):
    """Verdicts grouped by verdict (in Verdict's order, empty ones included), then country.

    ``counts`` (verdict: how many) gives each group's count, as ``verdicts``
    are only some of them: one page of results.
    """
    by_verdict = {verdict: {} for verdict in Verdict}  # verdict: {country pk: CountryGroup}
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

    verdict: Verdict
    count: int

    @property
    def label(self):
        return self.verdict.label


@dataclass
class Report:
    """Every route checked: each verdict's routes (in Verdict's order), in listing order,
    except that routes met come with the most requirements checked first."""

    by_verdict: dict  # verdict: [route, ...]
    checked_when_met: dict = field(default_factory=dict)  # pk: requirements checked, if met

    @property
    def checked(self):
        return sum(map(len, self.by_verdict.values()))

    @property
    def tallies(self):
        """A ``Tally`` per verdict, in Verdict's order, empty ones included."""
        return [Tally(verdict, len(routes)) for verdict, routes in self.by_verdict.items()]

    @property
    def counts(self):
        return {verdict: len(routes) for verdict, routes in self.by_verdict.items()}

    @cached_property
    def verdicts(self):
        """Every verdict in the order the page lists them: by verdict, then country, then name."""
        return Listing(self.by_verdict)


class Listing(Sequence):
    """The routes of each verdict, one after another, as ``Counted``: made only for the
    page shown, whatever the number of routes."""

    def __init__(self, by_verdict):
        self.parts = [(verdict, routes) for verdict, routes in by_verdict.items() if routes]
        self.length = sum(len(routes) for _, routes in self.parts)

    def __len__(self):
        return self.length

    def __getitem__(self, index):
        if isinstance(index, slice):
            return [self[i] for i in range(*index.indices(self.length))]
        if not -self.length <= index < self.length:
            raise IndexError(index)
        index %= self.length
        for verdict, routes in self.parts:
            if index < len(routes):
                return Counted(routes[index], verdict)
            index -= len(routes)
        raise IndexError(index)
