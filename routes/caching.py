"""Public pages: the same bytes for every anonymous visitor, cached until content changes.

A view wrapped in `public_page`
- sends an ETag and Last-Modified from the moment content last changed
  (see `freshness`), and answers 304 to a matching If-None-Match or
  If-Modified-Since;
- says `Cache-Control: public, max-age=0, s-maxage=1, must-revalidate`: shared
  caches may keep it a second, browsers check back, and no cache serves it
  stale;
- is kept by `PublicPageCacheMiddleware` in Django's cache under its
  address, together with that moment. The middleware sits at the top of
  the stack: a page is kept with every header the others added as it was
  built (security, content security policy), and a repeat request is
  answered before any other middleware runs. With a shared cache, a
  process keeps the moment and the pages it served in its own memory until
  another process announces a change; with a cache of its own, it reads the
  moment again when the changes file moves (see `freshness`). A copy kept
  before the moment is never served. Any change of content moves the
  moment, so every page is fresh on the next request, with no list of
  pages to purge.
Requests that carry a session cookie (editors) neither read nor fill the
shared copy, and nothing private (previews, cookies) is ever stored.
"""

import hashlib
from functools import wraps

from django.conf import settings
from django.utils import timezone
from django.utils.cache import get_conditional_response, patch_cache_control
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import condition, require_safe

from . import freshness


def page_key(request):
    # Today's date is part of a page: a route whose verification grows
    # overdue shows its notice from that day, with no edit to move the moment.
    today = timezone.localdate().isoformat()
    # So are the scheme and host: canonical links, the sitemap and structured
    # data name the address the page was asked for (any of ALLOWED_HOSTS).
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


def public_page(view):
    """Mark a read-only view's responses public, conditional and cacheable (see the module)."""

    @wraps(view)
    def marked(request, *args, **kwargs):
        response = limit_keeping(request, view(request, *args, **kwargs))
        request.public_page = True
        return response

    conditional = condition(
        etag_func=freshness.etag_for, last_modified_func=freshness.last_modified_for
    )(marked)
    # Read-only: any other method gets a 405. So no form posts to it, and
    # the CSRF check (which would answer a stray POST with a 403) is moot.
    return csrf_exempt(require_safe(conditional))


def limit_keeping(request, response):
    """Say how long caches may keep a response that does not say so itself.

    Shared caches (deploy/nginx.conf's micro-cache, a CDN) may keep it
    PROXY_CACHE_SECONDS, browsers PUBLIC_MAX_AGE (none: they check back, and
    get a 304 while nothing changed), and no cache may serve it once that is
    up: an edit reaches every visitor that soon. An editor's (a session
    cookie) is theirs alone, and never kept: they must see their own edit at
    once.
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


# What SecurityMiddleware and the CSP middleware add to every response.
SECURITY_HEADERS = (
    "Strict-Transport-Security",
    "Content-Security-Policy",
    "Content-Security-Policy-Report-Only",
    "X-Content-Type-Options",
    "Referrer-Policy",
    "Cross-Origin-Opener-Policy",
    "X-Frame-Options",
)


class PublicPageCacheMiddleware:
    """Serve and keep the shared copies of public pages."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        key = page_key(request) if is_shareable(request) else None
        stamp, kept = freshness.last_changed_and(key) if key else (None, None)
        if stamp is not None and kept is not None and kept[0] == stamp:
            cached = kept[1]
            response = get_conditional_response(
                request,
                etag=cached.get("ETag"),
                last_modified=_timestamp(cached.get("Last-Modified")),
                response=cached,
            )
            if response is not cached:
                # A 304 (or 412) made here: no middleware adds the security
                # headers on its way out, so it takes the kept page's.
                for header in SECURITY_HEADERS:
                    if header in cached:
                        response[header] = cached[header]
            return response
        # The page's ETag and Last-Modified come from the same moment, read once.
        request.content_changed_at = stamp
        response = self.get_response(request)
        # Kept with the moment read before the page was built: an edit made
        # meanwhile moves the moment, and this copy is never served.
        if stamp and getattr(request, "public_page", False) and is_cacheable(response):
            if hasattr(response, "render") and not response.is_rendered:
                response.render()
            freshness.keep(key, (stamp, response), settings.PAGE_CACHE_SECONDS)
        return response


def _timestamp(http_date):
    from django.utils.http import parse_http_date_safe

    return parse_http_date_safe(http_date) if http_date else None
