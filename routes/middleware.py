import logging

from django.db import DatabaseError, InterfaceError, OperationalError, connections
from django.http import HttpResponse, HttpResponsePermanentRedirect
from django.template.loader import render_to_string

from .redirects import new_address


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
