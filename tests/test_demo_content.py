"""The demo content `make bench` measures: a realistic shape at any size, never over real content."""

from io import StringIO

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError
from django.db.models import Count, Max

from publishing import freshness
from publishing.loads import LOAD_REASON
from routes.management.commands.generate_demo_content import CATEGORIES, Shape
from routes.models import (
    Category,
    Change,
    Country,
    Document,
    Fact,
    Question,
    Route,
    Source,
    Step,
)

from .factories import CategoryFactory

SIZE = 120


def generate(routes=SIZE):
    out = StringIO()
    call_command("generate_demo_content", "--routes", str(routes), stdout=out)
    return out.getvalue()


def test_ten_thousand_routes_take_the_shape_of_a_large_catalogue():
    shape = Shape.of(10_000)
    assert sum(shape.countries) == sum(shape.categories) == 10_000
    assert 190 <= len(shape.countries) <= 210
    assert max(shape.countries) >= 100
    assert min(shape.countries) >= 20
    assert max(shape.categories) >= 2_000


def test_a_thousand_routes_keep_the_benchmark_s_shape():
    """50 countries of 20 routes on average, in the five categories."""
    shape = Shape.of(1_000)
    assert len(shape.countries) == 50
    assert sum(shape.countries) == 1_000
    assert min(shape.countries) >= 10 and max(shape.countries) <= 40
    assert len(shape.categories) == len(CATEGORIES) == 5


@pytest.mark.parametrize("routes", [*range(1, 60), 100, 999, 1001, 30_000])
def test_every_country_and_category_count_adds_up_at_any_size(routes):
    shape = Shape.of(routes)
    assert sum(shape.countries) == sum(shape.categories) == routes
    assert min(shape.countries) >= 1
    assert shape.countries == sorted(shape.countries, reverse=True)


@pytest.mark.django_db
def test_the_content_follows_the_shape(client):
    out = generate()
    shape = Shape.of(SIZE)
    per_country = Country.objects.annotate(n=Count("routes")).order_by("id")
    assert [country.n for country in per_country] == shape.countries
    per_category = Category.objects.annotate(n=Count("routes")).order_by("position")
    assert [category.n for category in per_category] == shape.categories
    assert all(country.slug.startswith("demo-") for country in per_country)
    assert f"Generated {SIZE} routes" in out
    assert Route.objects.published().count() == SIZE


@pytest.mark.django_db
def test_every_route_has_a_full_page_citing_several_of_its_country_s_sources(client):
    generate()
    for model, count in [(Fact, 13), (Document, 8), (Step, 4), (Question, 3)]:
        per_route = set(model.objects.values("route").annotate(n=Count("id")).values_list("n"))
        assert per_route == {(count,)}, model
    for route in Route.objects.all():
        cited = Source.objects.filter(fact__route=route).distinct()
        assert cited.count() >= 4
        assert {s.ref.split("-")[1] for s in cited} == {route.country.code.lower()}
    route = Route.objects.order_by("id").first()
    assert client.get(route.get_absolute_url()).status_code == 200


@pytest.mark.django_db
def test_history_is_what_a_load_and_later_edits_leave():
    before = freshness.read()
    generate()
    for model in (Country, Category, Source, Route, Fact, Document, Step, Question):
        loaded = model.history.filter(history_type="+", history_change_reason=LOAD_REASON)
        assert loaded.count() == model.objects.count(), model
    edits = [
        *Fact.history.filter(history_type="~"),
        *Document.history.filter(history_type="~"),
    ]
    assert len(edits) >= SIZE * 0.2
    assert all(edit.history_user.username.startswith("demo-editor-") for edit in edits)
    changes = Change.objects.public()
    assert changes.count() == len(edits)
    assert {(c.kind, c.history_id) for c in changes} == {
        (e.instance_type._meta.model_name, e.history_id) for e in edits
    }
    assert all(" changed from " in change.text for change in changes)
    assert freshness.read() > before


@pytest.mark.django_db
def test_a_route_was_last_changed_by_its_latest_edit_or_the_load():
    generate()
    loaded = Route.history.aggregate(at=Max("history_date"))["at"]
    latest = dict(Change.objects.values_list("route").annotate(at=Max("when")))
    for route in Route.objects.all():
        assert route.updated_at == latest.get(route.pk, loaded)
    assert set(Country.objects.values_list("updated_at", flat=True)) == {loaded}


@pytest.mark.django_db
def test_it_refuses_a_database_with_real_content(content):
    routes = Route.objects.count()
    with pytest.raises(CommandError, match="already holds content"):
        generate()
    assert Route.objects.count() == routes
    assert not Country.objects.filter(slug__startswith="demo-").exists()


@pytest.mark.django_db
def test_it_refuses_any_content_at_all_and_a_second_run():
    CategoryFactory()
    with pytest.raises(CommandError, match="categories"):
        generate()
    Category.objects.all().delete()
    generate(10)
    with pytest.raises(CommandError, match="already holds content"):
        generate(10)
    assert Route.objects.count() == 10
