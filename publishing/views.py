"""Pages of the site as a whole: its health and what crawlers may read."""

from django.conf import settings
from django.db import DatabaseError, connection
from django.http import HttpResponse
from django.urls import reverse
from django.views.decorators.cache import never_cache

from . import freshness
from .pagecache import public_page


@never_cache
def healthz(request):
    """200 when the database answers, 503 when it does not."""
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
            cursor.fetchone()
    except DatabaseError:
        freshness.note_outage()
        return HttpResponse("database unavailable\n", status=503, content_type="text/plain")
    if getattr(request, "database_unreachable", False):
        freshness.clear_outage()  # pages need not wait for the flag to lapse
    return HttpResponse("ok\n", content_type="text/plain")


@public_page
def robots_txt(request):
    sitemap = request.build_absolute_uri(reverse("sitemap"))
    if settings.ROBOTS_DISALLOW_ALL:
        lines = ["User-agent: *", "Disallow: /"]
    else:
        lines = [
            "User-agent: *",
            "Allow: /",
            f"Disallow: /{settings.ADMIN_URL}",
            "Disallow: /check/questions/",
            "Disallow: /check/results/",
            "Disallow: /search/",
            "Disallow: /*/report/",
        ]
    lines += ["", f"Sitemap: {sitemap}"]
    return HttpResponse("\n".join(lines) + "\n", content_type="text/plain; charset=utf-8")
