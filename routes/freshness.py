"""When did any content last change? The answer drives conditional GET and caches.

Every save or delete of content (in the admin, by a history revert, by
`loaddata`) calls `touch()` through the signals wired in `apps.py`. The moment
is kept in one database row, shared by every process, and mirrored in the
cache so that a page usually needs no query to ask.

A shared cache (Redis) shares the mirror with every process. A cache private
to each process (local memory) cannot, so then the processes on one machine
(app workers, a `loaddata` run beside the server) share a file instead,
`settings.CONTENT_CHANGED_FILE`: each committed change adds a byte to it, and
a process reads the moment from the database again whenever the file is no
longer as it was when it last read it. Asking costs a `stat`, no query.
"""

import contextlib
import hashlib
import os

from django.conf import settings
from django.core.cache import cache
from django.db import DatabaseError, transaction
from django.utils import timezone

CACHE_KEY = "content-changed-at"


def touch(**kwargs):
    from .models import ContentStamp

    now = timezone.now()
    ContentStamp.objects.update_or_create(pk=1, defaults={"changed_at": now})
    if settings.CONTENT_CHANGED_FILE:
        transaction.on_commit(_tell_other_processes)
    else:
        safe_cache_set(CACHE_KEY, now)


def _tell_other_processes():
    """One byte more: the file's size counts the changes committed on this machine."""
    with contextlib.suppress(OSError), open(settings.CONTENT_CHANGED_FILE, "ab") as file:
        file.write(b".")


# (how the file was, the moment read from the database when it was so)
_known = (None, None)


def _moment_on_this_machine():
    """The moment, read again from the database only after a change (see the module)."""
    global _known
    mark = _file_mark(settings.CONTENT_CHANGED_FILE)
    seen, stamp = _known
    if mark is not None and mark == seen and stamp is not None:
        return stamp
    # The file is looked at before the row is read: a change committed
    # meanwhile alters it again, and the next request reads the row again.
    stamp = _read_moment()
    _known = (mark, stamp)
    return stamp


def _file_mark(path):
    """How the file is now; None where it cannot be kept (then the database is asked every time)."""
    try:
        found = os.stat(path)
    except FileNotFoundError:
        with contextlib.suppress(OSError), open(path, "ab"):
            pass  # made, empty, before any change: each change adds to it
        return None  # this once, ask the database
    except OSError:
        return None
    return (path, found.st_ino, found.st_size, found.st_mtime_ns)


def _read_moment():
    from .models import ContentStamp

    try:
        return ContentStamp.objects.values_list("changed_at", flat=True).first()
    except DatabaseError:
        return None


def last_changed():
    """The moment content last changed (a datetime), or None before any content."""
    return last_changed_and(None)[0]


def last_changed_and(key):
    """(the moment content last changed, the cached value under ``key``), in one round trip.

    The value is None when ``key`` is None, missing, or the cache is down.
    """
    if settings.CONTENT_CHANGED_FILE:
        stamp = _moment_on_this_machine()
        if stamp is None or key is None:
            return stamp, None
        return stamp, _safe_get_many([key]).get(key)
    found = _safe_get_many([CACHE_KEY, key] if key else [CACHE_KEY])
    stamp, value = found.get(CACHE_KEY), found.get(key)
    if stamp is None:
        stamp = _read_moment()
        if stamp is None:
            return None, None
        safe_cache_set(CACHE_KEY, stamp)
    return stamp, value


def etag_for(request, *args, **kwargs):
    """Same content, same code, same address, same day: same ETag.

    The day counts because a page says how long ago its sources were
    verified (the overdue notice), so a browser's copy from yesterday is not
    confirmed as today's.
    """
    stamp = moment_of(request)
    if stamp is None:
        return None
    today = timezone.localdate().isoformat()
    key = f"{settings.RELEASE}|{stamp.isoformat()}|{today}|{request.get_full_path()}"
    return hashlib.blake2b(key.encode(), digest_size=12).hexdigest()


def last_modified_for(request, *args, **kwargs):
    return moment_of(request)


def moment_of(request):
    """The moment as the page cache read it for this request, or as it is now."""
    stamp = getattr(request, "content_changed_at", None)
    return stamp if stamp is not None else last_changed()


def _safe_get_many(keys):
    try:
        return cache.get_many(keys)
    except Exception:  # a cache that is down must slow pages, never break them
        return {}


def safe_cache_set(key, value, timeout=None):
    with contextlib.suppress(Exception):
        cache.set(key, value, timeout=timeout)
