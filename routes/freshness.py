"""When did any content last change? The answer drives conditional GET and caches.

Every save or delete of content (in the admin, by a history revert, by
`loaddata`) calls `touch()` through the signals wired in `apps.py`. The moment
is kept in one database row, shared by every process, and mirrored in the
cache so that a page usually needs no query to ask.

A shared cache (Redis) shares the mirror with every process. So that a page
needs no round trip to it either, each process also subscribes to the
changes the others announce there (``_Hearing``): it keeps the moment it
read, and the pages it served, in its own memory, and reads again as soon as
a change is announced. A cache private to each process (local memory)
cannot share anything, so then the processes on one machine
(app workers, a `loaddata` run beside the server) share a file instead,
`settings.CONTENT_CHANGED_FILE`: each committed change adds a byte to it, and
a process reads the moment from the database again whenever the file is no
longer as it was when it last read it. Asking costs a `stat`, no query.

The moment only ever moves forwards, in the database and in the cache, even
when clocks differ or two changes announce themselves out of order: a page
kept under a moment must never be taken for a later version of the content.
"""

import contextlib
import datetime
import hashlib
import os
import threading
import time

from django.conf import settings
from django.core.cache import cache
from django.core.cache.backends.locmem import LocMemCache
from django.db import DatabaseError, transaction
from django.utils import timezone

CACHE_KEY = "content-changed-us"
CHANNEL = "content-changed"
_TICK = datetime.timedelta(microseconds=1)  # the moment's finest step


def touch(**kwargs):
    if getattr(_batch, "active", False):
        _batch.changed = True  # moved once, at the end of the batch (``one_change``)
        return
    now = _advance()
    if settings.CONTENT_CHANGED_FILE:
        transaction.on_commit(_tell_other_processes)
        return
    # Until the change is committed, other processes see the content before
    # it, so they must go on reading the moment before it too: a page they
    # build meanwhile is kept under that moment and never served after the
    # commit. The cached moment is dropped now (readers fall back to the
    # database row, which this transaction's own connection already sees),
    # and set and announced once the change is committed.
    # The thread that made the change sees it in its transaction, so it
    # reads the new moment at once (``_own_change``).
    _hearing.forget()
    _safe_delete(CACHE_KEY)
    _pending.moment = now
    transaction.on_commit(lambda: _announce(now))


_batch = threading.local()


@contextlib.contextmanager
def one_change():
    """The saves and deletes inside count as one change: the moment moves once, at
    the end, instead of once for each (``loaddata`` saves every object it loads).

    Use it inside the transaction that makes the changes, so that the moment
    moves with them; nothing moves when the block fails.
    """
    if getattr(_batch, "active", False):
        yield
        return
    _batch.active, _batch.changed = True, False
    try:
        yield
    finally:
        _batch.active = False
    if _batch.changed:
        touch()


def _advance():
    """Move the moment in the database forwards, and say where to.

    Always past the moment before, even when this machine's clock is behind
    the one that set it: the moment tells versions of the content apart, and
    one seen before must never come back. The row is locked until the change
    commits, so changes committed one after another get moments in that order.
    """
    from .models import ContentStamp

    # No savepoint of its own: should this fail, so does the change it marks.
    with transaction.atomic(savepoint=False):
        moment = timezone.now()
        row, created = ContentStamp.objects.select_for_update().get_or_create(
            pk=1, defaults={"changed_at": moment}
        )
        if not created:
            moment = max(moment, row.changed_at + _TICK)
            ContentStamp.objects.filter(pk=1).update(changed_at=moment)
    return moment


# The moment of a change this thread made in a transaction not yet committed.
_pending = threading.local()


def _own_change():
    moment = getattr(_pending, "moment", None)
    if moment is not None and not transaction.get_connection().in_atomic_block:
        moment = _pending.moment = None  # committed or rolled back since
    return moment


def _announce(moment):
    """The change is committed: the new moment, for every process to read."""
    _pending.moment = None
    # Two changes committed close together may announce in either order:
    # the cache keeps the later moment whatever the order.
    _safe_set_if_greater(CACHE_KEY, _number(moment))
    _hearing.forget()
    with contextlib.suppress(Exception):
        if hasattr(cache, "announce"):
            cache.announce(CHANNEL, moment.isoformat())


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
    """(the moment content last changed, the cached value under ``key``).

    The value is None when ``key`` is None, missing, or the cache is down.
    With a shared cache: no round trip while this process has heard of no
    change since it last read (see ``_Hearing``), else one.
    """
    if settings.CONTENT_CHANGED_FILE:
        stamp = _moment_on_this_machine()
        if stamp is None or key is None:
            return stamp, None
        return stamp, _safe_get_many([key]).get(key)
    stamp = _own_change()
    if stamp is not None:
        return stamp, _kept(key, stamp)
    stamp, token = _hearing.moment()
    if stamp is not None:
        return stamp, _kept(key, stamp)
    found = _safe_get_many([CACHE_KEY, key] if key else [CACHE_KEY])
    stamp, value = _moment(found.get(CACHE_KEY)), found.get(key)
    if stamp is None:
        stamp = _read_moment()
        if stamp is None:
            return None, None
        # Only where no newer moment was set meanwhile (by a commit).
        _safe_add(CACHE_KEY, _number(stamp))
    _hearing.remember(stamp, token)
    if value is not None and value[0] == stamp:
        _hearing.copy(key, value)
    return stamp, value


def _kept(key, stamp):
    """The value under ``key``, kept with ``stamp``: this process's copy, else the cache's."""
    if key is None:
        return None
    value = _hearing.copy_of(key)
    if value is None or value[0] != stamp:
        value = _safe_get_many([key]).get(key)
        if value is not None and value[0] == stamp:
            _hearing.copy(key, value)
    return value


def keep(key, value, timeout):
    """Keep ``value`` (``(moment, page)``) under ``key``, for every process."""
    safe_cache_set(key, value, timeout)
    _hearing.copy(key, value)


def reset():
    """Forget what this process keeps of the moment and of pages, and subscribe anew
    (to the cache as the settings now name it)."""
    global _known
    _known = (None, None)
    _pending.moment = None
    _hearing.restart()
    _hearing.copies.clear()


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


_set_lock = threading.Lock()


def _safe_set_if_greater(key, number):
    """Set ``key`` to ``number`` unless it holds a greater one: in one step on Redis,
    under a lock in this process for a cache of its own."""
    with contextlib.suppress(Exception):
        if hasattr(cache, "set_if_greater"):
            cache.set_if_greater(key, number)
            return
        with _set_lock:
            current = cache.get(key)
            if current is None or current < number:
                cache.set(key, number, timeout=None)


# The cache holds the moment as a whole number of microseconds, which Redis
# can compare (``_safe_set_if_greater``).
_EPOCH = datetime.datetime(1970, 1, 1, tzinfo=datetime.UTC)


def _number(moment):
    return (moment - _EPOCH) // _TICK


def _moment(number):
    return None if number is None else _EPOCH + number * _TICK


def _safe_add(key, value):
    with contextlib.suppress(Exception):
        cache.add(key, value, timeout=None)


def _safe_delete(key):
    with contextlib.suppress(Exception):
        cache.delete(key)


# How long a process trusts a moment it read without reading it again, even
# with nothing announced: the most it could lag should its subscription fail
# without a sign (a broken network path, say); a failure it notices makes it
# read the moment on every request until it has subscribed again.
TRUST_SECONDS = 1.0
RETRY_SECONDS = 5.0


class _Hearing:
    """This process's subscription to the changes announced through the shared cache.

    The moment read from the cache holds, with no need to read it again, as
    long as the subscription was up before it was read and nothing has been
    announced since: every change is announced after it is committed
    (``_announce``), and the server hands the announcement to every
    subscriber as it answers the one announcing. Each request first takes
    whatever has arrived (a non-blocking look at the socket); an
    announcement, a change made in this process, or any trouble with the
    subscription makes it read the moment again. Pages served are kept here
    too, each with the moment it was built at, so that a repeat visit makes
    no round trip at all.
    """

    def __init__(self):
        self._lock = threading.Lock()
        self._subscription = None
        self._pid = None
        self._retry_at = 0.0
        self._stamp = None
        self._read_at = 0.0
        # Changes heard of (and made here): a moment read before one of them is old.
        self._heard = 0
        # Copies of pages, local to this process (pickled, as the cache keeps them).
        self.copies = LocMemCache("page-copies", {"OPTIONS": {"MAX_ENTRIES": 1000}})

    def moment(self):
        """(the moment if it still holds else None, a token to ``remember`` a new one with)."""
        with self._lock:
            if not self._listening():
                return None, None
            try:
                while (message := self._subscription.get_message(timeout=0)) is not None:
                    if message["type"] == "message":
                        self._forget()
            except Exception:
                self._stop(retry_after=RETRY_SECONDS)
                return None, None
            if self._stamp is not None and time.monotonic() - self._read_at < TRUST_SECONDS:
                return self._stamp, self._heard
            return None, self._heard

    def remember(self, stamp, token):
        """Keep ``stamp``, read after ``moment`` gave ``token``, unless a change came since."""
        with self._lock:
            if token is not None and token == self._heard and self._subscription is not None:
                self._stamp, self._read_at = stamp, time.monotonic()

    def forget(self):
        with self._lock:
            self._forget()

    def restart(self):
        """Drop the subscription and the moment: subscribe again on the next request."""
        with self._lock:
            self._stop(retry_after=0)

    def copy(self, key, value):
        if self._subscription is not None:
            with contextlib.suppress(Exception):
                self.copies.set(key, value, timeout=settings.PAGE_CACHE_SECONDS)

    def copy_of(self, key):
        return self.copies.get(key)

    def _forget(self):
        self._heard += 1
        self._stamp = None

    def _listening(self):
        if self._pid != os.getpid():
            # Made before the process forked: the socket is the parent's.
            self._subscription, self._pid = None, os.getpid()
        if self._subscription is not None:
            return True
        if time.monotonic() < self._retry_at or not hasattr(cache, "listen"):
            return False
        try:
            self._subscription = cache.listen(CHANNEL)
        except Exception:
            self._retry_at = time.monotonic() + RETRY_SECONDS
            return False
        self._forget()
        return True

    def _stop(self, retry_after):
        if self._subscription is not None and self._pid == os.getpid():
            with contextlib.suppress(Exception):
                self._subscription.close()
        self._subscription = None
        self._forget()
        self._retry_at = time.monotonic() + retry_after


_hearing = _Hearing()
