"""When did any content last change? The answer drives conditional GET and caches.

Every save or delete of content (in the admin, by a history revert, by
`loaddata`) calls `touch()` through the signals wired in `apps.py`. The moment
is kept in one database row, shared by every process, and mirrored in the
cache so that a page usually needs no query to ask.
"""

import contextlib
import hashlib

from django.conf import settings
from django.core.cache import cache
from django.db import DatabaseError
from django.utils import timezone

CACHE_KEY = "content-changed-at"


def touch(**kwargs):
    from .models import ContentStamp

    now = timezone.now()
    ContentStamp.objects.update_or_create(pk=1, defaults={"changed_at": now})
    safe_cache_set(CACHE_KEY, now)


def last_changed():
    """The moment content last changed (a datetime), or None before any content."""
    return last_changed_and(None)[0]


def last_changed_and(key):
    """(the moment content last changed, the cached value under ``key``), in one round trip.

    The value is None when ``key`` is None, missing, or the cache is down.
    """
    from .models import ContentStamp

    keys = [CACHE_KEY, key] if key else [CACHE_KEY]
    try:
        found = cache.get_many(keys)
    except Exception:  # a cache that is down must slow pages, never break them
        found = {}
    stamp, value = found.get(CACHE_KEY), found.get(key)
    if stamp is None:
        try:
            stamp = ContentStamp.objects.values_list("changed_at", flat=True).first()
        except DatabaseError:
            return None, None
        if stamp is not None:
            safe_cache_set(CACHE_KEY, stamp)
    return stamp, value


def etag_for(request, *args, **kwargs):
    """Same content, same code, same address, same day: same ETag.

    The day counts because a page says how long ago its sources were
    verified (the overdue notice), so a browser's copy from yesterday is not
    confirmed as today's.
    """
    stamp = last_changed()
    if stamp is None:
        return None
    today = timezone.localdate().isoformat()
    key = f"{settings.RELEASE}|{stamp.isoformat()}|{today}|{request.get_full_path()}"
    return hashlib.blake2b(key.encode(), digest_size=12).hexdigest()


def last_modified_for(request, *args, **kwargs):
    return last_changed()


def safe_cache_set(key, value, timeout=None):
    with contextlib.suppress(Exception):
        cache.set(key, value, timeout=timeout)
