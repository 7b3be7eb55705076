"""Public pages: the same bytes for every anonymous visitor, cached until content changes.

`public_page` wraps a view so that its response
- carries an ETag and Last-Modified from the moment content last changed,
  and answers 304 to a matching If-None-Match / If-Modified-Since;
- says `Cache-Control: public, max-age=...` so browsers and proxies may keep it;
- is kept in Django's cache under the page's address and that moment, so any
  change of content makes every page fresh on the next request, with no list
  of pages to purge.
Requests that carry a session cookie (editors) skip the shared copy.
"""

import hashlib
from functools import wraps

from django.conf import settings
from django.utils.cache import patch_cache_control
from django.views.decorators.http import condition

from . import freshness


def page_key(request, stamp):
    raw = f"{settings.RELEASE}|{stamp.isoformat()}|{request.get_full_path()}"
    return "page:" + hashlib.blake2b(raw.encode(), digest_size=16).hexdigest()


def is_shareable(request):
    return request.method in ("GET", "HEAD") and (
        settings.SESSION_COOKIE_NAME not in request.COOKIES
    )


def is_cacheable(response):
    control = response.get("Cache-Control", "")
    return (
        response.status_code in (200, 404)
        and "private" not in control
        and "no-store" not in control
        and not response.cookies
    )


def _cached(view):
    @wraps(view)
    def wrapped(request, *args, **kwargs):
        stamp = freshness.last_changed()
        use_cache = settings.PAGE_CACHE and stamp is not None and is_shareable(request)
        if use_cache:
            key = page_key(request, stamp)
            response = freshness.safe_cache_get(key)
            if response is not None:
                return response
        response = view(request, *args, **kwargs)
        if hasattr(response, "render") and callable(response.render):
            response = response.render()
        if "Cache-Control" not in response:
            patch_cache_control(response, public=True, max_age=settings.PUBLIC_MAX_AGE)
        if use_cache and is_cacheable(response):
            freshness.safe_cache_set(key, response, settings.PAGE_CACHE_SECONDS)
        return response

    return wrapped


def public_page(view):
    return condition(etag_func=freshness.etag_for, last_modified_func=freshness.last_modified_for)(
        _cached(view)
    )
