from django import template
from django.utils.safestring import mark_safe

from ..meta import SITE_DESCRIPTION, SITE_NAME, breadcrumb_ld

register = template.Library()


@register.simple_tag(takes_context=True)
def breadcrumb_json(context):
    """The page's breadcrumbs as schema.org JSON, safe inside its <script> element."""
    return mark_safe(breadcrumb_ld(context["meta"], context["request"]))


@register.simple_tag
def site():
    """The site's name and one-line description, for pages rendered with or
    without a request (error pages included)."""
    return {"name": SITE_NAME, "description": SITE_DESCRIPTION}
