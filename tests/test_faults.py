"""Faults: the database or the cache going away never gives a 500."""

import json
import os
import subprocess
import sys

import pytest
from django.conf import settings
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
        **settings.CACHES,
        "default": {
            "BACKEND": "django.core.cache.backends.redis.RedisCache",
            "LOCATION": "redis://127.0.0.1:1/0",
            "OPTIONS": {"socket_connect_timeout": 0.2, "socket_timeout": 0.2},
        },
    }
    for url in ["/", route.get_absolute_url(), route.country.get_absolute_url(), "/sitemap.xml"]:
        assert client.get(url).status_code == 200, url
    response = client.post(
        f"{route.get_absolute_url()}report/", {"message": "The fee is out of date now."}
    )
    assert response.status_code == 302


# ---------------------------------------------------------------------------
# PostgreSQL that refuses or never answers: fail within three seconds


PROBE = """
import json, os, time, django
django.setup()
from django.test import Client
client, found = Client(), []
for url in ["/healthz", "/", "/kazakhstan/", "/healthz"]:
    started = time.monotonic()
    status = client.get(url).status_code
    found.append((url, status, time.monotonic() - started))
print(json.dumps(found))
"""


def pages_with_database_at(port):
    """Ask pages of a site whose PostgreSQL is at ``port``, as a server process would."""
    env = {
        "PATH": os.environ["PATH"],
        "ENV_FILE": "",
        "DJANGO_SETTINGS_MODULE": "immigration_site.settings",
        "DEBUG": "on",
        "SECRET_KEY": "k3y-Wz9!pQ" * 6,
        "ALLOWED_HOSTS": "testserver",
        "DATABASE_URL": f"postgres://postgres@127.0.0.1:{port}/routes",
    }
    result = subprocess.run(
        [sys.executable, "-c", PROBE],
        cwd=settings.BASE_DIR,
        env=env,
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert result.returncode == 0, result.stderr
    return json.loads(result.stdout)


def test_a_postgresql_that_never_answers_gives_503s_within_three_seconds(unanswering_server):
    for url, status, seconds in pages_with_database_at(unanswering_server[1]):
        assert status == 503, url
        assert seconds < 3, (url, seconds)


def test_a_postgresql_that_refuses_connections_gives_503s_within_three_seconds(closed_port):
    found = pages_with_database_at(closed_port)
    assert [status for _, status, _ in found] == [503] * 4
    assert all(seconds < 3 for _, _, seconds in found), found
    # Once one request found it down, the next ones do not wait for it.
    assert found[1][2] < 0.5 and found[2][2] < 0.5, found


def test_cached_pages_are_served_while_the_database_is_down(client, monkeypatch):
    route = RouteFactory()
    url = route.get_absolute_url()
    kept = client.get(url)
    tries = []

    def refuse(*args, **kwargs):
        tries.append(1)
        raise OperationalError("connection refused (the database is down)")

    monkeypatch.setattr(connection, "ensure_connection", refuse)
    again = client.get(url)
    assert again.status_code == 200
    assert again.content == kept.content
    assert client.get("/compare/employer-sponsored-work/").status_code == 503
    count = len(tries)
    # While the outage is flagged, neither a kept page nor another waits for the database.
    assert client.get(url).status_code == 200
    assert client.get("/changes/").status_code == 503
    assert len(tries) == count
    monkeypatch.undo()
    assert client.get("/healthz").status_code == 200  # clears the flag
    assert client.get("/changes/").status_code == 200
