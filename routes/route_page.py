"""Everything a route page shows, read from one route and its rows.

``RoutePage.read`` reads a route with its rows in a fixed number of
queries; the page arranges them in the seed page's order and derives the
answers that follow from the structured fields, so the table and the
questions can never disagree.
"""

from dataclasses import dataclass, field

from django.conf import settings
from django.utils import timezone
from django.utils.functional import cached_property

from .facts import FactGroup, group_facts, statement
from .models import Change, Document, Fact, Question, Route, Source, Step
from .vocabulary import CRITERIA, FEE, FigureTopic, Status

# A route page lists at most this many of its country's other routes.
OTHER_ROUTES = 10


@dataclass
class Answer:
    """A question with its answer and the facts the answer rests on."""

    question: str
    answer: str
    facts: list = field(default_factory=list)
    source: object = None
    derived: bool = True
    # The figure a derived answer repeats, when the at-a-glance block shows it.
    topic: str = ""


@dataclass
class GlanceRow:
    label: str
    group: FactGroup


@dataclass
class RecentChange:
    day: str  # YYYY-MM-DD
    text: str


@dataclass
class RoutePage:
    route: object
    # The route's rows, each with the source it cites, in position order.
    facts: list
    documents: list
    steps: list
    questions: list
    others: list  # some of the country's other published routes
    more_others: bool = False  # the country has more than `others`
    recent_changes: list = field(default_factory=list)  # RecentChange, newest first

    @classmethod
    def read(cls, routes, country_slug, route_slug):
        """The page of one of ``routes``: the route, its rows and some of the country's others.

        Eight queries and a bounded number of rows, whatever the amount of
        content: the route, then its facts, documents, steps and questions,
        the sources they cite, its five latest public changes, and up to
        OTHER_ROUTES of the country's other published routes (those of its
        category first; the country's page lists them all). Raises
        ``Route.DoesNotExist`` when there is no such route among ``routes``.
        """
        route = routes.select_related("country", "category").get(
            country__slug=country_slug, slug=route_slug
        )
        rows = [
            list(model.objects.filter(route=route)) for model in (Fact, Document, Step, Question)
        ]
        facts, documents, steps, questions = rows
        # The few sources they cite, read once each (rows citing one share it).
        cited = {row.source_id for group in rows for row in group}
        sources = Source.objects.in_bulk(cited - {None})
        for group in rows:
            for row in group:
                row.source = sources.get(row.source_id)
        changes = Change.objects.filter(route=route, public=True).values_list("when", "text")
        # One more than are shown tells whether there are more.
        others = list(Route.objects.others_in_country(route)[: OTHER_ROUTES + 1])
        for other in others:
            other.country = route.country
        return cls(
            route,
            facts=facts,
            documents=documents,
            steps=steps,
            questions=questions,
            others=others[:OTHER_ROUTES],
            more_others=len(others) > OTHER_ROUTES,
            recent_changes=[
                RecentChange(day=timezone.localdate(when).isoformat(), text=text)
                for when, text in changes[:5]
            ],
        )

    @cached_property
    def sources(self):
        """Every source cited on the page, numbered in order of first citation.

        Rows that cite the same source share one object (``read`` reads each
        source once), so a citation and the source list share its
        number.
        """
        seen = {}
        rows = (
            sorted(self.facts, key=lambda f: f.position)
            + self.documents
            + self.steps
            + self.questions
        )
        for row in rows:
            if row.source_id is not None:
                seen.setdefault(row.source_id, row.source)
        for number, source in enumerate(seen.values(), start=1):
            source.number = number
        return list(seen.values())

    def number_sources(self):
        """Number the sources before anything on the page cites them."""
        return self.sources

    @cached_property
    def last_verified(self):
        """The oldest verification among the verified sources, or None."""
        dates = [s.verified_on for s in self.sources if s.verified_on]
        return min(dates) if dates else None

    @cached_property
    def overdue_months(self):
        """Months since the last verification, when more than REVIEW_AFTER_DAYS have passed."""
        if self.last_verified is None:
            return None
        age = (timezone.localdate() - self.last_verified).days
        if age <= settings.REVIEW_AFTER_DAYS:
            return None
        return settings.REVIEW_AFTER_DAYS // 30

    @cached_property
    def unverified_count(self):
        return sum(1 for s in self.sources if not s.verified_on)

    @cached_property
    def cites_official_source(self):
        return any(s.is_official for s in self.sources)

    @cached_property
    def has_current_fee(self):
        return any(g.current for g in self.fees)

    def _groups(self, topics):
        self.number_sources()
        return group_facts(self.facts, topics)

    @cached_property
    def eligibility(self):
        return self._groups(CRITERIA)

    @cached_property
    def fees(self):
        return self._groups({FEE})

    @cached_property
    def figures(self):
        groups = {g.topic: g for g in self._groups(set(FigureTopic.values))}
        return {
            topic.value: groups.get(topic.value, FactGroup(topic.value)) for topic in FigureTopic
        }

    @property
    def processing(self):
        return self.figures[FigureTopic.PROCESSING_TIME]

    @property
    def validity(self):
        return self.figures[FigureTopic.VALIDITY]

    @property
    def renewal(self):
        return self.figures[FigureTopic.RENEWAL]

    @property
    def permanent_residence(self):
        return self.figures[FigureTopic.PERMANENT_RESIDENCE]

    @property
    def where_to_apply(self):
        return self.figures[FigureTopic.WHERE_TO_APPLY]

    @property
    def rights(self):
        return self.figures[FigureTopic.RIGHTS]

    @property
    def has_terms(self):
        """Whether the sources state any of validity, renewal, permanent residence or rights."""
        return any(
            group.facts
            for group in (self.validity, self.renewal, self.permanent_residence, self.rights)
        )

    @cached_property
    def has_both_documents(self):
        return any(d.applies_to == "both" for d in self.documents)

    @cached_property
    def has_extension_documents(self):
        return any(d.applies_to != "both" for d in self.documents)

    @property
    def glance(self):
        """The figures the at-a-glance block shows, in its order, each with what
        it says when the sources are silent. A lasting status (citizenship) has
        no validity, renewal or path to residence: only what its sources state."""
        permit = self.route.category.grants_permit
        rows = [
            ("Processing time", self.processing, True),
            ("Validity", self.validity, permit),
            ("Renewal", self.renewal, permit),
            ("Path to permanent residence", self.permanent_residence, permit),
            ("Rights and limits", self.rights, False),
            ("Where to apply", self.where_to_apply, True),
        ]
        return [GlanceRow(label, group) for label, group, always in rows if always or group.facts]

    @property
    def faq_shown(self):
        """The questions the page shows: a derived answer that only repeats a
        figure of the at-a-glance block is left out (the structured data keeps it)."""
        shown = {row.group.topic for row in self.glance}
        return [answer for answer in self.faq if answer.topic not in shown]

    @cached_property
    def faq(self):
        """Editorial questions first, then those answered by the fields."""
        self.number_sources()
        editorial = [
            Answer(q.question, q.answer, source=q.source, derived=False) for q in self.questions
        ]
        return editorial + [a for a in self._derived_answers() if a]

    def _derived_answers(self):
        # A lasting status (citizenship) is not asked whether it leads to residence.
        if self.route.category.grants_permit or self.permanent_residence.facts:
            yield derived_answer(
                "Does this route lead to permanent residence?",
                self.permanent_residence,
                topic=FigureTopic.PERMANENT_RESIDENCE,
                silent="The sources do not state whether this route leads to permanent residence.",
                # The source's own words follow, hedges ("may be able to apply") included.
                say=lambda f: (
                    {
                        "yes": "It can lead to permanent residence",
                        "no": "No — it does not lead directly to permanent residence",
                        "indirect": "Indirectly — it can lead to permanent residence through another "
                        "route",
                    }[f.pathway]
                    + (f": {f.text}." if f.text else ".")
                ),
            )
        insurance = next((g for g in self.eligibility if g.topic == "health_insurance"), None)
        if insurance:
            yield derived_answer(
                "Do I need health insurance?",
                insurance,
                silent="The sources do not state whether health insurance is needed.",
                say=lambda f: (
                    {
                        Status.REQUIRED: "Yes — health insurance is required",
                        Status.NOT_REQUIRED: "No — health insurance is not required",
                        Status.CONDITIONAL: "It depends — health insurance is required in some cases",
                        Status.NOT_STATED: "The sources do not state whether health insurance is needed",
                    }[f.status]
                    + (f" ({f.text})." if f.text else ".")
                ),
            )
        yield derived_answer(
            "How long does it take?",
            self.processing,
            topic=FigureTopic.PROCESSING_TIME,
            silent="The sources do not state a processing time.",
            say=lambda f: f"{statement(f)[:1].upper()}{statement(f)[1:]}.",
        )


def derived_answer(question, group, *, silent, say, topic=""):
    """Answer a question from a group of facts, never from anything else."""
    current = [f for f in group.current if f.status != Status.NOT_STATED]
    if not current:
        return Answer(question, silent, topic=topic)
    if group.disputed:
        parts = "; ".join(f"{statement(f)} according to {f.source.publisher}" for f in current)
        return Answer(question, f"The sources disagree: {parts}.", facts=current, topic=topic)
    # One source may state several values, each for its own case (inside or
    # outside the country, say): the answer gives each, citing each source once.
    sentences = dict.fromkeys(say(f) for f in current)
    cited = list({f.source_id: f for f in reversed(current)}.values())[::-1]
    return Answer(question, " ".join(sentences), facts=cited, topic=topic)
