"""Old addresses keep working: a changed slug leaves a permanent redirect."""

from django.db import DatabaseError
from django.http import HttpResponsePermanentRedirect
from django.urls import Resolver404, resolve

from .models import Country, OldAddress, Route


def is_public(path):
    """Whether a visitor may see the page at path: a route or country page only
    once something there is published (a redirect would otherwise name a draft)."""
    try:
        match = resolve(path)
    except Resolver404:
        return False
    if match.url_name == "route":
        routes = Route.objects.published().filter(
            country__slug=match.kwargs["country_slug"], slug=match.kwargs["route_slug"]
        )
        return routes.exists()
    if match.url_name == "country":
        countries = Country.objects.with_route_counts()
        return countries.filter(slug=match.kwargs["country_slug"]).exists()
    return True


class OldAddressMiddleware:
    """Answer a 404 at an address that moved with a 301 to where it went.

    Only when nothing else answers the address, so a live page there wins,
    and only when the page it went to is public: the old address of a draft
    stays a 404, and says nothing of the draft's new address.
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        if response.status_code != 404:
            return response
        try:
            target = OldAddress.objects.new_address(request.path)
            if not target or not is_public(target):
                return response
        except DatabaseError:
            return response
        return HttpResponsePermanentRedirect(target)
