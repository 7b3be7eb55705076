from django import template

from ..models import Change, Route, SourceCheck

register = template.Library()


@register.simple_tag
def overdue_route_count():
    """How many published routes are due for re-verification (for the admin index)."""
    return Route.objects.overdue().count()


@register.simple_tag
def waiting_change_count():
    """How many changes to published routes wait for a publisher's review."""
    return Change.objects.waiting().count()


@register.simple_tag
def sources_needing_attention_count():
    """How many sources' latest check found something an editor has not looked at yet."""
    return SourceCheck.objects.needing_attention().count()
