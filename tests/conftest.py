import pytest
from django.core.management import call_command


@pytest.fixture
def content(db):
    """The real content of fixtures/, loaded as `make run` loads it."""
    from pathlib import Path

    from django.conf import settings

    files = sorted(str(p) for p in (Path(settings.BASE_DIR) / "fixtures").glob("*.json"))
    call_command("loaddata", *files, verbosity=0)


@pytest.fixture(autouse=True)
def _clear_cache():
    from django.core.cache import cache

    from routes import freshness

    cache.clear()
    freshness.reset()
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
