"""Editors create a whole route in the admin: route fields and every inline."""

import pytest
from django.contrib.auth import get_user_model

from routes.models import Fact, Route

from .factories import CategoryFactory, CountryFactory, SourceFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def editor(client):
    user = get_user_model().objects.create_superuser("editor", "editor@example.com", "pw-123456!")
    client.force_login(user)
    return client


def inline(prefix, rows):
    data = {
        f"{prefix}-TOTAL_FORMS": str(len(rows)),
        f"{prefix}-INITIAL_FORMS": "0",
        f"{prefix}-MIN_NUM_FORMS": "0",
        f"{prefix}-MAX_NUM_FORMS": "1000",
    }
    for i, row in enumerate(rows):
        data.update({f"{prefix}-{i}-{key}": value for key, value in row.items()})
    return data


def route_form(country, category, source, **extra):
    data = {
        "country": country.pk,
        "category": category.pk,
        "status": "published",
        "official_name": "Skilled worker permit",
        "common_name": "",
        "code": "SW-1",
        "slug": "skilled-worker-permit",
        "summary": "For skilled workers with a job offer.",
        **inline(
            "facts",
            [
                {
                    "position": "1",
                    "topic": "age",
                    "status": "required",
                    "minimum": "18",
                    "maximum": "60",
                    "source": source.pk,
                    "standing": "current",
                }
            ],
        ),
        **inline(
            "facts-2",
            [
                {
                    "position": "2",
                    "text": "Permit fee",
                    "minimum": "155",
                    "unit": "CAD",
                    "applies_to": "both",
                    "source": source.pk,
                    "standing": "current",
                }
            ],
        ),
        **inline(
            "facts-3",
            [
                {
                    "position": "3",
                    "topic": "processing_time",
                    "minimum": "2",
                    "maximum": "3",
                    "unit": "weeks",
                    "source": source.pk,
                    "standing": "current",
                }
            ],
        ),
        **inline(
            "documents",
            [{"position": "1", "name": "Passport", "applies_to": "both", "source": source.pk}],
        ),
        **inline("steps", [{"position": "1", "text": "Apply online", "url": ""}]),
        **inline(
            "questions",
            [
                {
                    "position": "1",
                    "question": "Can my family come?",
                    "answer": "The source does not say.",
                    "source": source.pk,
                }
            ],
        ),
    }
    data.update(extra)
    return data


def test_every_model_is_in_the_admin(editor):
    for path in ["country", "category", "source", "route"]:
        assert editor.get(f"/admin/routes/{path}/").status_code == 200
        assert editor.get(f"/admin/routes/{path}/add/").status_code == 200


def test_a_route_is_created_end_to_end(editor):
    country, category, source = (
        CountryFactory(code="CA", name="Canada"),
        CategoryFactory(),
        SourceFactory(),
    )
    response = editor.post("/admin/routes/route/add/", route_form(country, category, source))
    assert response.status_code == 302, response.context["errors"] if response.context else response
    route = Route.objects.get(slug="skilled-worker-permit")
    assert sorted(Fact.objects.filter(route=route).values_list("topic", flat=True)) == [
        "age",
        "fee",
        "processing_time",
    ]
    assert route.documents.count() == route.steps.count() == route.questions.count() == 1
    page = editor.get(route.get_absolute_url()).content.decode()
    assert "Permit fee:" in page and "155 CAD" in page and "2–3 weeks" in page


def test_the_admin_shows_plain_messages(editor):
    country, category, source = (
        CountryFactory(code="CA", name="Canada"),
        CategoryFactory(),
        SourceFactory(),
    )
    data = route_form(country, category, source)
    data["facts-0-minimum"], data["facts-0-maximum"] = "61", "18"
    data["facts-2-0-unit"] = "ZZZ"
    response = editor.post("/admin/routes/route/add/", data)
    assert response.status_code == 200
    page = response.content.decode()
    assert "The upper bound must not be smaller than the lower bound." in page
    assert "“ZZZ” is not a known currency code" in page
    assert not Route.objects.exists()


@pytest.mark.parametrize("routes", [1, 25])
def test_route_list_query_count_is_constant(editor, django_assert_num_queries, routes):
    from .factories import RouteFactory

    RouteFactory.create_batch(routes)
    with django_assert_num_queries(7):
        assert editor.get("/admin/routes/route/").status_code == 200
