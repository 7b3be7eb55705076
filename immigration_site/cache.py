"""Django's Redis cache, with one Redis client per connection pool, and announcements.

Django's ``RedisCacheClient.get_client`` builds a new ``redis.Redis`` for
every cache call, and redis-py fills a table of some 170 response callbacks
each time: on a cached page that cost more than the round trip itself. A
``redis.Redis`` is safe to share between threads (each command borrows a
connection from the pool), so one per pool is kept and reused.

Processes also announce changes to each other through the same server
(Redis publish/subscribe, see ``routes.freshness``), and move the moment
content last changed only forwards (``set_if_greater``).
"""

import threading

from django.core.cache.backends.redis import RedisCache as DjangoRedisCache
from django.core.cache.backends.redis import RedisCacheClient


class ReusedClientRedisCacheClient(RedisCacheClient):
    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self._clients = {}
        self._lock = threading.Lock()

    def get_client(self, key=None, *, write=False):
        pool = self._get_connection_pool(write)
        client = self._clients.get(id(pool))
        if client is None:
            with self._lock:
                client = self._clients.setdefault(id(pool), self._client(connection_pool=pool))
        return client


class RedisCache(DjangoRedisCache):
    def __init__(self, server, params):
        super().__init__(server, params)
        self._class = ReusedClientRedisCacheClient

    def set_if_greater(self, key, number):
        """Set ``key`` to the integer ``number`` unless it already holds one as great.

        One step on the server, so two processes setting it at once leave
        the greater number whatever the order their commands arrive in.
        """
        client = self._cache.get_client(write=True)
        client.eval(_SET_IF_GREATER, 1, self.make_key(key), number)

    def announce(self, channel, message):
        """Publish ``message`` to every process listening on ``channel``."""
        self._cache.get_client(write=True).publish(self.make_key(channel), message)

    def listen(self, channel):
        """A subscription to ``channel``, confirmed by the server before it is returned.

        Poll it with ``get_message(timeout=0)``; it raises when its
        connection is lost.
        """
        subscription = self._cache.get_client().pubsub()
        subscription.subscribe(self.make_key(channel))
        confirmed = subscription.get_message(timeout=1.0)
        if not confirmed or confirmed["type"] != "subscribe":
            subscription.close()
            raise ConnectionError("the subscription was not confirmed")
        return subscription


# Integers are stored as plain numbers (Django's RedisSerializer pickles
# everything else), so the server can compare them.
_SET_IF_GREATER = """
local current = tonumber(redis.call('GET', KEYS[1]))
if current == nil or current < tonumber(ARGV[1]) then
    redis.call('SET', KEYS[1], ARGV[1])
end
"""
