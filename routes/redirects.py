"""Old addresses keep working: a changed slug leaves a permanent redirect.

`OldAddressMiddleware` answers an old address with a 301 when nothing else
answers it, so a live page at that address always wins.
"""

from .models import OldAddress


def moved(old_path, new_path):
    """Send old_path (and whatever pointed at it) to new_path."""
    if old_path == new_path:
        return
    OldAddress.objects.filter(new_path=old_path).update(new_path=new_path)
    OldAddress.objects.filter(old_path=new_path).delete()
    OldAddress.objects.update_or_create(old_path=old_path, defaults={"new_path": new_path})


def country_moved(country, old_slug):
    """The hub and every route of a country whose slug changed."""
    moved(f"/{old_slug}/", country.get_absolute_url())
    for route in country.routes.all():
        moved(f"/{old_slug}/{route.slug}/", route.get_absolute_url())


def new_address(path):
    return OldAddress.objects.filter(old_path=path).values_list("new_path", flat=True).first()
