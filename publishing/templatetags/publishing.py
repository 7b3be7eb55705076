from django import template
from django.utils.safestring import mark_safe

from ..meta import breadcrumb_ld

register = template.Library()


@register.simple_tag(takes_context=True)
def breadcrumb_json(context):
    """The page's breadcrumbs as schema.org JSON, safe inside its <script> element."""
    return mark_safe(breadcrumb_ld(context["meta"], context["request"]))
