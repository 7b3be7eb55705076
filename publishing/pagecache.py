"""Public pages: the same bytes for every anonymous visitor, kept until content changes.

A view wrapped in ``public_page``
- answers only GET and HEAD, and only at its clean address: a query
  parameter the page does not read is dropped with a 301, so random query
  strings cannot fill the cache with copies of one page;
- sends an ETag and Last-Modified from the moment content last changed
  (``freshness``) and answers 304 to a matching If-None-Match or
  If-Modified-Since;
- says ``Cache-Control: public, max-age=0, s-maxage=1, must-revalidate``:
  shared caches (nginx, a CDN) may keep it a second, browsers check back,
  and no cache serves it stale;
- is kept by ``PublicPageCacheMiddleware`` under its address, with the
  moment it was built at, and served again only while that is still the
  moment. A copy is kept in this process's memory (the ``pages`` cache) and,
  with a shared cache server (Redis), there too for the other processes: a
  repeat visit costs the moment's query and no round trip to Redis.

The middleware sits at the top of the stack: a page is kept with every
header the others added as it was built, and a repeat request is answered
before any other middleware runs. Requests that carry a session cookie
(editors) neither read nor fill the copies, and nothing private (previews,
checker results, cookies) is ever kept.
"""

import contextlib
import hashlib
from functools import wraps
from urllib.parse import urlencode

from django.conf import settings
from django.core.cache import caches
from django.core.cache.backends.locmem import LocMemCache
from django.db import DatabaseError
from django.http import HttpResponsePermanentRedirect
from django.utils import timezone
from django.utils.cache import get_conditional_response, patch_cache_control
from django.utils.http import parse_http_date_safe
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import condition, require_safe

from . import freshness

# What SecurityMiddleware and the CSP middleware add to every response.
SECURITY_HEADERS = (
    "Strict-Transport-Security",
    "Content-Security-Policy",
    "Content-Security-Policy-Report-Only",
    "X-Content-Type-Options",
    "Referrer-Policy",
    "Cross-Origin-Opener-Policy",
    "X-Frame-Options",
    "Permissions-Policy",
    "Cross-Origin-Resource-Policy",
)


def public_page(view=None, *, reads=()):
    """Mark a read-only view public, conditional and kept (see the module).

    ``reads``: the query parameters the page reads; any other is dropped.
    """
    if view is None:
        return lambda view: public_page(view, reads=reads)

    @wraps(view)
    def marked(request, *args, **kwargs):
        freshness.moment_of(request)  # before the page reads any content
        response = limit_keeping(request, view(request, *args, **kwargs))
        request.public_page = True
        return response

    conditional = condition(etag_func=etag, last_modified_func=freshness.last_modified)(marked)

    @wraps(view)
    def clean(request, *args, **kwargs):
        if any(name not in reads for name in request.GET):
            kept = [(k, v) for k, values in request.GET.lists() if k in reads for v in values]
            address = f"{request.path}?{urlencode(kept)}" if kept else request.path
            return limit_keeping(request, HttpResponsePermanentRedirect(address))
        return conditional(request, *args, **kwargs)

    # Read-only: any other method gets a 405, so no form posts here and the
    # CSRF check (which would answer a stray POST with a 403) is moot.
    return csrf_exempt(require_safe(clean))


def open_to_all(view):
    """Any site may read a public view's answers from a browser (open data: they are the
    same for everyone and carry no cookie)."""

    @wraps(view)
    def opened(request, *args, **kwargs):
        response = view(request, *args, **kwargs)
        response["Access-Control-Allow-Origin"] = "*"
        return response

    return opened


def etag(request, *args, **kwargs):
    """Same content, same code, same address, same day: same ETag.

    The day counts because a page says how long ago its sources were
    verified, so a browser's copy from yesterday is not confirmed as today's.
    """
    moment = freshness.moment_of(request)
    if moment is None:
        return None
    today = timezone.localdate().isoformat()
    key = f"{settings.RELEASE}|{moment}|{today}|{request.get_full_path()}"
    return hashlib.blake2b(key.encode(), digest_size=12).hexdigest()


def limit_keeping(request, response):
    """Say how long caches may keep a response that does not say so itself.

    Shared caches may keep it PROXY_CACHE_SECONDS, browsers PUBLIC_MAX_AGE
    (none: they check back, and get a 304 while nothing changed), and no
    cache may serve it once that is up: an edit reaches every visitor that
    soon. An editor's (a session cookie) is theirs alone and never kept:
    they must see their own edit at once.
    """
    if "Cache-Control" in response:
        pass
    elif settings.SESSION_COOKIE_NAME in request.COOKIES:
        patch_cache_control(response, private=True, no_cache=True)
    else:
        patch_cache_control(
            response,
            public=True,
            max_age=settings.PUBLIC_MAX_AGE,
            s_maxage=settings.PROXY_CACHE_SECONDS,
            must_revalidate=True,
        )
    return response


def page_key(request):
    # Today's date is part of a page: a route whose verification grows
    # overdue shows its notice from that day, with no edit to move the moment.
    # So are the scheme and host: canonical links, the sitemap and structured
    # data name the address the page was asked for (any of ALLOWED_HOSTS).
    today = timezone.localdate().isoformat()
    address = f"{request.scheme}://{request.get_host()}{request.get_full_path()}"
    raw = f"{settings.RELEASE}|{today}|{request.method == 'HEAD'}|{address}"
    return "page:" + hashlib.blake2b(raw.encode(), digest_size=16).hexdigest()


def is_shareable(request):
    return (
        settings.PAGE_CACHE
        and request.method in ("GET", "HEAD")
        and not request.path.startswith(settings.STATIC_URL)  # whitenoise's
        and settings.SESSION_COOKIE_NAME not in request.COOKIES
    )


def is_cacheable(response):
    control = response.get("Cache-Control", "")
    return (
        response.status_code in (200, 404)
        and "private" not in control
        and "no-store" not in control
        and not response.cookies
        and not getattr(response, "streaming", False)
    )


class PublicPageCacheMiddleware:
    """Serve and keep the shared copies of public pages."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if not is_shareable(request):
            return self.get_response(request)
        key = page_key(request)
        local = caches["pages"]
        found = local.get_many([key, freshness.OUTAGE_KEY])
        request.database_unreachable = bool(found.get(freshness.OUTAGE_KEY))
        kept = found.get(key)
        if kept is None and (shared := _shared()) is not None:
            kept = _get(shared, key)
        if kept is not None:
            moment, page = kept
            if request.database_unreachable or _is_current(request, moment):
                if key not in found:
                    local.set(key, kept, timeout=settings.PAGE_CACHE_SECONDS)
                return answer_from(request, page)
        response = self.get_response(request)
        # Kept with the moment read before the page was built: an edit
        # committed meanwhile moves the moment, and this copy is not served.
        moment = getattr(request, "content_moment", None)
        if moment is not None and getattr(request, "public_page", False) and is_cacheable(response):
            if hasattr(response, "render") and not response.is_rendered:
                response.render()
            kept = (moment, response)
            local.set(key, kept, timeout=settings.PAGE_CACHE_SECONDS)
            if (shared := _shared()) is not None:
                with contextlib.suppress(Exception):  # a cache that is down slows pages only
                    shared.set(key, kept, timeout=settings.PAGE_CACHE_SECONDS)
        return response


def _is_current(request, moment):
    """Whether a copy kept under ``moment`` shows the content as it is now.

    While the database cannot be reached no edit can be made, so the copy
    kept is the latest there is, and it is served.
    """
    try:
        return freshness.moment_of(request) == moment
    except DatabaseError:
        request.database_unreachable = True
        return True


def _shared():
    """The cache server all processes share, or None when there is none (local memory)."""
    shared = caches["default"]
    return None if isinstance(shared, LocMemCache) else shared


def _get(cache, key):
    try:
        return cache.get(key)
    except Exception:  # a cache that is down must slow pages, never break them
        return None


def answer_from(request, page):
    """A kept page, or a 304 (or 412) made from its validators with its security headers."""
    last_modified = page.get("Last-Modified")
    response = get_conditional_response(
        request,
        etag=page.get("ETag"),
        last_modified=parse_http_date_safe(last_modified) if last_modified else None,
        response=page,
    )
    if response is not page:
        # Made here: no middleware adds the security headers on its way out.
        for header in (*SECURITY_HEADERS, "Access-Control-Allow-Origin"):
            if header in page:
                response[header] = page[header]
    return response
