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


class ContentSnapshot:
    """The rows a load of fixtures/ adds, kept once per run and written back in bulk.

    Loading the real content the way ``make run`` does (``loaddata``, natural
    keys, one history entry per object) takes seconds on PostgreSQL, and many
    tests need it. The first load in a run goes through ``loaddata``; the rows
    it added, history included, are then kept, and every later test gets the
    same rows inserted as stored, with sequences moved past them and the
    moment content changed moved forwards, as ``loaddata`` leaves them.
    """

    def __init__(self):
        self.tables = None

    def load(self):
        from django.db import connection, transaction

        with transaction.atomic():
            if self.tables is None:
                before = self._keys()
                call_command("loaddata", *self._files(), verbosity=0)
                self.tables = self._added_since(before)
            else:
                self._insert(connection)

    @staticmethod
    def _files():
        from pathlib import Path

        from django.conf import settings

        return sorted(str(p) for p in (Path(settings.BASE_DIR) / "fixtures").glob("*.json"))

    @staticmethod
    def _models():
        from django.apps import apps

        return [
            model
            for model in apps.get_models(include_auto_created=True)
            if model._meta.managed and not model._meta.proxy
        ]

    def _keys(self):
        return {
            model: set(model._base_manager.values_list("pk", flat=True)) for model in self._models()
        }

    def _added_since(self, before):
        tables = []
        for model, keys in before.items():
            rows = [row for row in model._base_manager.all() if row.pk not in keys]
            if rows:
                tables.append((model, rows))
        return tables

    def _insert(self, connection):
        from django.core.management.color import no_style

        from publishing import freshness

        with connection.cursor() as cursor:
            for model, rows in self.tables:
                fields = [f for f in model._meta.local_concrete_fields if not f.generated]
                columns = ", ".join(connection.ops.quote_name(f.column) for f in fields)
                marks = ", ".join(["%s"] * len(fields))
                table = connection.ops.quote_name(model._meta.db_table)
                cursor.executemany(
                    f"INSERT INTO {table} ({columns}) VALUES ({marks})",
                    [
                        [f.get_db_prep_save(getattr(row, f.attname), connection) for f in fields]
                        for row in rows
                    ],
                )
            for statement in connection.ops.sequence_reset_sql(
                no_style(), [m for m, _ in self.tables]
            ):
                cursor.execute(statement)
        freshness.changed()


CONTENT = ContentSnapshot()


@pytest.fixture
def content(db):
    """The real content of fixtures/, as `make run` loads it (see ContentSnapshot)."""
    CONTENT.load()


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
