"""Verification dates drive "Last verified", the overdue notice and the review list."""

import datetime

import pytest
from django.db import IntegrityError, transaction
from django.utils import timezone

from routes.models import Source

from .factories import FactFactory, RouteFactory, SourceFactory
from .helpers import MOMENT, source_entry, text_of

pytestmark = pytest.mark.django_db

TODAY = timezone.localdate()


def days_ago(days):
    return TODAY - datetime.timedelta(days=days)


def test_last_verified_is_the_oldest_verification(client):
    fact = FactFactory(source=SourceFactory(verified_on=days_ago(10)))
    FactFactory(route=fact.route, topic="age", source=SourceFactory(verified_on=days_ago(40)))
    text = text_of(client.get(fact.route.get_absolute_url()))
    assert f"Last verified {days_ago(40):%-d %B %Y}." in text


def test_an_overdue_route_shows_a_notice(client, settings):
    settings.REVIEW_AFTER_DAYS = 180
    fact = FactFactory(source=SourceFactory(verified_on=days_ago(200)))
    text = text_of(client.get(fact.route.get_absolute_url()))
    assert (
        f"Last verified {days_ago(200):%-d %B %Y}, more than 6 months ago: check the official "
        "source before relying on it." in text
    )
    fresh = FactFactory(source=SourceFactory(verified_on=days_ago(5)))
    assert "more than 6 months ago" not in text_of(client.get(fresh.route.get_absolute_url()))


def test_review_list_shows_overdue_routes_oldest_first(admin_client):
    old = FactFactory(source=SourceFactory(verified_on=days_ago(400))).route
    older = FactFactory(source=SourceFactory(verified_on=days_ago(500))).route
    never = FactFactory(source=SourceFactory(verified_on=None)).route
    fresh = FactFactory(source=SourceFactory(verified_on=days_ago(3))).route
    RouteFactory(status="draft")
    response = admin_client.get("/admin/routes/route/review/")
    page = response.content.decode()
    assert response.status_code == 200
    assert fresh.official_name not in page
    positions = [page.index(r.official_name) for r in (older, old)]
    assert positions == sorted(positions)
    assert never.official_name in page
    index = text_of(admin_client.get("/admin/"))
    assert "3 published routes to re-verify" in index


def test_mark_sources_verified_today_on_routes_is_recorded(admin_client):
    fact = FactFactory(source=SourceFactory(verified_on=None))
    response = admin_client.post(
        "/admin/routes/route/",
        {"action": "mark_sources_verified", "_selected_action": [fact.route.pk]},
    )
    assert response.status_code == 302
    source = Source.objects.get(pk=fact.source_id)
    assert source.verified_on == TODAY
    assert source.history.latest("history_date").verified_on == TODAY


def test_mark_sources_verified_today_on_sources(admin_client):
    source = SourceFactory(verified_on=None)
    admin_client.post(
        "/admin/routes/source/",
        {"action": "mark_sources_verified", "_selected_action": [source.pk]},
    )
    source.refresh_from_db()
    assert source.verified_on == TODAY


def test_route_list_filters_by_verification_age(admin_client):
    recent = FactFactory(source=SourceFactory(verified_on=days_ago(10))).route
    aging = FactFactory(source=SourceFactory(verified_on=days_ago(120))).route
    never = FactFactory(source=SourceFactory(verified_on=None)).route
    page = admin_client.get("/admin/routes/route/", {"verified": "aging"}).content.decode()
    assert aging.official_name in page
    assert recent.official_name not in page and never.official_name not in page
    page = admin_client.get("/admin/routes/route/", {"verified": "never"}).content.decode()
    assert never.official_name in page and recent.official_name not in page


def test_a_route_becoming_overdue_shows_its_notice_that_day_without_an_edit(client, settings):
    import time_machine

    settings.REVIEW_AFTER_DAYS = 180
    fact = FactFactory(source=SourceFactory(verified_on=days_ago(180)))
    url = fact.route.get_absolute_url()
    response = client.get(url)
    assert "more than 6 months ago" not in text_of(response)
    etag = response["ETag"]
    assert client.get(url, headers={"if-none-match": etag}).status_code == 304

    with time_machine.travel(timezone.now() + datetime.timedelta(days=1), tick=False):
        # Neither the page cache nor the browser's copy of yesterday's page is used.
        assert client.get(url, headers={"if-none-match": etag}).status_code == 200
        assert "more than 6 months ago" in text_of(client.get(url))


COPY = {
    "verified_on": None,
    "via_publisher": "wheretoemigrate.io",
    "via_url": "https://wheretoemigrate.io/guide/programs/kazakhstan/employment-sponsored/",
    "via_date": datetime.date(2026, 6, 24),
}


def test_a_source_read_via_a_copy_says_so_at_each_fact_and_in_the_sources(
    client, django_assert_num_queries
):
    source = SourceFactory(page_date=None, **COPY)
    fact = FactFactory(source=source)
    url = fact.route.get_absolute_url()
    with django_assert_num_queries(MOMENT + 8):
        response = client.get(url)
    text = text_of(response)
    assert (
        f'<a href="#source-1" title="{source.publisher}: {source.title} (as transcribed by '
        'wheretoemigrate.io)">[1]</a>' in response.content.decode()
    )
    assert (
        "as transcribed by wheretoemigrate.io, updated 24 Jun 2026 (the quote is the copy's "
        "text; the original page has not been read here) · the page gives no date · not yet "
        "verified" in source_entry(response, 1)
    )
    assert 'href="https://wheretoemigrate.io/guide/programs/kazakhstan/employment-sponsored/"' in (
        response.content.decode()
    )
    assert "Not yet verified." in text


def test_a_source_read_via_a_copy_cannot_be_marked_verified(admin_client):
    copy = SourceFactory(**COPY)
    original = SourceFactory(verified_on=None)
    response = admin_client.post(
        "/admin/routes/source/",
        {"action": "mark_sources_verified", "_selected_action": [copy.pk, original.pk]},
        follow=True,
    )
    assert response.status_code == 200
    text = text_of(response)
    assert "1 source marked verified on" in text
    assert f"Not marked verified, read via a copy: {copy.title}." in text
    copy.refresh_from_db()
    original.refresh_from_db()
    assert copy.verified_on is None and original.verified_on == TODAY


def test_the_database_refuses_a_verified_date_on_a_copy_and_a_copy_without_its_address():
    with pytest.raises(IntegrityError), transaction.atomic():
        SourceFactory(**(COPY | {"verified_on": TODAY}))
    with pytest.raises(IntegrityError), transaction.atomic():
        SourceFactory(**(COPY | {"via_url": ""}))


def test_the_source_form_names_the_rule(admin_client):
    response = admin_client.post(
        "/admin/routes/source/add/",
        {
            "url": "https://www.gov.example/page",
            "title": "A page",
            "publisher": "gov.example",
            "kind": "official",
            "quote": "Words.",
            "quote_language": "en",
            "via_publisher": "copies.example",
            "via_url": "https://copies.example/page",
            "verified_on": "2026-06-24",
        },
    )
    assert response.status_code == 200
    assert "A page read via a copy is not verified" in response.content.decode()
    assert not Source.objects.filter(title="A page").exists()
