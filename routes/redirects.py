"""Old addresses keep working: a changed slug leaves a permanent redirect.

Redirects are rows of django.contrib.redirects, answered with a 301 by its
fallback middleware when nothing else answers the old path.
"""

from django.conf import settings
from django.contrib.redirects.models import Redirect


def moved(old_path, new_path):
    """Send old_path (and whatever pointed at it) to new_path."""
    if old_path == new_path:
        return
    site_id = settings.SITE_ID
    Redirect.objects.filter(site_id=site_id, new_path=old_path).update(new_path=new_path)
    Redirect.objects.filter(site_id=site_id, old_path=new_path).delete()
    Redirect.objects.update_or_create(
        site_id=site_id, old_path=old_path, defaults={"new_path": new_path}
    )


def country_moved(country, old_slug):
    """The hub and every route of a country whose slug changed."""
    moved(f"/{old_slug}/", country.get_absolute_url())
    for route in country.routes.all():
        moved(f"/{old_slug}/{route.slug}/", route.get_absolute_url())
