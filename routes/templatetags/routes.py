from django import template

from .. import facts, render

register = template.Library()


@register.filter
def statement(fact):
    """A fact's value and detail in words."""
    return facts.statement(fact)


@register.filter
def criteria_of(summary, criteria):
    """A comparison row's requirement groups for the table's criteria columns."""
    return summary.criteria(criteria)


@register.simple_tag(takes_context=True)
def breadcrumb_json(context):
    from django.utils.safestring import mark_safe

    from ..meta import breadcrumb_ld

    return mark_safe(breadcrumb_ld(context["meta"], context["request"]))


@register.simple_tag
def faq_json(answers):
    from django.utils.safestring import mark_safe

    from ..meta import faq_ld

    return mark_safe(faq_ld(answers))


@register.filter
def day(value):
    """A date as a ``<time>`` element: “24 June 2026”."""
    return render.day(value)


@register.simple_tag
def cite(source):
    """A fact's citation on its route page (the source carries its number)."""
    return render.citation(source, getattr(source, "number", ""))


@register.simple_tag
def fact_group(group):
    return render.fact_group(group)


@register.simple_tag
def cell(group):
    return render.cell(group)


@register.simple_tag
def fees_cell(groups):
    return render.fees_cell(groups)


@register.simple_tag
def flag(country):
    """The country's flag, before its name."""
    return render.flag(country.flag_path)
