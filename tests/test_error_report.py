"""Visitors report errors on a route through a form on its own page."""

import pytest
from django.test import Client

from routes.models import ErrorReport

from .factories import RouteFactory
from .helpers import text_of

pytestmark = pytest.mark.django_db

GOOD = {"message": "The fee changed to 200 USD in 2026.", "source_url": "", "email": ""}


@pytest.fixture
def route(db):
    return RouteFactory()


def report_url(route):
    return f"{route.get_absolute_url()}report/"


def test_the_route_page_links_to_the_form(client, route):
    assert f'href="{report_url(route)}"' in client.get(route.get_absolute_url()).content.decode()


def test_the_form_is_never_kept_by_any_cache(client, route):
    """It carries the visitor's own CSRF token."""
    response = client.get(f"{route.get_absolute_url()}report/")
    assert response.status_code == 200
    assert "no-store" in response["Cache-Control"] and "private" in response["Cache-Control"]


def test_a_report_is_stored_and_confirmed(client, route):
    form = client.get(report_url(route))
    assert form.status_code == 200
    assert "csrfmiddlewaretoken" in form.content.decode()
    response = client.post(report_url(route), GOOD, follow=True)
    assert response.status_code == 200
    assert "Your report on" in text_of(response)
    report = ErrorReport.objects.get()
    assert (report.route, report.status) == (route, "open")


@pytest.mark.parametrize(
    ("data", "message"),
    [
        ({"message": ""}, "This field is required."),
        ({"message": "wrong"}, "Please say a little more"),
        ({"message": "x" * 2001}, "Ensure this value has at most 2000 characters"),
        ({"source_url": "not a link"}, "Enter a valid URL."),
        ({"email": "nobody"}, "Enter a valid email address."),
    ],
)
def test_bad_reports_get_clear_messages(client, route, data, message):
    response = client.post(report_url(route), GOOD | data)
    assert response.status_code == 400
    assert message in text_of(response)
    assert not ErrorReport.objects.exists()


def test_the_honeypot_swallows_bot_reports(client, route):
    response = client.post(report_url(route), GOOD | {"website": "http://spam.example"})
    assert response.status_code == 302
    assert not ErrorReport.objects.exists()


def test_reports_are_rate_limited_per_address(client, route, settings):
    settings.ERROR_REPORTS_PER_HOUR = 2
    for _ in range(2):
        assert client.post(report_url(route), GOOD).status_code == 302
    response = client.post(report_url(route), GOOD)
    assert response.status_code == 429
    assert "several reports in the last hour" in text_of(response)
    other = client.post(report_url(route), GOOD, REMOTE_ADDR="10.0.0.9")
    assert other.status_code == 302
    assert ErrorReport.objects.count() == 3


def test_csrf_is_required(route):
    client = Client(enforce_csrf_checks=True)
    assert client.post(report_url(route), GOOD).status_code == 403


def test_unknown_or_draft_routes_have_no_form(client):
    draft = RouteFactory(status="draft")
    assert client.get(report_url(draft)).status_code == 404


def test_editors_see_reports_with_status_and_route(admin_client, route):
    ErrorReport.objects.create(route=route, message="Wrong fee on this page")
    page = text_of(admin_client.get("/admin/routes/errorreport/"))
    assert "Wrong fee on this page" in page and "Open" in page and route.official_name in page


@pytest.mark.parametrize("count", [1, 20])
def test_report_list_query_count_is_constant(admin_client, django_assert_num_queries, count):
    for route in RouteFactory.create_batch(count):
        ErrorReport.objects.create(route=route, message="Something is wrong")
    with django_assert_num_queries(6):
        assert admin_client.get("/admin/routes/errorreport/").status_code == 200


@pytest.mark.parametrize("count", [1, 20])
def test_report_page_query_count_is_constant(client, django_assert_num_queries, count):
    routes = RouteFactory.create_batch(count, country=RouteFactory().country)
    with django_assert_num_queries(1):
        assert client.get(f"{routes[0].get_absolute_url()}report/").status_code == 200


def test_head_on_the_report_page_answers_like_get(client):
    route = RouteFactory()
    url = f"{route.get_absolute_url()}report/"
    response = client.head(url)
    assert response.status_code == 200
    assert response.content == b""
    assert client.put(url).status_code == 405
