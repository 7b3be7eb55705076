from django import template

from ..models import Route

register = template.Library()


@register.simple_tag
def overdue_route_count():
    """How many published routes are due for re-verification (for the admin index)."""
    return Route.objects.overdue().count()
