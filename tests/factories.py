import datetime

import factory

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


class CountryFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Country
        django_get_or_create = ["code"]

    code = factory.Iterator(["KZ", "AE", "CA", "DE", "GE", "UZ", "GB", "FR", "IT", "ES"])
    name = factory.LazyAttribute(
        lambda o: {"KZ": "Kazakhstan", "AE": "United Arab Emirates"}.get(
            o.code, f"Country {o.code}"
        )
    )
    slug = factory.LazyAttribute(lambda o: o.name.lower().replace(" ", "-"))


class CategoryFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Category
        django_get_or_create = ["slug"]

    name = "Employer-sponsored work"
    slug = factory.LazyAttribute(lambda o: o.name.lower().replace(" ", "-"))


class SourceFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Source

    url = factory.Sequence(lambda n: f"https://www.gov.example/page-{n}")
    title = factory.Sequence(lambda n: f"Official page {n}")
    publisher = "gov.example"
    kind = "official"
    verified_on = datetime.date(2026, 6, 24)
    quote = "The exact words of the page."


class RouteFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Route

    country = factory.SubFactory(CountryFactory)
    category = factory.SubFactory(CategoryFactory)
    official_name = factory.Sequence(lambda n: f"Work permit number {n}")
    slug = factory.Sequence(lambda n: f"work-permit-{n}")
    summary = "A permit to work for an employer in the country."
    status = "published"


class FactFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Fact

    route = factory.SubFactory(RouteFactory)
    topic = "job_offer"
    status = "required"
    source = factory.SubFactory(SourceFactory)


class RequirementFactory(FactFactory):
    pass


class FeeFactory(FactFactory):
    topic = "fee"
    status = ""
    text = "Application fee"
    minimum = 155
    unit = "CAD"


class FigureFactory(FactFactory):
    topic = "processing_time"
    status = ""
    minimum = 2
    maximum = 2
    unit = "days"


def route_processed_in(days):
    """A published route whose page says it is processed in ``days`` days: a
    test edits that figure and looks for the new number on the page."""
    route = RouteFactory()
    FigureFactory(route=route, minimum=days, maximum=days)
    return route


class DocumentFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Document

    route = factory.SubFactory(RouteFactory)
    name = factory.Sequence(lambda n: f"Document {n}")
    source = factory.SubFactory(SourceFactory)


class StepFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Step

    route = factory.SubFactory(RouteFactory)
    text = factory.Sequence(lambda n: f"Step {n}")


class QuestionFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Question

    route = factory.SubFactory(RouteFactory)
    question = factory.Sequence(lambda n: f"Question {n}?")
    answer = "An answer from the source."
    source = factory.SubFactory(SourceFactory)


class ReferenceRateFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = ReferenceRate

    currency = "USD"
    per_euro = "1.1756"
    day = datetime.date(2025, 7, 24)
    source = factory.SubFactory(
        SourceFactory, publisher="European Central Bank", title="Euro reference rates"
    )


class SourceCheckFactory(factory.django.DjangoModelFactory):
    """A check of a source's page that found the quote (pass outcome=... for others)."""

    class Meta:
        model = "routes.SourceCheck"

    source = factory.SubFactory(SourceFactory)
    checked_at = factory.LazyFunction(lambda: datetime.datetime.now(datetime.UTC))
    address = factory.LazyAttribute(lambda o: o.source.url)
    http_status = 200
    final_address = factory.LazyAttribute(lambda o: o.address)
    outcome = "ok"
    # What the outcome says of the quote (the model's constraint holds them together).
    quote_found = factory.LazyAttribute(
        lambda o: {"ok": True, "moved": True, "page_changed": True, "quote_missing": False}.get(
            o.outcome
        )
    )
    fingerprint = "0" * 64
