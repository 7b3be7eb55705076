import os
import socket

import pytest
from django.core.management import call_command

# CI sets this: a test that needs a server (Redis, PostgreSQL) then fails
# when the server is missing instead of skipping.
REQUIRE_SERVICES = bool(os.environ.get("REQUIRE_SERVICES"))
REDIS_URL = os.environ.get("TEST_REDIS_URL", "redis://127.0.0.1:6379/8")


def missing_service(what):
    """Skip a test that needs ``what``, or fail it when CI says it must run."""
    if REQUIRE_SERVICES:
        pytest.fail(f"{what} (REQUIRE_SERVICES is set, so this test must run)")
    pytest.skip(f"{what}; set REQUIRE_SERVICES=1 to make this a failure")


@pytest.fixture
def redis_url():
    """A Redis database of the tests' own, emptied before and after; skipped without Redis."""
    import redis

    client = redis.Redis.from_url(REDIS_URL, socket_connect_timeout=0.5)
    try:
        client.flushdb()
    except redis.exceptions.ConnectionError as error:
        missing_service(f"Redis is not reachable at {REDIS_URL} ({error})")
    yield REDIS_URL
    client.flushdb()


@pytest.fixture
def unanswering_server():
    """The address of a server that accepts connections and never answers (hung).

    Nothing accepts them: the kernel completes each handshake into the
    listening socket's backlog, and what a client sends is never read.
    """
    server = socket.socket()
    server.bind(("127.0.0.1", 0))
    server.listen(64)
    yield server.getsockname()
    server.close()


@pytest.fixture
def closed_port():
    """A port nothing listens on: connections to it are refused at once."""
    probe = socket.socket()
    probe.bind(("127.0.0.1", 0))
    port = probe.getsockname()[1]
    probe.close()
    return port


@pytest.fixture
def content(db):
    """The real content of fixtures/, loaded as `make run` loads it."""
    from pathlib import Path

    from django.conf import settings

    files = sorted(str(p) for p in (Path(settings.BASE_DIR) / "fixtures").glob("*.json"))
    call_command("loaddata", *files, verbosity=0)


@pytest.fixture(autouse=True)
def _clear_cache():
    from django.core.cache import caches

    for each in caches.all():
        each.clear()
    yield


@pytest.fixture(autouse=True)
def _plain_static_files(settings):
    """Hashed file names need `collectstatic`; the tests read the plain ones."""
    settings.STORAGES = {
        **settings.STORAGES,
        "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
    }


@pytest.fixture(scope="session")
def live_server(live_server, django_db_setup):
    """pytest-django's live server; its pooled PostgreSQL connections are closed after it.

    Without that, the pool would keep the test database open and it could not be dropped.
    """
    yield live_server
    from django.db import connections

    for connection in connections.all():
        if getattr(connection, "pool", None):
            connection.close_pool()
