"""Settings fail loudly and default to safe values."""

import os
import subprocess
import sys

import pytest
from django.conf import settings
from django.db import connection

STRONG_KEY = "k3y-Wz9!pQ" * 6


def run_settings(expression="s.DEBUG", **env):
    """Import the settings in a fresh interpreter with only these variables set."""
    return subprocess.run(
        [sys.executable, "-c", f"import immigration_site.settings as s; print({expression})"],
        cwd=settings.BASE_DIR,
        env={"PATH": os.environ["PATH"], "ENV_FILE": "", **env},
        capture_output=True,
        text=True,
    )


def test_missing_secret_key_is_a_loud_error():
    result = run_settings()
    assert result.returncode != 0
    assert "SECRET_KEY is not set" in result.stderr


def test_weak_secret_key_is_refused_without_debug():
    result = run_settings(SECRET_KEY="short")
    assert result.returncode != 0
    assert "SECRET_KEY is too weak" in result.stderr


def test_debug_is_off_by_default():
    result = run_settings(SECRET_KEY=STRONG_KEY)
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip() == "False"


def test_production_static_files_are_compressed_and_hashed():
    result = run_settings("s.STORAGES['staticfiles']['BACKEND']", SECRET_KEY=STRONG_KEY)
    assert result.stdout.strip() == "whitenoise.storage.CompressedManifestStaticFilesStorage"


def test_admin_url_comes_from_the_environment():
    result = run_settings("s.ADMIN_URL", SECRET_KEY=STRONG_KEY, ADMIN_URL="/editors/")
    assert result.stdout.strip() == "editors/"


def test_sqlite_runs_in_wal_mode_and_connections_fail_fast_and_are_kept():
    sqlite = run_settings(
        "s.DATABASES['default']['OPTIONS']['init_command']", SECRET_KEY=STRONG_KEY
    )
    assert "journal_mode=WAL" in sqlite.stdout
    # Each thread keeps its SQLite connection instead of opening one per request.
    kept = run_settings("s.DATABASES['default']['CONN_MAX_AGE']", SECRET_KEY=STRONG_KEY)
    assert kept.stdout.strip() == "None"
    postgres = run_settings(
        "s.DATABASES['default']['OPTIONS'], s.DATABASES['default']['CONN_MAX_AGE']",
        SECRET_KEY=STRONG_KEY,
        DATABASE_URL="postgres://postgres@127.0.0.1:5432/test",
    )
    # A database that does not answer fails a request in two seconds, not psycopg's 30;
    # each thread keeps its connection; no query is compiled just in time or run in parallel.
    assert postgres.stdout.strip() == (
        "{'connect_timeout': 2, 'options': '-c jit=off -c max_parallel_workers_per_gather=0'} None"
    )
    pooled = run_settings(
        "s.DATABASES['default']['OPTIONS']",
        SECRET_KEY=STRONG_KEY,
        DATABASE_URL="postgres://postgres@127.0.0.1:5432/test",
        DATABASE_POOL="on",
    )
    assert pooled.stdout.strip() == (
        "{'connect_timeout': 2, 'options': '-c jit=off -c max_parallel_workers_per_gather=0', "
        "'pool': {'timeout': 2.0}}"
    )


@pytest.mark.django_db
def test_postgresql_compiles_no_query_just_in_time_nor_runs_one_in_parallel():
    """JIT compiling a comparison's later page took 1.0 of its 2.1 s at 10,000 routes;
    parallel workers took the cores other requests needed (bench/README.md)."""
    if connection.vendor != "postgresql":
        pytest.skip("PostgreSQL only")
    with connection.cursor() as cursor:
        cursor.execute("SHOW jit")
        assert cursor.fetchone()[0] == "off"
        cursor.execute("SHOW max_parallel_workers_per_gather")
        assert cursor.fetchone()[0] == "0"


def test_the_suite_runs_on_the_database_and_cache_it_is_given():
    """CI runs the suite a second time on PostgreSQL and Redis: prove it really does."""
    from django.core.cache import caches
    from django.db import connection

    database_url = os.environ.get("DATABASE_URL", "sqlite")
    assert connection.vendor == ("postgresql" if database_url.startswith("postgres") else "sqlite")
    cache_url = os.environ.get("CACHE_URL", "locmem")
    expected = "RedisCache" if cache_url.startswith("redis") else "LocMemCache"
    cache = caches["default"]
    assert type(cache).__name__ == expected
    cache.set("probe", "value")
    assert cache.get("probe") == "value"


def test_a_redis_cache_gives_up_fast_and_never_retries():
    result = run_settings(
        "s.CACHES['default']",
        SECRET_KEY=STRONG_KEY,
        CACHE_URL="redis://127.0.0.1:6379/9",
    )
    cache = eval(result.stdout)  # a dict of plain values
    assert cache["BACKEND"] == "django.core.cache.backends.redis.RedisCache"
    assert cache["OPTIONS"] == {
        "socket_connect_timeout": 0.1,
        "socket_timeout": 0.1,
        "retry": None,
    }


def test_the_site_s_own_host_is_always_allowed():
    result = run_settings(
        "s.ALLOWED_HOSTS",
        SECRET_KEY=STRONG_KEY,
        ALLOWED_HOSTS="www.example.org",
        SITE_HOST="example.org",
    )
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip() == "['www.example.org', 'example.org']"
