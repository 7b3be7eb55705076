"""Old addresses keep working: a changed slug leaves a permanent redirect."""

from django.db import DatabaseError
from django.http import HttpResponsePermanentRedirect

from .models import OldAddress


class OldAddressMiddleware:
    """Answer a 404 at an address that moved with a 301 to where it went.

    Only when nothing else answers the address, so a live page there wins.
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        if response.status_code != 404:
            return response
        try:
            target = OldAddress.objects.new_address(request.path)
        except DatabaseError:
            return response
        return HttpResponsePermanentRedirect(target) if target else response
