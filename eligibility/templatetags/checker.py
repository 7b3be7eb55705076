"""The checker's route cards, rendered in Python.

A results page shows a card for each of many routes, with several cited
requirements each: a few thousand small pieces of text. Through nested
template tags and includes, and escaped one by one, they cost most of the
page. Here every piece of text is escaped once per process (labels, values,
reasons and names repeat on every card and every page), each citation is the
route page's own (``routes.citations.citation``, built once per process), and a
card is joined from those pieces.
"""

from functools import lru_cache

from django import template
from django.utils.html import escape
from django.utils.safestring import mark_safe

from eligibility import rules
from routes import citations
from routes.vocabulary import SourceKind

register = template.Library()

_KIND_LABELS = dict(SourceKind.choices)


@lru_cache(maxsize=16384)
def _html(text):
    """``text`` escaped for HTML; every field of what is said is in the key."""
    return escape(text)


def _cite(citation, url):
    """“[1] Official · 24 Jun 2026”, linked to the route page's numbered source."""
    return citations.citation(citation.source, citation.number, url) if citation else ""


_STATES_NOTHING = (
    '<p class="not-stated">The sources state no requirements for this route, so there is '
    "nothing your answers could fail. Read the route page before you apply.</p>\n"
)


@register.simple_tag
def verdict_cards(verdicts):
    """The cards of these verdicts, one after the other."""
    return mark_safe("".join(f"{verdict_card(verdict)}\n" for verdict in verdicts))


def verdict_card(verdict):
    """One route's card: its verdict, what to answer or check, each requirement, its sources."""
    route, url = verdict.route, verdict.url
    common = f"{_html(route.common_name)} · " if route.common_name else ""
    parts = [
        f'<li class="verdict-card verdict-{verdict.verdict}">\n'
        f'<h4><a href="{_html(url)}">{_html(route.official_name)}</a></h4>\n'
        f'<p class="route-context">{common}<span class="badge">{_html(route.category.name)}'
        f'</span> · <strong class="verdict-label">{_html(verdict.label)}</strong></p>\n'
    ]
    if verdict.states_nothing:
        parts.append(_STATES_NOTHING)
    if questions := verdict.questions:
        asked = "".join(
            f"<li>{_html(ask.text)}"
            + (f" In {_html(ask.currency)}, please." if ask.currency else "")
            + "</li>"
            for ask in questions
        )
        parts.append(
            f'<p class="to-answer">To get a verdict, answer:</p>\n<ul class="questions">{asked}</ul>\n'
        )
    elif verdict.verdict == rules.NOT_ENOUGH:
        points = len(verdict.to_check)
        what, them = ("one point", "it") if points == 1 else (f"{points} points", "them")
        parts.append(
            f'<p class="to-answer">The checker cannot settle {what}: check {them} '
            "against the source.</p>\n"
        )
    if verdict.lines:
        lines = "\n".join(_requirement(line, url) for line in verdict.lines)
        parts.append(f'<ul class="lines">\n{lines}\n</ul>\n')
    if citations := verdict.citations:
        sources = "".join(
            f'<li>[{c.number}] <a href="{_html(c.source.url)}">{_html(c.source.title)}</a>'
            f" — {_html(c.source.publisher)} · {_html(_KIND_LABELS[c.source.kind])}</li>"
            for c in citations
        )
        plural = "" if len(citations) == 1 else "s"
        parts.append(
            f'<p class="cited-title">Source{plural}</p>\n<ul class="cited">{sources}</ul>\n'
        )
    parts.append("</li>")
    return mark_safe("".join(parts))


def _requirement(line, url):
    """One requirement line: “Age range 18–60 years: you are 61. [1] Official · …”."""
    label, reason = _html(line.label), _html(line.reason)
    if len(line.facts) == 1:
        (cited,) = line.facts
        standing = citations.standing(cited.fact)
        statement = _html(cited.statement)
        text = f"{label} {statement}{standing}: {reason}. {_cite(cited.citation, url)}"
    else:
        values = "".join(
            f"<li>{_html(c.statement)}{citations.standing(c.fact)}"
            + (f" — {_html(c.citation.source.publisher)}" if c.citation else "")
            + f" {_cite(c.citation, url)}</li>"
            for c in line.facts
        )
        text = f'{label}: {reason}.<ul class="values">{values}</ul>'
    outcome = line.outcome
    return (
        f'<li class="line-{outcome}"><span class="outcome outcome-{outcome}">'
        f'{_html(line.outcome_label)}</span> <div class="line-text">{text}</div></li>'
    )
