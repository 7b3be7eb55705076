"""Site-wide middleware: input settled first, the browser policies, one address per page, and
a plain 503 when the database is away."""

import codecs
import logging

from django.conf import settings
from django.db import InterfaceError, OperationalError, connection, connections
from django.http import (
    HttpResponse,
    HttpResponseBadRequest,
    HttpResponsePermanentRedirect,
    QueryDict,
)
from django.template.loader import render_to_string

from . import freshness
from .views import healthz

# Control characters a query parameter never needs (tab, newline and return
# are kept as the blanks they are): NUL is refused by PostgreSQL's text.
CONTROL_CHARACTERS = dict.fromkeys([*range(0x09), 0x0B, 0x0C, *range(0x0E, 0x20), 0x7F])


class RequestInputMiddleware:
    """Input no page can read is settled before any of them runs.

    A body in another charset than UTF-8 (the only one the site's forms send)
    answers 400 with the site's page: decoding it failed later, in the error
    handlers themselves. Control characters are stripped from query parameters.
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        charset = request.content_params.get("charset")
        if charset and not is_utf8(charset):
            return bad_request()
        cleaned = QueryDict(mutable=True)
        for key, values in request.GET.lists():
            cleaned.setlist(
                key.translate(CONTROL_CHARACTERS),
                [value.translate(CONTROL_CHARACTERS) for value in values],
            )
        if cleaned != request.GET:
            request.GET = QueryDict(cleaned.urlencode())
        return self.get_response(request)


def is_utf8(charset):
    try:
        return codecs.lookup(charset).name == "utf-8"
    except LookupError:
        return False


def bad_request():
    return HttpResponseBadRequest(render_to_string("400.html"))


class PolicyHeadersMiddleware:
    """The browser policies Django's SecurityMiddleware does not send, on every
    response, static files included: no powerful feature (camera, location …)
    for any page, and no other site may embed the site's resources."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        response.headers.setdefault("Permissions-Policy", settings.PERMISSIONS_POLICY)
        response.headers.setdefault(
            "Cross-Origin-Resource-Policy", settings.CROSS_ORIGIN_RESOURCE_POLICY
        )
        return response


class SiteHostMiddleware:
    """With SITE_HOST set, a request to another allowed host gets a 301 to the
    same address on the site's own host (https once the site is on HTTPS).

    Pages name their own address (canonical link, structured data, sitemap),
    so without it a page served on www. and on the bare domain would have two.
    The health check answers on any allowed host: a load balancer asks by
    its own name for the server.
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        host = settings.SITE_HOST
        if host and request.path != "/healthz" and request.get_host() != host:
            scheme = "https" if settings.HTTPS else request.scheme
            return HttpResponsePermanentRedirect(f"{scheme}://{host}{request.get_full_path()}")
        return self.get_response(request)


class DatabaseUnavailableMiddleware:
    """When the database does not answer, say so plainly with a 503, never a 500.

    Only errors of reaching the database count (OperationalError,
    InterfaceError: refused, timed out, dropped, locked); a bad query stays
    a 500 so it gets fixed. The broken connection is closed, so the next
    request connects afresh: the site recovers by itself when the database
    is back. While an outage is flagged (``freshness``), a page that needs
    the database answers 503 at once rather than wait for a connection;
    ``/healthz`` still tries, and clears the flag when it gets through.
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        return self.get_response(request)

    def process_view(self, request, view, args, kwargs):
        if getattr(request, "database_unreachable", False) and view is not healthz:
            return unavailable()
        return None

    def process_exception(self, request, exception):
        if not isinstance(exception, (OperationalError, InterfaceError)):
            return None
        logging.getLogger("django.request").error("Database unavailable: %s", exception)
        if connection.connection is None:  # no connection could be opened at all
            freshness.note_outage()
        for each in connections.all(initialized_only=True):
            if not each.in_atomic_block:
                each.close()
        return unavailable()


def unavailable():
    response = HttpResponse(render_to_string("503.html"), status=503)
    response["Retry-After"] = "30"
    response["Cache-Control"] = "no-store"
    return response
