"""Time the checker's results page over many routes, then leave no trace.

    python manage.py bench_checker --routes 1000

Creates the routes (each with the seed route's five requirements) inside a
transaction that is rolled back, requests the results page a few times and
prints the queries and the times. A benchmark to read, not a timed test.
"""

import statistics
import time

from django.core.management.base import BaseCommand
from django.db import connection, transaction
from django.test import Client
from django.test.utils import CaptureQueriesContext

from routes.models import Category, Country, Fact, Route, Source

QUERY = (
    "/check/results/?age=30&job_offer=yes&employer_sponsor=yes"
    "&health_insurance=yes&medical_exam=yes"
)


class Rollback(Exception):
    pass


class Command(BaseCommand):
    help = "Time /check/results/ over N published routes (created and rolled back)."

    def add_arguments(self, parser):
        parser.add_argument("--routes", type=int, default=1000)
        parser.add_argument("--runs", type=int, default=5)

    def handle(self, *args, routes, runs, **options):
        try:
            with transaction.atomic():
                self._create(routes)
                self._measure(runs)
                raise Rollback
        except Rollback:
            pass

    def _create(self, count):
        country, _ = Country.objects.get_or_create(
            code="ZZ", defaults={"name": "Benchmark land", "slug": "benchmark-land"}
        )
        category, _ = Category.objects.get_or_create(
            slug="benchmark", defaults={"name": "Benchmark"}
        )
        source = Source.objects.create(
            url="https://bench.example/",
            title="Bench",
            publisher="Bench",
            kind="official",
            quote="Bench.",
        )
        made = Route.objects.bulk_create(
            Route(
                country=country,
                category=category,
                slug=f"bench-{n}",
                official_name=f"Benchmark route {n}",
                summary="A route for the benchmark.",
                status="published",
            )
            for n in range(count)
        )
        topics = ["job_offer", "employer_sponsor", "health_insurance", "medical_exam"]
        facts = [
            Fact(route=route, topic=topic, status="required", source=source, position=p)
            for route in made
            for p, topic in enumerate(topics, start=1)
        ]
        facts += [
            Fact(
                route=r,
                topic="age",
                status="required",
                minimum=18,
                maximum=60,
                source=source,
                position=5,
            )
            for r in made
        ]
        Fact.objects.bulk_create(facts)
        self.stdout.write(f"{Route.objects.published().count()} published routes")

    def _measure(self, runs):
        client = Client()
        times = []
        for _ in range(runs):
            with CaptureQueriesContext(connection) as queries:
                start = time.perf_counter()
                response = client.get(QUERY, HTTP_HOST="127.0.0.1")
                times.append(time.perf_counter() - start)
            assert response.status_code == 200, response.status_code
        self.stdout.write(
            f"{len(queries)} queries; {len(response.content) // 1024} KiB; "
            f"median {statistics.median(times) * 1000:.0f} ms, best {min(times) * 1000:.0f} ms "
            f"over {runs} runs"
        )
