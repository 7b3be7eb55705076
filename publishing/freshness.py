"""Has content changed? The database says, and every cache takes its word for it.

One row, ``ContentStamp``, holds the moment content last changed. Every save
or delete of content moves it forwards (``changed``: the apps that own the
content connect it to their models' signals), in the same transaction as
the change, so every process sees the new moment exactly when it sees the
new content: once the change is committed, and not before.

Each request that needs the moment reads it once (``moment_of``): one row by
its primary key. Whatever a cache keeps (a page, the checker's catalogue)
is kept with the moment it was built at, and used only while that is still
the moment. So there is nothing to announce and nothing to purge, and a
cache server that was paused, flushed or restored from an old snapshot can
only hold copies that no longer match: it is never believed over the
database.

The moment only moves forwards, even when this machine's clock is behind
the one that moved it last: it tells versions of the content apart, and a
version seen before must never come back.

When the database cannot be reached, the requests of this process are told
so at once for a few seconds (``OUTAGE_SECONDS``, a flag in its ``pages``
cache) instead of each waiting for a connection that will not come: the
page cache still serves what it holds, other pages answer 503
(``middleware``).
"""

from django.core.cache import caches
from django.db import DatabaseError, connection
from django.db.models import F, Value
from django.db.models.functions import Greatest
from django.utils import timezone

from .models import ContentStamp, as_datetime, as_moment

OUTAGE_KEY = "database-unreachable"
OUTAGE_SECONDS = 5


def changed(raw=False, **kwargs):
    """Content changed: move the moment forwards (a receiver of post_save and post_delete).

    A raw save is ``loaddata`` writing a fixture's object as it is: a load
    moves the moment once, when it ends (``publishing``'s ``loaddata``).
    """
    if raw:
        return
    now = as_moment(timezone.now())
    # One statement: the row stays locked until the change commits, so
    # changes committed one after another get moments in that order.
    moved = ContentStamp.objects.filter(pk=1).update(moment=Greatest(F("moment") + 1, Value(now)))
    if not moved:  # a database emptied by a flush
        ContentStamp.objects.get_or_create(pk=1, defaults={"moment": now})


def read():
    """The moment now (an integer), or None before any content.

    A plain query on the request's own connection: every page asks it, and
    the ORM would spend more time building this one line of SQL than the
    database spends answering it. Raises ``DatabaseError`` when the
    database cannot be reached, and flags the outage for a few seconds.
    """
    table = connection.ops.quote_name(ContentStamp._meta.db_table)
    try:
        with connection.cursor() as cursor:
            cursor.execute(f"SELECT moment FROM {table} WHERE id = 1")
            row = cursor.fetchone()
    except DatabaseError:
        note_outage()
        raise
    return row[0] if row else None


def moment_of(request):
    """The moment a request works with: read when first asked, then kept on the request.

    Read before the page reads any content, so that a page built while an
    edit commits is kept under the moment before it, and never served after.
    """
    if not hasattr(request, "content_moment"):
        request.content_moment = read()
    return request.content_moment


def last_modified(request, *args, **kwargs):
    """The moment as a datetime, for Last-Modified (``condition``'s ``last_modified_func``)."""
    moment = moment_of(request)
    return None if moment is None else as_datetime(moment)


def note_outage():
    """No connection to the database could be opened: say so to the next requests."""
    caches["pages"].set(OUTAGE_KEY, True, timeout=OUTAGE_SECONDS)


def clear_outage():
    """The database answered again."""
    caches["pages"].delete(OUTAGE_KEY)
