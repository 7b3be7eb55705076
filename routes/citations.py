"""HTML that pages repeat for every fact: values with their citations.

A route page cites a source next to every fact, and a checker results page
may show thousands of cited lines; building these small pieces here, once,
is several times faster than a template include per line, and keeps the
route page and the checker saying a citation in exactly the same words.
"""

from functools import lru_cache
from urllib.parse import urlsplit

from django.core.signals import setting_changed
from django.dispatch import receiver
from django.templatetags.static import static
from django.utils.dateformat import format as date_format
from django.utils.html import format_html, format_html_join
from django.utils.safestring import mark_safe

from .facts import fee_case, statement, unit_explanation
from .vocabulary import FEE, SOURCE_KIND_SHORT, SourceKind

# The schemes a stored address may be linked with (any other, javascript: or
# data: say, is shown as text at most, whatever way it was stored).
LINK_SCHEMES = frozenset({"http", "https"})


def web_address(url):
    """The address, when it is a web page's; "" otherwise. Read as browsers read it:
    urlsplit drops the leading blanks and control characters they ignore."""
    return url if url and urlsplit(url).scheme.lower() in LINK_SCHEMES else ""


@lru_cache(maxsize=4096)
def _date(label, day):
    """A citation's date, formatted once per process for each day."""
    return format_html(
        ' · {}<time datetime="{}">{}</time>', label, day.isoformat(), date_format(day, "j M Y")
    )


@lru_cache(maxsize=4096)
def day(value):
    """``<time datetime="2026-06-24">24 June 2026</time>``, formatted once per process for each day."""
    return format_html(
        '<time datetime="{}">{}</time>', value.isoformat(), date_format(value, "j F Y")
    )


@lru_cache(maxsize=4096)
def short_day(value):
    """``<time datetime="2026-06-24">24 Jun 2026</time>``, formatted once per process for each day."""
    return format_html(
        '<time datetime="{}">{}</time>', value.isoformat(), date_format(value, "j M Y")
    )


@lru_cache(maxsize=512)
def flag(path):
    """A country's flag: decorative (its name always follows), so no alt text.

    Built once per process for each flag: the static files' addresses do not
    change while it runs.
    """
    return format_html('<img class="flag" src="{}" alt="" width="20" height="15">', static(path))


@receiver(setting_changed)
def _static_files_changed(*, setting, **kwargs):
    if setting in ("STORAGES", "STATIC_URL"):
        flag.cache_clear()


def marker(source):
    """“[1]”, linked to the source's entry in the page's own list of sources, which
    gives its kind, dates and quote once; labelled here only when not official."""
    if source is None:
        return ""
    return _marker(source.number, source.publisher, source.title, source.kind, source.via_publisher)


@lru_cache(maxsize=8192)
def _marker(number, publisher, title, kind, via):
    return format_html(
        '<span class="cite"><a href="#source-{}" title="{}: {}{}">[{}]</a>{}</span>',
        number,
        publisher,
        title,
        f" (as transcribed by {via})" if via else "",
        number,
        _kind_label(kind),
    )


def _kind_label(kind):
    """“ Secondary” for a source that is not official; nothing for an official one."""
    if kind == SourceKind.OFFICIAL:
        return ""
    return format_html(' <span class="kind kind-{}">{}</span>', kind, SOURCE_KIND_SHORT[kind])


def citation(source, number, url=""):
    """“[1] Official · 24 Jun 2026”, linked to source number `number` on the route page:
    for pages that cite a route's sources without listing them (the checker's cards)."""
    if source is None:
        return ""
    return _citation(
        url,
        number,
        source.publisher,
        source.title,
        source.kind,
        source.page_date,
        source.verified_on,
        source.via_publisher,
        source.via_date,
    )


@lru_cache(maxsize=8192)
def _citation(url, number, publisher, title, kind, page_date, verified_on, via, via_date):
    """Built once per process for each citation as it reads now (every field is in the key).

    A page read in a copy says so, with the copy's date for it: never “verified”."""
    if via:
        date = _date(f"via {via}, ", via_date) if via_date else format_html(" · via {}", via)
    elif page_date:
        date = _date("", page_date)
    elif verified_on:
        date = _date("verified ", verified_on)
    else:
        date = mark_safe(" · undated")
    return format_html(
        '<span class="cite"><a href="{}#source-{}" title="{}: {}">[{}]</a> '
        '<span class="kind kind-{}">{}</span>{}</span>',
        url,
        number,
        publisher,
        title,
        number,
        kind,
        SOURCE_KIND_SHORT[kind],
        date,
    )


def standing(fact):
    """“Historical, 2023” or “Draft …” for a value not in force; nothing for a current one."""
    if fact.is_current:
        return ""
    year = f", {fact.as_of.year}" if fact.as_of else ""
    return format_html(
        ' <span class="standing standing-{}">{}{}</span>',
        fact.standing,
        fact.get_standing_display(),
        year,
    )


def fact_value(fact, case=False):
    """A fact as the route page shows it: value, link, standing, unit note and citation;
    with ``case``, a fee's own text after its amount (“719 GBP (up to three years)”)."""
    parts = [format_html('<span class="value">{}</span>', statement(fact))]
    if case and (words := fee_case(fact.text)):
        parts.append(format_html(' <span class="case">({})</span>', words))
    if address := web_address(fact.url):
        parts.append(format_html(' <a href="{}">{}</a>', address, _domain(address)))
    if not fact.is_current:
        parts.append(standing(fact))
    elif fact.as_of and fact.as_of_year_only:
        parts.append(format_html(' <span class="as-of">for {}</span>', fact.as_of.year))
    elif fact.as_of:
        parts.append(
            format_html(
                ' <span class="as-of">in force from {}</span>', date_format(fact.as_of, "j M Y")
            )
        )
    if note := unit_explanation(fact.unit):
        parts.append(format_html(' <span class="unit-note">{}</span>', note))
    if fact.source_id:
        parts.append(format_html(" {}", marker(fact.source)))
    return format_html_join("", "{}", ((part,) for part in parts))


def fact_group(group):
    """Every value of one topic; a disagreement says so first."""
    head = ""
    if group.disputed:
        head = mark_safe(
            '<p class="disputed"><strong>Sources disagree.</strong> '
            "Each value with its source, newest first:</p>"
        )
    case = group.topic == FEE and group.has_cases
    if len(group.facts) > 1:
        items = format_html_join("", "<li>{}</li>", ((fact_value(f, case),) for f in group.facts))
        return format_html('{}<ul class="values">{}</ul>', head, items)
    return format_html("{}{}", head, fact_value(group.facts[0], case))


def _domain(url):
    return urlsplit(url).netloc.removeprefix("www.")


# ---------------------------------------------------------------------------
# Cells of lists and tables (country hubs, comparisons): short values, each
# with a "source" link to the page itself. A comparison may hold thousands.

_NOT_STATED = mark_safe('<span class="not-stated">not stated</span>')
_DISAGREE = mark_safe('<span class="disputed-tag">Sources disagree:</span> ')
_BREAK = mark_safe("<br>")


@lru_cache(maxsize=4096)
def _month(day):
    return format_html(' <time datetime="{}">{}</time>', day.isoformat(), date_format(day, "M Y"))


def source_link(source):
    """“source”, linked to the cited page, labelled when not official, with its month."""
    if source is None:
        return ""
    return _source_link(source.url, source.title, source.publisher, source.kind, source.date)


@lru_cache(maxsize=8192)
def _source_link(url, title, publisher, kind, date):
    """Built once per process for each source as it reads now (every field is in the key)."""
    if not web_address(url):
        return format_html(
            '<span class="cite">source: {}{}{}</span>',
            publisher,
            _kind_label(kind),
            _month(date) if date else "",
        )
    return format_html(
        '<span class="cite"><a href="{}" title="{} ({})">source</a>{}{}</span>',
        url,
        title,
        publisher,
        _kind_label(kind),
        _month(date) if date else "",
    )


def _cell_value(fact):
    standing = ""
    if not fact.is_current:
        standing = format_html(
            ' <span class="standing standing-{}">{}</span>',
            fact.standing,
            fact.get_standing_display(),
        )
    return format_html("{}{} {}", statement(fact), standing, source_link(fact.source))


def cell(group):
    """One topic in a table cell: every value with its source, or “not stated”."""
    if not group.facts:
        return _NOT_STATED
    values = format_html_join(_BREAK, "{}", ((_cell_value(f),) for f in group.facts))
    return format_html("{}{}", _DISAGREE if group.disputed else "", values)


def fees_cell(groups):
    """Every fee in a table cell, one line each, or “not stated”."""
    if not groups:
        return _NOT_STATED
    return format_html_join(
        "",
        '<p class="cell-line">{}{}: {}</p>',
        (
            (
                _DISAGREE if group.disputed else "",
                group.name,
                format_html_join(
                    "; ",
                    "{}{}",
                    (
                        (_cell_value(f), f" ({fee_case(f.text)})" if group.has_cases else "")
                        for f in group.facts
                    ),
                ),
            )
            for group in groups
        ),
    )
