"""The real content in fixtures/: natural keys, idempotent loading, a clean round trip."""

import json
from io import StringIO
from pathlib import Path

import pytest
from django.conf import settings
from django.core.management import call_command

from routes.models import Category, Country, Document, Fact, Question, Route, Source, Step

CONTENT = ["country", "category", "source", "route", "fact", "document", "step", "question"]
FIXTURES = sorted((Path(settings.BASE_DIR) / "fixtures").glob("*.json"))


def test_fixtures_carry_no_primary_keys():
    for path in FIXTURES:
        for obj in json.loads(path.read_text()):
            assert "pk" not in obj, f"{path.name}: {obj['model']} has a hard-coded primary key"


@pytest.mark.django_db
def test_loading_twice_adds_nothing(content):
    models = [Country, Category, Source, Route, Fact, Document, Step, Question]
    counts = {m: m.objects.count() for m in models}
    call_command("loaddata", *map(str, FIXTURES), verbosity=0)
    assert {m: m.objects.count() for m in models} == counts


@pytest.mark.django_db
def test_natural_key_round_trip(content, tmp_path):
    out = StringIO()
    content = [f"routes.{m}" for m in CONTENT]
    call_command(
        "dumpdata", *content, natural_foreign=True, natural_primary=True, indent=1, stdout=out
    )
    dumped = json.loads(out.getvalue())
    assert all("pk" not in obj for obj in dumped)
    before = {m: m.objects.count() for m in (Route, Fact, Document, Source)}
    path = tmp_path / "dump.json"
    path.write_text(out.getvalue())
    call_command("loaddata", str(path), verbosity=0)
    assert {m: m.objects.count() for m in before} == before


@pytest.mark.django_db
def test_seed_route_is_published_with_its_source_read_via_a_transcription(content):
    route = Route.objects.published().get(slug="labour-immigrant-work-permit", country__code="KZ")
    assert route.category.slug == "employer-sponsored-work"
    source = Source.objects.get(url="https://egov.kz/cms/en/services/for_foreigners/38-1_mvd")
    assert source.kind == "official"
    # Read via wheretoemigrate.io's transcription: dated by it, not verified here.
    assert source.verified_on is None
    assert source.via_publisher == "wheretoemigrate.io"
    assert str(source.via_date) == "2026-06-24"
    assert not route.facts.filter(source__isnull=True).exclude(status="not_stated").exists()
    assert not route.documents.filter(source__isnull=True).exists()
