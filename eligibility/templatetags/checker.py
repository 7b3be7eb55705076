"""What the checker's results page says many times over, rendered in Python.

A results page may list a thousand routes with several cited requirements
each, so the citation (the same words as ``partials/cite.html`` on the route
page, linking to the route page's numbered source) is built here once per
line instead of through a template include.
"""

from django import template
from django.utils.html import format_html, format_html_join

from routes import render

register = template.Library()


@register.simple_tag
def cite(citation, url):
    """“[1] Official · verified 24 Jun 2026”, linked to the route page's source."""
    if not citation:
        return ""
    return render.citation(citation.source, citation.number, url)


_standing = render.standing


class _Citations(dict):
    """One page's citations in HTML, each built once however many lines repeat it."""

    def __call__(self, citation, url):
        if not citation:
            return ""
        key = (citation.number, citation.source.pk, url)
        html = self.get(key)
        if html is None:
            html = self[key] = cite(citation, url)
        return html


@register.simple_tag(takes_context=True)
def requirement(context, line, url):
    """One requirement line: “Age range 18–60 years: you are 61. [1] Official · …”."""
    cite = context.render_context.get(_Citations)
    if cite is None:
        cite = context.render_context[_Citations] = _Citations()
    if len(line.facts) == 1:
        (cited,) = line.facts
        text = format_html(
            "{} {}{}: {}. {}",
            line.label,
            cited.statement,
            _standing(cited.fact),
            line.reason,
            cite(cited.citation, url),
        )
    else:
        values = format_html_join(
            "",
            "<li>{}{}{} {}</li>",
            (
                (
                    c.statement,
                    _standing(c.fact),
                    f" — {c.citation.source.publisher}" if c.citation else "",
                    cite(c.citation, url),
                )
                for c in line.facts
            ),
        )
        text = format_html('{}: {}.<ul class="values">{}</ul>', line.label, line.reason, values)
    return format_html(
        '<li class="line-{}"><span class="outcome outcome-{}">{}</span> '
        '<div class="line-text">{}</div></li>',
        line.outcome,
        line.outcome,
        line.outcome_label,
        text,
    )
