import logging

from django.conf import settings
from django.db import DatabaseError, InterfaceError, OperationalError, connections
from django.http import HttpResponse, HttpResponsePermanentRedirect
from django.template.loader import render_to_string

from .redirects import new_address


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


class OldAddressMiddleware:
    """Answer a 404 at an address that moved with a 301 to where it went."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        if response.status_code != 404:
            return response
        try:
            target = new_address(request.path)
        except DatabaseError:
            return response
        return HttpResponsePermanentRedirect(target) if target else response


class DatabaseUnavailableMiddleware:
    """When the database does not answer, say so plainly with a 503, never a 500.

    Only errors of reaching the database count (OperationalError,
    InterfaceError: refused, dropped, locked); a bad query stays a 500 so it
    gets fixed. The broken connection is closed, so the next request connects
    afresh: the site recovers by itself when the database is back.
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        return self.get_response(request)

    def process_exception(self, request, exception):
        if not isinstance(exception, (OperationalError, InterfaceError)):
            return None
        logging.getLogger("django.request").error("Database unavailable: %s", exception)
        for connection in connections.all(initialized_only=True):
            if not connection.in_atomic_block:
                connection.close()
        response = HttpResponse(render_to_string("503.html"), status=503)
        response["Retry-After"] = "30"
        response["Cache-Control"] = "no-store"
        return response
