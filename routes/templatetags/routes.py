from urllib.parse import urlsplit

from django import template

from .. import facts

register = template.Library()


@register.filter
def statement(fact):
    """A fact's value and detail in words."""
    return facts.statement(fact)


@register.filter
def explains(unit):
    """What a local money unit (MCI, minimum wage) is; empty for others."""
    return facts.unit_explanation(unit)


@register.filter
def domain(url):
    return urlsplit(url).netloc.removeprefix("www.")


@register.filter
def criteria_of(summary, criteria):
    """A comparison row's requirement groups for the table's criteria columns."""
    return summary.criteria(criteria)
