"""Several processes on one Redis: each keeps pages in its own memory, and hears every change.

A process that read the moment content last changed keeps it, and the pages
it served, until another process announces a change through Redis; so a
repeat visit asks Redis nothing, and a change is still seen on the next
request.
"""

import time

import pytest
import redis
from django.utils import timezone

from immigration_site.cache import RedisCache
from routes import freshness
from routes.models import ContentStamp, Route

from .factories import route_processed_in
from .helpers import text_of

pytestmark = pytest.mark.django_db

LOCATION = "redis://127.0.0.1:6379/8"
OPTIONS = {"socket_connect_timeout": 0.5, "socket_timeout": 0.5}


@pytest.fixture
def shared_cache(settings):
    """This process's cache is Redis; ``another`` is another process's view of it."""
    settings.CACHES = {
        "default": {
            "BACKEND": "immigration_site.cache.RedisCache",
            "LOCATION": LOCATION,
            "OPTIONS": OPTIONS,
        }
    }
    another = RedisCache(LOCATION, {"OPTIONS": OPTIONS})
    another.clear()
    freshness.reset()
    yield another
    another.clear()
    freshness.reset()


@pytest.fixture
def route(db, shared_cache, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):  # committed, as other processes see it
        return route_processed_in(5)


def reads_from_redis():
    """How many reads the Redis server has answered so far."""
    stats = redis.Redis.from_url(LOCATION).info("commandstats")
    return sum(stats.get(f"cmdstat_{command}", {}).get("calls", 0) for command in ("get", "mget"))


def changed_by_another_process(route, name, cache):
    """Another process's edit, committed: the rows change, then it sets and announces the moment."""
    moment = timezone.now()
    Route.objects.filter(pk=route.pk).update(official_name=name)
    ContentStamp.objects.filter(pk=1).update(changed_at=moment)
    cache.set_if_greater(freshness.CACHE_KEY, freshness._number(moment))
    cache.announce(freshness.CHANNEL, moment.isoformat())
    time.sleep(0.05)  # the visitor's next request comes after the editor's answer


def test_a_repeat_visit_asks_redis_nothing(client, route, django_assert_num_queries):
    url = route.get_absolute_url()
    first = client.get(url)
    client.get(url)
    before = reads_from_redis()
    with django_assert_num_queries(0):
        again = client.get(url)
    assert reads_from_redis() == before
    assert again.status_code == 200
    assert again.content == first.content


def test_a_change_announced_by_another_process_is_seen_on_the_next_request(
    client, route, shared_cache
):
    url = route.country.get_absolute_url()
    assert route.official_name in text_of(client.get(url))
    changed_by_another_process(route, "Renamed elsewhere", shared_cache)
    assert "Renamed elsewhere" in text_of(client.get(url))


def test_a_change_made_here_is_seen_on_the_next_request(client, route):
    url = route.country.get_absolute_url()
    client.get(url)
    route.official_name = "Renamed here"
    route.save()
    assert "Renamed here" in text_of(client.get(url))


def test_other_processes_see_the_new_moment_only_once_the_change_is_committed(
    route, shared_cache, django_capture_on_commit_callbacks
):
    before = freshness._number(freshness.last_changed())
    with django_capture_on_commit_callbacks(execute=True):
        route.save()
        # Uncommitted: another process must not build pages for the new moment yet.
        assert shared_cache.get(freshness.CACHE_KEY) in (None, before)
    assert shared_cache.get(freshness.CACHE_KEY) > before


def test_an_announcement_arriving_late_never_moves_the_moment_back(client, route, shared_cache):
    url = route.country.get_absolute_url()
    client.get(url)
    earlier = freshness.last_changed()
    changed_by_another_process(route, "Renamed later", shared_cache)
    # A change committed before that one announces itself only now: the page
    # kept under its moment predates the rename and must not come back.
    freshness._announce(earlier)
    time.sleep(0.05)
    assert "Renamed later" in text_of(client.get(url))
    assert shared_cache.get(freshness.CACHE_KEY) > freshness._number(earlier)


def test_a_lost_subscription_makes_the_process_ask_redis_again(client, route, shared_cache):
    url = route.country.get_absolute_url()
    client.get(url)
    client.get(url)
    redis.Redis.from_url(LOCATION).client_kill_filter(_type="pubsub")
    # Announced while this process is not listening: it must not miss it.
    changed_by_another_process(route, "Renamed meanwhile", shared_cache)
    assert "Renamed meanwhile" in text_of(client.get(url))
    assert "Renamed meanwhile" in text_of(client.get(url))


def test_pages_are_served_when_redis_is_down(client, route, settings):
    settings.CACHES["default"]["LOCATION"] = "redis://127.0.0.1:1/0"
    freshness.reset()
    url = route.get_absolute_url()
    assert "5 days" in text_of(client.get(url))
    route.facts.update(minimum=2, maximum=2)
    freshness.touch()
    assert "2 days" in text_of(client.get(url))
