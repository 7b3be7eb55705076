"""Fill an empty database with made-up routes, for benchmarks and load tests.

    python manage.py generate_demo_content --countries 50 --routes 20

Every country, route and source it writes is labelled as demo content. It
refuses a database that already holds routes, so it can never mix with (or
touch) the real content.
"""

import datetime
import random

import pycountry
from django.core.management.base import BaseCommand, CommandError
from django.db import transaction

from publishing import freshness
from routes.models import (
    Category,
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

CATEGORIES = [
    ("Employer-sponsored work", "employer-sponsored-work"),
    ("Family", "family"),
    ("Investment", "investment"),
    ("Remote work and digital nomads", "remote-work"),
    ("Residence permits", "residence-permits"),
]

# The countries demo nationality rules list.
NEIGHBOURS = ["AM", "BY", "DE", "FR", "IN", "KG", "RU", "TR", "US", "UZ"]


class Command(BaseCommand):
    help = "Fill an empty database with demo routes (never on a database with routes)."

    def add_arguments(self, parser):
        parser.add_argument("--countries", type=int, default=50)
        parser.add_argument("--routes", type=int, default=20, help="routes per country")
        parser.add_argument("--seed", type=int, default=1)

    def handle(self, *args, countries, routes, seed, **options):
        if Route.objects.exists():
            raise CommandError("This database already holds routes; use an empty one.")
        rng = random.Random(seed)
        with transaction.atomic():
            self.generate(rng, countries, routes)
            freshness.changed()
        self.stdout.write(f"Generated {countries} countries × {routes} routes of demo content.")

    def generate(self, rng, country_count, route_count):
        categories = [
            Category.objects.get_or_create(slug=slug, defaults={"name": name, "position": i})[0]
            for i, (name, slug) in enumerate(CATEGORIES, start=1)
        ]
        taken = set(Country.objects.values_list("code", flat=True))
        codes = [c.alpha_2 for c in pycountry.countries if c.alpha_2 not in taken][:country_count]
        today = datetime.date(2026, 6, 1)
        facts, documents, steps, questions = [], [], [], []
        for code in codes:
            name = pycountry.countries.get(alpha_2=code).name
            country = Country.objects.create(
                code=code,
                name=f"{name}",
                slug=f"demo-{code.lower()}",
                portal_name=f"Demo portal of {name}",
                portal_url=f"https://portal.{code.lower()}.example/",
            )
            sources = Source.objects.bulk_create(
                Source(
                    ref=f"demo-{code.lower()}-{n}",
                    url=f"https://gov.{code.lower()}.example/page-{n}",
                    title=f"Demo official page {n} of {name}",
                    publisher=f"gov.{code.lower()}.example",
                    kind=rng.choice(["official", "official", "agency", "secondary"]),
                    page_date=today - datetime.timedelta(days=rng.randint(0, 900)),
                    verified_on=rng.choice(
                        [None, today - datetime.timedelta(days=rng.randint(0, 400))]
                    ),
                    quote=f"Demo quote {n}: the applicant must meet the conditions of this page.",
                )
                for n in range(1, 9)
            )
            for r in range(1, route_count + 1):
                route = Route.objects.create(
                    country=country,
                    category=categories[r % len(categories)],
                    slug=f"demo-route-{r}",
                    official_name=f"Demo route {r} of {name}",
                    code=f"D{r}",
                    status="published",
                    summary=f"Demo content: a made-up route {r} for {name}, for benchmarks only.",
                )
                self.rows(rng, route, sources, facts, documents, steps, questions)
        Fact.objects.bulk_create(facts, batch_size=2000)
        self.rates(today)
        Document.objects.bulk_create(documents, batch_size=2000)
        Step.objects.bulk_create(steps, batch_size=2000)
        Question.objects.bulk_create(questions, batch_size=2000)

    def rates(self, today):
        """Made-up euro rates for the currencies demo amounts are stated in."""
        source = Source.objects.create(
            ref="demo-rates",
            url="https://rates.example/euro",
            title="Demo euro reference rates",
            publisher="rates.example",
            kind="official",
            page_date=today,
            quote="Demo quote: 1 EUR = 1.10 USD, 0.85 GBP.",
        )
        ReferenceRate.objects.bulk_create(
            ReferenceRate(currency=currency, per_euro=rate, day=today, source=source)
            for currency, rate in [("USD", "1.10"), ("GBP", "0.85")]
        )

    def rows(self, rng, route, sources, facts, documents, steps, questions):
        position = 0
        for criterion in rng.sample(list(Criterion), 8):
            position += 1
            fact = Fact(
                route=route,
                position=position,
                topic=criterion,
                status="required",
                source=rng.choice(sources),
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
            facts.append(fact)
        for text, amount in [("Application fee", rng.randint(50, 500)), ("Permit card", 40)]:
            position += 1
            facts.append(
                Fact(
                    route=route,
                    position=position,
                    topic="fee",
                    text=text,
                    minimum=amount,
                    unit="USD",
                    source=rng.choice(sources),
                )
            )
        for topic, low, high, unit in [
            ("processing_time", 5, rng.randint(10, 60), "working_days"),
            ("validity", None, rng.choice([1, 2, 3, 5]), "years"),
        ]:
            position += 1
            facts.append(
                Fact(
                    route=route,
                    position=position,
                    topic=topic,
                    minimum=low,
                    maximum=high,
                    unit=unit,
                    source=rng.choice(sources),
                )
            )
        position += 1
        facts.append(
            Fact(
                route=route,
                position=position,
                topic="permanent_residence",
                pathway=rng.choice(["yes", "no", "indirect"]),
                source=rng.choice(sources),
            )
        )
        for n in range(1, 9):
            documents.append(
                Document(
                    route=route,
                    position=n,
                    name=f"Demo document {n}",
                    applies_to=rng.choice(["both", "first", "extension"]),
                    source=rng.choice(sources),
                )
            )
        for n in range(1, 5):
            steps.append(
                Step(route=route, position=n, text=f"Demo step {n}.", source=rng.choice(sources))
            )
        for n in range(1, 4):
            questions.append(
                Question(
                    route=route,
                    position=n,
                    question=f"Demo question {n}?",
                    answer="A demo answer.",
                    source=rng.choice(sources),
                )
            )
