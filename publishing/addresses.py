"""Public addresses of countries, categories and routes, each worked out once.

A comparison or a sitemap links hundreds of routes, and ``reverse`` walks the
URL patterns every time. An address depends only on its slugs, the URL
configuration and the script prefix the site is served under, so it is kept
under all of them.
"""

from functools import lru_cache

from django.conf import settings
from django.urls import get_script_prefix, get_urlconf, reverse


def address(viewname, *args):
    return _address(viewname, args, get_script_prefix(), get_urlconf() or settings.ROOT_URLCONF)


@lru_cache(maxsize=16384)
def _address(viewname, args, prefix, urlconf):
    return reverse(viewname, urlconf=urlconf, args=args)
