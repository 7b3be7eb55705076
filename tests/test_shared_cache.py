"""The page cache on Redis: shared by every process, never believed over the database.

Each page is kept once for every process, with the moment content last
changed when it was built; a process serves it only while that is still the
moment the database holds. So whatever the cache server went through (a
pause that lost an edit's writes, a restart from an old snapshot, a flush),
the next request after an edit shows the edit.
"""

import time

import pytest
import redis
from django.core.cache import caches

from publishing import freshness
from routes.models import Route

from .factories import route_processed_in
from .helpers import text_of

pytestmark = pytest.mark.django_db

# As settings.py configures a Redis cache: short timeouts, no retries.
OPTIONS = {"socket_connect_timeout": 0.1, "socket_timeout": 0.1, "retry": None}


def redis_cache(location):
    """The caches of settings.py with Redis at ``location`` as the shared one."""
    return {
        "default": {
            "BACKEND": "django.core.cache.backends.redis.RedisCache",
            "LOCATION": location,
            "OPTIONS": OPTIONS,
        },
        "pages": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache", "LOCATION": "pages"},
    }


@pytest.fixture
def shared_cache(settings, redis_url):
    settings.CACHES = redis_cache(redis_url)
    return redis.Redis.from_url(redis_url)


@pytest.fixture
def route(shared_cache):
    return route_processed_in(5)


def changed_by_another_process(route, name):
    """Another process's edit: the rows change and the moment moves, in one commit."""
    Route.objects.filter(pk=route.pk).update(official_name=name)
    freshness.changed()


def reads(server):
    stats = server.info("commandstats")
    return sum(stats.get(f"cmdstat_{c}", {}).get("calls", 0) for c in ("get", "mget"))


def test_a_repeat_visit_costs_one_query_and_asks_redis_nothing(
    client, route, shared_cache, django_assert_num_queries
):
    url = route.get_absolute_url()
    first = client.get(url)
    before = reads(shared_cache)
    with django_assert_num_queries(1):  # the moment content last changed
        again = client.get(url)
    assert reads(shared_cache) == before
    assert again.content == first.content


def test_a_page_another_process_built_is_read_from_redis(
    client, route, shared_cache, django_assert_num_queries
):
    url = route.get_absolute_url()
    first = client.get(url)
    caches["pages"].clear()  # this process is another one: its own memory is empty
    before = reads(shared_cache)
    with django_assert_num_queries(1):  # the moment; the page is not built again
        again = client.get(url)
    assert reads(shared_cache) == before + 1
    assert again.content == first.content


def test_a_change_made_by_another_process_is_seen_on_the_next_request(client, route):
    url = route.country.get_absolute_url()
    assert route.official_name in text_of(client.get(url))
    changed_by_another_process(route, "Renamed elsewhere")
    assert "Renamed elsewhere" in text_of(client.get(url))


def test_a_redis_restored_from_a_snapshot_taken_before_an_edit_is_not_believed(
    client, route, shared_cache
):
    url = route.country.get_absolute_url()
    client.get(url)
    keys = shared_cache.keys("*")
    snapshot = {key: shared_cache.dump(key) for key in keys}
    changed_by_another_process(route, "Renamed after the snapshot")
    assert "Renamed after the snapshot" in text_of(client.get(url))
    shared_cache.flushdb()
    for key, value in snapshot.items():  # the server restarts from the snapshot
        shared_cache.restore(key, 0, value)
    assert "Renamed after the snapshot" in text_of(client.get(url))


def test_an_edit_made_while_redis_was_hung_shows_once_it_is_back(
    client, route, settings, redis_url, unanswering_server
):
    url = route.country.get_absolute_url()
    client.get(url)  # kept in Redis
    host, port = unanswering_server
    settings.CACHES = redis_cache(f"redis://{host}:{port}/0")  # paused: every call times out
    changed_by_another_process(route, "Renamed during the pause")
    assert "Renamed during the pause" in text_of(client.get(url))
    settings.CACHES = redis_cache(redis_url)  # resumed, with the copy from before the edit
    assert "Renamed during the pause" in text_of(client.get(url))
    assert "Renamed during the pause" in text_of(client.get(url))  # kept anew, and served


def test_a_flushed_redis_costs_only_a_rebuild(client, route, shared_cache):
    url = route.get_absolute_url()
    first = client.get(url)
    shared_cache.flushdb()
    assert client.get(url).content == first.content


def test_every_key_the_site_writes_lapses(client, route, shared_cache):
    for url in ["/", route.get_absolute_url(), route.country.get_absolute_url(), "/sitemap.xml"]:
        client.get(url)
    client.post(f"{route.get_absolute_url()}report/", {"message": "The fee is out of date."})
    keys = shared_cache.keys("*")
    assert keys
    assert all(shared_cache.ttl(key) > 0 for key in keys), {k: shared_cache.ttl(k) for k in keys}


def test_random_query_strings_do_not_fill_redis(client, route, shared_cache):
    url = route.get_absolute_url()
    client.get(url)
    before = len(shared_cache.keys("*"))
    for n in range(20):
        response = client.get(url, {"utm_source": n, "x": "y" * n})
        assert response.status_code == 301
        assert response["Location"] == url
    assert len(shared_cache.keys("*")) == before


def test_pages_are_served_when_redis_refuses_connections(client, settings, closed_port):
    settings.CACHES = redis_cache(f"redis://127.0.0.1:{closed_port}/0")
    route = route_processed_in(5)
    assert "5 days" in text_of(client.get(route.get_absolute_url()))
    route.facts.update(minimum=2, maximum=2)
    freshness.changed()
    assert "2 days" in text_of(client.get(route.get_absolute_url()))


def test_a_hung_redis_adds_at_most_its_timeouts_to_a_page(client, settings, unanswering_server):
    """A page calls the cache at most twice (read the copy, keep the new one),
    each giving up after the socket timeout, with no retry."""
    route = route_processed_in(5)
    url = route.get_absolute_url()
    settings.PAGE_CACHE = False
    client.get(url)  # code and templates warmed up
    started = time.monotonic()
    client.get(url)
    built = time.monotonic() - started
    settings.PAGE_CACHE = True
    host, port = unanswering_server
    settings.CACHES = redis_cache(f"redis://{host}:{port}/0")
    started = time.monotonic()
    response = client.get(url)
    hung = time.monotonic() - started
    assert response.status_code == 200
    assert "5 days" in text_of(response)
    assert hung < built + 2 * OPTIONS["socket_timeout"] + 0.15, (hung, built)
