"""Faults: the database or the cache going away never gives a 500."""

import pytest
from django.db import connection
from django.db.utils import OperationalError

from .factories import RouteFactory
from .helpers import text_of

pytestmark = pytest.mark.django_db


@pytest.fixture
def database_down(monkeypatch, settings):
    """Every attempt to reach the database fails, as when its server is stopped."""
    settings.PAGE_CACHE = False

    def refuse(*args, **kwargs):
        raise OperationalError("connection refused (the database is down)")

    monkeypatch.setattr(connection, "ensure_connection", refuse)
    return monkeypatch


def test_healthz_answers_200_with_the_database(client):
    response = client.get("/healthz")
    assert response.status_code == 200
    assert response.content == b"ok\n"


def test_without_the_database_pages_answer_a_plain_503_then_recover(client, database_down):
    route = RouteFactory.build()
    assert client.get("/healthz").status_code == 503
    for url in ["/", "/kazakhstan/", "/compare/employer-sponsored-work/", "/check/results/"]:
        response = client.get(url)
        assert response.status_code == 503, url
        text = text_of(response)
        assert "cannot reach its database" in text, url
        assert "Traceback" not in text and "OperationalError" not in text
        assert response["Retry-After"] == "30"
    database_down.undo()  # the database is back: no restart needed
    assert client.get("/healthz").status_code == 200
    assert client.get("/").status_code == 200
    del route


def test_pages_are_served_when_the_cache_server_is_down(client, settings):
    route = RouteFactory()
    settings.CACHES = {
        "default": {
            "BACKEND": "django.core.cache.backends.redis.RedisCache",
            "LOCATION": "redis://127.0.0.1:1/0",
            "OPTIONS": {"socket_connect_timeout": 0.2, "socket_timeout": 0.2},
        }
    }
    for url in ["/", route.get_absolute_url(), route.country.get_absolute_url(), "/sitemap.xml"]:
        assert client.get(url).status_code == 200, url
    response = client.post(
        f"{route.get_absolute_url()}report/", {"message": "The fee is out of date now."}
    )
    assert response.status_code == 302
