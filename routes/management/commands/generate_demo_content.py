"""Fill an empty database with made-up routes, for benchmarks and load tests.

    python manage.py generate_demo_content --routes 10000

The shape follows the size (``Shape``), as a real catalogue grows: countries
are added more slowly than routes (about 50 for 1,000 routes, 200 for
10,000), some countries have several times as many routes as others, and
one category holds more than the rest. Each route has the rows a real route
page has (13 facts, 8 documents, 4 steps, 3 questions), citing several of its
country's sources. The history is what the real site keeps: one record per
row as loaded, then editors' later changes to some routes, each with its
record and its change in words (``Change``), as the admin would leave them.

Everything is written in bulk, country by country, in one transaction.
Every country, route and source is labelled as demo content, and the command
refuses a database that already holds any content, so it can never mix with
(or touch) the real content.
"""

import datetime
import math
import random
from dataclasses import dataclass

import pycountry
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from django.core.management.base import BaseCommand, CommandError
from django.db import transaction
from django.utils import timezone

from publishing import freshness
from publishing.loads import LOAD_REASON
from routes.changelog import history_lines
from routes.models import (
    Category,
    Change,
    Country,
    Document,
    Fact,
    Question,
    ReferenceRate,
    Route,
    Source,
    Step,
)
from routes.vocabulary import Criterion, EducationLevel, NationalityRule

# (name, slug, share of the routes in percent): work routes are the most numerous.
CATEGORIES = [
    ("Employer-sponsored work", "employer-sponsored-work", 30),
    ("Family", "family", 20),
    ("Investment", "investment", 10),
    ("Remote work and digital nomads", "remote-work", 15),
    ("Residence permits", "residence-permits", 25),
]

# The countries demo nationality rules list.
NEIGHBOURS = ["AM", "BY", "DE", "FR", "IN", "KG", "RU", "TR", "US", "UZ"]

# Countries grow as the number of routes to this power: 50 at 1,000, 200 at 10,000.
COUNTRIES_AT_1000 = 50
COUNTRY_GROWTH = 0.6
# A country's weight is 1/sqrt(its rank + RANK_OFFSET): at 1,000 routes the
# largest country has 34 and the smallest 14 (20 on average); at 10,000, 139
# and 31 (50 on average).
RANK_OFFSET = 10

# A country's sources: at least 8, more for a country with many routes; each
# route cites a window of 8 of them (all of them when there are 8).
SOURCES_PER_COUNTRY = 8
SOURCES_PER_ROUTE = 0.4
SOURCES_PER_ROUTE_PAGE = 8

# The content was loaded this long ago; a share of the routes was edited since.
LOADED_DAYS_AGO = 120
EDITED_SHARE = 0.3
EDITORS = 3
BATCH = 2000
# The models whose rows say when they last changed (``updated_at``).
DATED = (Category, Country, Source, Route)
# Fixed dates for what the sources say, so that the content is the same on any day.
TODAY = datetime.date(2026, 6, 1)


def country_count(routes):
    """How many countries ``routes`` routes are spread over (each gets at least one)."""
    grown = round(COUNTRIES_AT_1000 * (routes / 1000) ** COUNTRY_GROWTH)
    return max(1, min(grown, routes, len(pycountry.countries)))


def apportion(total, weights):
    """Whole numbers proportional to ``weights`` that add up to ``total`` (largest remainders)."""
    whole = sum(weights)
    exact = [total * weight / whole for weight in weights]
    parts = [math.floor(share) for share in exact]
    by_remainder = sorted(range(len(parts)), key=lambda i: exact[i] - parts[i], reverse=True)
    for i in by_remainder[: total - sum(parts)]:
        parts[i] += 1
    return parts


@dataclass(frozen=True)
class Shape:
    """How many routes each country and each category gets."""

    countries: list  # routes per country, in the order the countries are made
    categories: list  # routes per category, in the order of CATEGORIES

    @classmethod
    def of(cls, routes):
        ranks = range(country_count(routes))
        return cls(
            countries=apportion(routes, [1 / math.sqrt(rank + RANK_OFFSET) for rank in ranks]),
            categories=apportion(routes, [share for _, _, share in CATEGORIES]),
        )


def sources_for(route_count):
    return max(SOURCES_PER_COUNTRY, math.ceil(route_count * SOURCES_PER_ROUTE))


class Command(BaseCommand):
    help = "Fill an empty database with demo routes (never on a database with content)."

    def add_arguments(self, parser):
        parser.add_argument("--routes", type=int, default=1000, help="routes in all")
        parser.add_argument("--seed", type=int, default=1)

    def handle(self, *args, routes, seed, **options):
        if routes < 1:
            raise CommandError("--routes must be at least 1.")
        refuse_unless_empty()
        shape = Shape.of(routes)
        with transaction.atomic():
            DemoContent(random.Random(seed), shape).generate()
            freshness.changed()
        self.stdout.write(
            f"Generated {routes} routes of demo content in {len(shape.countries)} countries "
            f"({max(shape.countries)} in the largest) and {len(shape.categories)} categories."
        )


def refuse_unless_empty():
    """Demo content goes only into a database without content of any kind."""
    held = [
        str(model._meta.verbose_name_plural)
        for model in (Country, Category, Source, Route, ReferenceRate)
        if model.objects.exists()
    ]
    if held:
        raise CommandError(
            f"This database already holds content ({', '.join(held)}); "
            "demo content goes only into an empty one."
        )


class DemoContent:
    """The demo content of one shape, written country by country."""

    def __init__(self, rng, shape):
        self.rng = rng
        self.shape = shape
        self.now = timezone.now()
        self.loaded_at = self.now - datetime.timedelta(days=LOADED_DAYS_AGO)

    def generate(self):
        categories = self.make_categories()
        pairs = zip(categories, self.shape.categories, strict=True)
        order = [category for category, count in pairs for _ in range(count)]
        self.rng.shuffle(order)
        editors = self.make_editors()
        self.make_rates()
        start = 0
        for country, count in zip(self.make_countries(), self.shape.countries, strict=True):
            self.fill(country, order[start : start + count], editors)
            start += count
        self.date_the_load()

    def make_categories(self):
        categories = Category.objects.bulk_create(
            Category(name=name, slug=slug, position=i)
            for i, (name, slug, _) in enumerate(CATEGORIES, start=1)
        )
        return self.loaded(Category, categories)

    def make_countries(self):
        # In ISO 3166's order, the largest first: `make bench` measures the first country.
        chosen = list(pycountry.countries)[: len(self.shape.countries)]
        countries = Country.objects.bulk_create(
            Country(
                code=country.alpha_2,
                name=country.name,
                slug=f"demo-{country.alpha_2.lower()}",
                portal_name=f"Demo portal of {country.name}",
                portal_url=f"https://portal.{country.alpha_2.lower()}.example/",
            )
            for country in chosen
        )
        return self.loaded(Country, countries)

    def make_editors(self):
        """Editors to whom the demo edits are attributed; they cannot sign in."""
        group = Group.objects.filter(name="Editor").first()
        editors = []
        for n in range(1, EDITORS + 1):
            editor, created = get_user_model().objects.get_or_create(username=f"demo-editor-{n}")
            if created:
                editor.set_unusable_password()
                editor.save()
                if group:
                    editor.groups.add(group)
            editors.append(editor)
        return editors

    def make_rates(self):
        """Made-up euro rates for the currencies demo amounts are stated in."""
        source = Source(
            ref="demo-rates",
            url="https://rates.example/euro",
            title="Demo euro reference rates",
            publisher="rates.example",
            kind="official",
            page_date=TODAY,
            quote="Demo quote: 1 EUR = 1.10 USD, 0.85 GBP.",
        )
        self.loaded(Source, Source.objects.bulk_create([source]))
        rates = ReferenceRate.objects.bulk_create(
            ReferenceRate(currency=currency, per_euro=rate, day=TODAY, source=source)
            for currency, rate in [("USD", "1.10"), ("GBP", "0.85")]
        )
        self.loaded(ReferenceRate, rates)

    def fill(self, country, categories, editors):
        """A country's sources, routes and rows, their history, and editors' changes since."""
        made = Source.objects.bulk_create(self.sources(country, len(categories)))
        sources = self.loaded(Source, made)
        routes = Route.objects.bulk_create(
            Route(
                country=country,
                category=category,
                slug=f"demo-route-{r}",
                official_name=f"Demo route {r} of {country.name}",
                code=f"D{r}",
                status="published",
                summary=f"Demo content: a made-up route {r} for {country.name}, "
                "for benchmarks only.",
            )
            for r, category in enumerate(categories, start=1)
        )
        pages = [DemoRoute(self.rng, route, window(sources, i)) for i, route in enumerate(routes)]
        for model in (Fact, Document, Step, Question):
            rows = [row for page in pages for row in page.rows[model]]
            self.loaded(model, model.objects.bulk_create(rows, batch_size=BATCH))
        self.loaded(Route, routes)
        edited = [page for page in pages if self.rng.random() < EDITED_SHARE]
        self.edit(edited, editors)
        Route.objects.bulk_update(routes, ["updated_at"], batch_size=BATCH)

    def sources(self, country, route_count):
        code = country.code.lower()
        return [
            Source(
                ref=f"demo-{code}-{n}",
                url=f"https://gov.{code}.example/page-{n}",
                title=f"Demo official page {n} of {country.name}",
                publisher=f"gov.{code}.example",
                kind=self.rng.choice(["official", "official", "agency", "secondary"]),
                page_date=TODAY - datetime.timedelta(days=self.rng.randint(0, 900)),
                verified_on=self.rng.choice(
                    [None, TODAY - datetime.timedelta(days=self.rng.randint(0, 400))]
                ),
                quote=f"Demo quote {n}: the applicant must meet the conditions of this page.",
            )
            for n in range(1, sources_for(route_count) + 1)
        ]

    def loaded(self, model, objects):
        """Record each object as a load of fixtures records it (``publishing.loads``),
        dated when the demo content was loaded."""
        if model in DATED:
            for each in objects:
                each.updated_at = self.loaded_at
        model.history.bulk_history_create(
            objects,
            batch_size=BATCH,
            default_change_reason=LOAD_REASON,
            default_date=self.loaded_at,
        )
        return objects

    def date_the_load(self):
        """Saved in bulk, rows carry the time they were written; they were loaded earlier.

        The database held no content before (``refuse_unless_empty``), so every
        row is demo content. Routes are dated as they are written (``fill``).
        """
        for model in (Category, Country, Source):
            model.objects.update(updated_at=self.loaded_at)

    def edit(self, pages, editors):
        """Editors' changes since the load: rows saved again, each with its history
        record, and the changes in words the site writes from those records."""
        edits = {Fact: [], Document: []}
        for page in pages:
            for row in page.edit(self.rng):
                row._history_date = self.when_edited()
                row._history_user = self.rng.choice(editors)
                edits[type(row)].append(row)
                page.route.updated_at = max(page.route.updated_at, row._history_date)
        for model, fields in ((Fact, ["minimum", "maximum"]), (Document, ["name"])):
            model.objects.bulk_update(edits[model], fields, batch_size=BATCH)
            model.history.bulk_history_create(edits[model], batch_size=BATCH, update=True)
        self.write_changes([page.route.pk for page in pages])

    def when_edited(self):
        span = (self.now - self.loaded_at).total_seconds()
        return self.loaded_at + datetime.timedelta(seconds=self.rng.uniform(3600, span - 3600))

    def write_changes(self, route_ids):
        since = self.loaded_at + datetime.timedelta(seconds=1)
        Change.objects.bulk_create(
            (
                Change(
                    route_id=line.route_id,
                    when=line.when,
                    text=line.text,
                    kind=line.kind,
                    object_id=line.object_id,
                    history_id=line.history_id,
                    public=True,
                    user=line.user,
                )
                for line in history_lines(route_ids=route_ids, since=since)
            ),
            batch_size=BATCH,
        )


def window(sources, index):
    """The sources route ``index`` of a country cites: SOURCES_PER_ROUTE_PAGE of them in turn."""
    start = index * SOURCES_PER_ROUTE_PAGE
    return [sources[(start + n) % len(sources)] for n in range(SOURCES_PER_ROUTE_PAGE)]


class DemoRoute:
    """The rows of one demo route's page, each citing one of its sources."""

    def __init__(self, rng, route, sources):
        self.route = route
        self.rng = rng
        self.sources = sources
        self.rows = {Fact: self.facts(), Document: [], Step: [], Question: []}
        self.add_documents_steps_and_questions()

    def cite(self):
        return self.rng.choice(self.sources)

    def facts(self):
        facts = [self.requirement(criterion) for criterion in self.rng.sample(list(Criterion), 8)]
        for text, amount in [("Application fee", self.rng.randint(50, 500)), ("Permit card", 40)]:
            facts.append(
                Fact(topic="fee", text=text, minimum=amount, unit="USD", source=self.cite())
            )
        for topic, low, high, unit in [
            ("processing_time", 5, self.rng.randint(10, 60), "working_days"),
            ("validity", None, self.rng.choice([1, 2, 3, 5]), "years"),
        ]:
            facts.append(
                Fact(topic=topic, minimum=low, maximum=high, unit=unit, source=self.cite())
            )
        pathway = self.rng.choice(["yes", "no", "indirect"])
        facts.append(Fact(topic="permanent_residence", pathway=pathway, source=self.cite()))
        for position, fact in enumerate(facts, start=1):
            fact.route, fact.position = self.route, position
        return facts

    def requirement(self, criterion):
        rng = self.rng
        fact = Fact(
            topic=criterion,
            status="required",
            source=self.cite(),
            text=rng.choice(["", "valid in the country"]),
        )
        if criterion == Criterion.AGE:
            fact.minimum, fact.maximum = 18, rng.choice([45, 50, 60, 65])
        elif criterion in (Criterion.INCOME, Criterion.INVESTMENT):
            fact.minimum = rng.choice([1500, 3000, 50000])
            fact.unit = rng.choice(["USD", "EUR", "GBP"])
            fact.period = "month" if criterion == Criterion.INCOME else ""
        elif criterion == Criterion.EDUCATION:
            fact.level = rng.choice(EducationLevel.values[1:])
        elif criterion == Criterion.NATIONALITY:
            fact.nationality_rule = rng.choice(
                [NationalityRule.ONLY, NationalityRule.EXCLUDED, NationalityRule.NOT_NEEDED]
            )
            fact.countries = " ".join(rng.sample(NEIGHBOURS, 4))
        return fact

    def add_documents_steps_and_questions(self):
        route, rng = self.route, self.rng
        for n in range(1, 9):
            self.rows[Document].append(
                Document(
                    route=route,
                    position=n,
                    name=f"Demo document {n}",
                    applies_to=rng.choice(["both", "first", "extension"]),
                    source=self.cite(),
                )
            )
        for n in range(1, 5):
            self.rows[Step].append(
                Step(route=route, position=n, text=f"Demo step {n}.", source=self.cite())
            )
        for n in range(1, 4):
            self.rows[Question].append(
                Question(
                    route=route,
                    position=n,
                    question=f"Demo question {n}?",
                    answer="A demo answer.",
                    source=self.cite(),
                )
            )

    def edit(self, rng):
        """One to three rows changed as an editor would: the application fee, the
        processing time, a document's name. Returns the rows, changed in memory."""
        fee = next(f for f in self.rows[Fact] if f.text == "Application fee")
        timing = next(f for f in self.rows[Fact] if f.topic == "processing_time")
        document = rng.choice(self.rows[Document])
        edited = rng.sample([fee, timing, document], rng.randint(1, 3))
        if fee in edited:
            fee.minimum = max(10, fee.minimum + rng.choice([-20, 10, 25, 50]))
        if timing in edited:
            timing.maximum = max(timing.minimum + 1, timing.maximum + rng.choice([-5, 5, 10, 15]))
        if document in edited:
            document.name = f"{document.name}, certified copy"
        return edited
