"""Editors get plain, field-level messages for every rule."""

import datetime

import pytest

from routes.models import Route

from .factories import CategoryFactory, CountryFactory, SourceFactory
from .test_admin import route_form

pytestmark = pytest.mark.django_db


@pytest.fixture
def editor(client, django_user_model):
    client.force_login(django_user_model.objects.create_superuser("ed", "ed@example.com", "pw"))
    return client


@pytest.fixture
def parts(db):
    return CountryFactory(code="CA", name="Canada"), CategoryFactory(), SourceFactory()


def post_route(editor, parts, **changes):
    data = route_form(*parts)
    data.update(changes)
    return editor.post("/admin/routes/route/add/", data)


def test_fee_amount_must_not_be_negative(editor, parts):
    response = post_route(editor, parts, **{"facts-2-0-minimum": "-1"})
    assert "Amounts and bounds cannot be negative." in response.content.decode()
    assert not Route.objects.exists()


def test_fee_needs_a_known_currency(editor, parts):
    response = post_route(editor, parts, **{"facts-2-0-unit": ""})
    assert "Give the currency (ISO 4217, e.g. USD) or local unit." in response.content.decode()


def test_every_row_of_a_published_route_cites_a_source(editor, parts):
    response = post_route(editor, parts, **{"documents-0-source": ""})
    assert "A published route must cite the source of every row: pick one." in (
        response.content.decode()
    )
    assert not Route.objects.exists()


def test_a_route_cannot_be_published_without_a_source(editor, parts):
    empty = {
        f"{prefix}-TOTAL_FORMS": "0"
        for prefix in ["facts", "facts-2", "facts-3", "documents", "steps", "questions"]
    }
    response = post_route(editor, parts, **empty)
    assert "A route cannot be published without at least one source" in response.content.decode()
    assert not Route.objects.exists()
    response = post_route(editor, parts, status="draft", **empty)
    assert response.status_code == 302
    assert Route.objects.get().status == "draft"


def test_source_urls_must_use_https(editor):
    response = editor.post(
        "/admin/routes/source/add/",
        {
            "url": "http://www.gov.example/page",
            "title": "A page",
            "publisher": "gov.example",
            "kind": "official",
            "quote": "Words.",
            "quote_language": "en",
        },
    )
    assert "Use the page&#x27;s https:// address; plain http:// links are refused." in (
        response.content.decode()
    )


def test_source_dates_cannot_be_in_the_future(editor):
    tomorrow = (datetime.date.today() + datetime.timedelta(days=1)).isoformat()
    response = editor.post(
        "/admin/routes/source/add/",
        {
            "url": "https://www.gov.example/page",
            "title": "A page",
            "publisher": "gov.example",
            "kind": "official",
            "quote": "Words.",
            "quote_language": "en",
            "page_date": tomorrow,
            "verified_on": tomorrow,
        },
    )
    assert response.content.decode().count("This date is in the future.") == 2


def test_country_slug_cannot_take_a_fixed_path(editor):
    response = editor.post(
        "/admin/routes/country/add/", {"code": "FR", "name": "France", "slug": "compare"}
    )
    assert "“compare” is already used by a page of the site; choose another slug." in (
        response.content.decode()
    )


def test_a_published_summary_states_no_figure_or_requirement(editor, parts):
    response = post_route(
        editor,
        parts,
        status="published",
        summary="A work permit, valid for up to 2 years; applicants must have a job offer.",
    )
    page = response.content.decode()
    assert "A summary says what the route is for, in words" in page
    assert "“valid for”, “up to”, “2”, “must”" in page
    assert not Route.objects.exists()
    # A draft may hold a rough summary; plain words pass when published.
    post_route(editor, parts, status="published", summary="A permit to work for an employer.")
    assert Route.objects.get().summary == "A permit to work for an employer."
