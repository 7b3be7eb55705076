from django import template
from django.utils.safestring import mark_safe

from publishing.meta import ld_json

from .. import citations, facts
from ..vocabulary import SOURCE_KIND_SHORT

register = template.Library()


@register.filter
def statement(fact):
    """A fact's value and detail in words."""
    return facts.statement(fact)


@register.filter
def criteria_of(summary, criteria):
    """A comparison row's requirement groups for the table's criteria columns."""
    return summary.criteria(criteria)


@register.filter
def silent_on(summary, criteria):
    """What a comparison row's sources say nothing about, among the table's criteria."""
    return summary.silent_on(criteria)


@register.simple_tag
def faq_json(answers):
    """Schema.org FAQPage from the questions and answers a route page shows."""
    entities = [
        {
            "@type": "Question",
            "name": answer.question,
            "acceptedAnswer": {"@type": "Answer", "text": answer.answer},
        }
        for answer in answers
    ]
    return mark_safe(
        ld_json({"@context": "https://schema.org", "@type": "FAQPage", "mainEntity": entities})
    )


@register.filter
def day(value):
    """A date as a ``<time>`` element: “24 June 2026”."""
    return citations.day(value)


@register.filter
def web(url):
    """A stored address, when it may be a link (http or https); "" otherwise."""
    return citations.web_address(url)


@register.filter
def short_day(value):
    """A date as a ``<time>`` element: “24 Jun 2026”."""
    return citations.short_day(value)


@register.filter
def source_kind_short(kind):
    """“Official”, “State agency” or “Secondary”."""
    return SOURCE_KIND_SHORT[kind]


@register.simple_tag
def cite(source):
    """A row's citation marker on its route page (the source carries its number)."""
    return citations.marker(source)


@register.simple_tag
def fact_group(group):
    return citations.fact_group(group)


@register.simple_tag
def cell(group):
    return citations.cell(group)


@register.simple_tag
def fees_cell(groups):
    return citations.fees_cell(groups)


@register.simple_tag
def flag(country):
    """The country's flag, before its name."""
    return citations.flag(country.flag_path)
