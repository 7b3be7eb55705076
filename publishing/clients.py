"""Who is asking: the client's address, told through the proxies the site trusts.

Behind a reverse proxy every request comes from the proxy's address; the proxy
says whom it is forwarding for in X-Forwarded-For, each proxy on the way
appending the address it saw. Anyone can send that header, so it is read only
when the peer is a proxy listed in TRUSTED_PROXIES, and only as far back as the
first address that is not one of them: that is the client. Used by the sign-in
limits (django-axes) and the error-report limit.
"""

import ipaddress

from django.conf import settings


def client_address(request):
    peer = request.META.get("REMOTE_ADDR", "")
    if not trusted(peer):
        return peer
    forwarded = request.META.get("HTTP_X_FORWARDED_FOR", "")
    hops = [hop.strip() for hop in forwarded.split(",") if hop.strip()]
    for hop in reversed(hops):
        if not trusted(hop):
            return hop if parsed(hop) else peer
    return hops[0] if hops else peer


def trusted(address):
    """Whether an address is one of the proxies the site trusts."""
    ip = parsed(address)
    return ip is not None and any(ip in network for network in settings.TRUSTED_PROXIES)


def parsed(address):
    try:
        return ipaddress.ip_address(address)
    except ValueError:
        return None
