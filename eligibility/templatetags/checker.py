"""The checker's route cards, as HTML built with ``format_html``.

A results page shows a card for each of many routes, with several cited
requirements each: a few thousand small pieces of text. Through nested
template tags and includes they cost most of the page, so a card is joined
here from pieces, each citation being the route page's own
(``routes.citations.citation``, built once per process). A card drawn once
is kept with the route's card for the findings it was drawn for, until
content changes: visitors whose answers come out the same way on a route
see the same card.
"""

from django import template
from django.utils.html import format_html, format_html_join
from django.utils.safestring import mark_safe

from eligibility.verdicts import Verdict
from routes import citations
from routes.facts import joined

register = template.Library()

_NOT_NEEDED = mark_safe(
    '<p class="checked">Checked against its nationality rule; the other stated requirements '
    "below apply to those who need this permit.</p>\n"
)
_TOO_LITTLE = mark_safe(
    '<p class="not-stated">The sources on record state no requirement your answers could be '
    "compared with, so the checker cannot say whether you qualify.</p>\n"
)


# Ways of coming out kept for one route's card, at most; then it starts afresh.
DRAWN_PER_ROUTE = 8


@register.simple_tag
def verdict_cards(verdicts):
    """The cards of these verdicts, one after the other."""
    return format_html_join("", "{}\n", ((_drawn(verdict),) for verdict in verdicts))


def _drawn(verdict):
    """The card, drawn once for each way its requirements come out and its silences."""
    drawn, key = verdict.card.drawn, (verdict.findings, verdict.silent)
    html = drawn.get(key)
    if html is None:
        if len(drawn) >= DRAWN_PER_ROUTE:
            drawn.clear()
        html = drawn[key] = verdict_card(verdict)
    return html


def verdict_card(verdict):
    """One route's card: its verdict, what to answer or check, each requirement, its sources."""
    route, url = verdict.route, verdict.url
    common = format_html("{} · ", route.common_name) if route.common_name else ""
    return format_html(
        '<li class="verdict-card verdict-{}">\n'
        '<h4><a href="{}">{}</a></h4>\n'
        '<p class="route-context">{}<span class="badge">{}</span> · '
        '<strong class="verdict-label">{}</strong></p>\n'
        "{}{}{}{}{}</li>",
        verdict.verdict,
        url,
        route.official_name,
        common,
        route.category.name,
        verdict.label,
        _how_much(verdict),
        _what_to_do(verdict),
        _lines(verdict, url),
        _sources(verdict.citations),
        _official_page(verdict),
    )


def _how_much(verdict):
    """“3 stated requirements checked; the sources are silent on age and income.”"""
    if verdict.verdict == Verdict.TOO_LITTLE:
        return _TOO_LITTLE
    if verdict.verdict == Verdict.NOT_NEEDED:
        return _NOT_NEEDED
    out_of = verdict.comparable
    checked = (
        f"{verdict.checked} of {out_of} stated requirement{'' if out_of == 1 else 's'} checked"
    )
    if verdict.silent:
        silent = joined(label.lower() for label in verdict.silent)
        return format_html(
            '<p class="checked">{}; the sources are silent on {}.</p>\n', checked, silent
        )
    return format_html('<p class="checked">{}.</p>\n', checked)


def _official_page(verdict):
    if verdict.verdict != Verdict.TOO_LITTLE:
        return ""
    if page := verdict.official_page:
        return format_html(
            '<p class="official-page">Read the official page: <a href="{}">{}</a>.</p>\n', *page
        )
    return mark_safe('<p class="official-page">No official page is on record for this route.</p>\n')


def _what_to_do(verdict):
    if questions := verdict.questions:
        asked = format_html_join(
            "",
            "<li>{}{}</li>",
            (
                (ask.text, format_html(" In {}, please.", ask.currency) if ask.currency else "")
                for ask in questions
            ),
        )
        return format_html(
            '<p class="to-answer">To get a verdict, answer:</p>\n<ul class="questions">{}</ul>\n',
            asked,
        )
    if verdict.verdict == Verdict.NOT_ENOUGH:
        points = len(verdict.to_check)
        what, them = ("one point", "it") if points == 1 else (f"{points} points", "them")
        return format_html(
            '<p class="to-answer">The checker cannot settle {}: check {} against the source.</p>\n',
            what,
            them,
        )
    return ""


def _lines(verdict, url):
    if not verdict.lines:
        return ""
    lines = format_html_join("\n", "{}", ((_requirement(line, url),) for line in verdict.lines))
    return format_html('<ul class="lines">\n{}\n</ul>\n', lines)


def _requirement(line, url):
    """One requirement line: “Age range 18–60 years: you are 61. [1] Official · …”."""
    if len(line.facts) == 1:
        (cited,) = line.facts
        text = format_html(
            "{} {}{}: {}. {}",
            line.label,
            cited.statement,
            citations.standing(cited.fact),
            line.reason,
            _cite(cited.citation, url),
        )
    else:
        values = format_html_join(
            "",
            "<li>{}{}{} {}</li>",
            (
                (
                    c.statement,
                    citations.standing(c.fact),
                    format_html(" — {}", c.citation.source.publisher) if c.citation else "",
                    _cite(c.citation, url),
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


def _cite(citation, url):
    """“[1] Official · 24 Jun 2026”, linked to the route page's numbered source."""
    return citations.citation(citation.source, citation.number, url) if citation else ""


def _linked(url, text):
    """The text, linked to url when it is a web address."""
    address = citations.web_address(url)
    return format_html('<a href="{}">{}</a>', address, text) if address else text


def _sources(cited):
    if not cited:
        return ""
    items = format_html_join(
        "",
        "<li>[{}] {} — {} · {}</li>",
        (
            (
                c.number,
                _linked(c.source.url, c.source.title),
                c.source.publisher,
                c.source.get_kind_display(),
            )
            for c in cited
        ),
    )
    plural = "" if len(cited) == 1 else "s"
    return format_html(
        '<p class="cited-title">Source{}</p>\n<ul class="cited">{}</ul>\n', plural, items
    )
