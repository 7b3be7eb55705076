"""PostgreSQL's own search: the same words as ``search_text``, matched by the database.

Text is read by ``routes_search_words`` (full text with the english
configuration over ``unaccent``-ed text, migration 0019), stored beside each
searched text with a GIN index (``search_words``, ``search_names`` and
``search_summary``, migration 0025), and a word by ``routes_search_query``.
The closest name to a word found nowhere is pg_trgm's most similar word, and
the passages are ts_headline's. One query each.
"""

import re

from django.db import connection
from django.utils.html import format_html, format_html_join

from .models import Category, Country, Document, Fact, Question, Route, Source, Step
from .search_words import (
    NAME_WEIGHT,
    QUOTE_WEIGHT,
    ROW_WEIGHT,
    SUMMARY_WEIGHT,
    Hits,
    RankedRoute,
)
from .vocabulary import RouteStatus

# How alike (0–1, pg_trgm's similarity) a word and a name's word must be for
# the word to be read as that name ("kazakstan" and "kazakhstan": 0.62).
SIMILARITY_MIN = 0.5
# ts_headline marks the words it found with these, then they become <mark>.
HEADLINE_OPTIONS = "StartSel=⟦, StopSel=⟧, MaxWords=35, MinWords=15, MaxFragments=1"
HEADLINE_MARKS = re.compile("⟦(.*?)⟧", re.S)


def _table(model):
    return connection.ops.quote_name(model._meta.db_table)


def _rows():
    """(place, table, text) of the rows a route shows, in the order a result looks for
    a passage in: the quotes of their sources come after them all."""
    return [
        ("Questions", _table(Question), "question || ' ' || answer"),
        ("Documents", _table(Document), "name"),
        ("How to apply", _table(Step), "text"),
        ("Facts", _table(Fact), "text"),
    ]


def _query(term):
    """A term's words (as typed, in their other spelling) as one tsquery, and its parameters."""
    return f"({' || '.join(['routes_search_query(%s)'] * len(term.forms))})", list(term.forms)


def hits(terms, codes):
    route, country, category = _table(Route), _table(Country), _table(Category)
    parts, params = [], []
    for i, term in enumerate(terms):
        query, words = _query(term)
        # Each its own branch, so that each uses its own index; a route once per branch.
        parts += [
            f"SELECT {i}, r.id, {NAME_WEIGHT} FROM {route} r WHERE r.search_names @@ {query}",
            f"SELECT {i}, r.id, {NAME_WEIGHT} FROM {route} r JOIN {country} c "
            f"ON c.id = r.country_id WHERE routes_search_words(c.name) @@ {query}",
            f"SELECT {i}, r.id, {NAME_WEIGHT} FROM {route} r JOIN {category} g "
            f"ON g.id = r.category_id WHERE routes_search_words(g.name) @@ {query}",
            f"SELECT {i}, r.id, {SUMMARY_WEIGHT} FROM {route} r WHERE r.search_summary @@ {query}",
        ]
        params += words * 4
        for _, table, _ in _rows():
            parts.append(
                f"SELECT DISTINCT {i}, x.route_id, {ROW_WEIGHT} FROM {table} x "
                f"WHERE x.search_words @@ {query}"
            )
            params += words
            parts.append(
                f"SELECT DISTINCT {i}, x.route_id, {QUOTE_WEIGHT} FROM {table} x "
                f"WHERE x.source_id IN (SELECT s.id FROM {_table(Source)} s "
                f"WHERE s.search_words @@ {query})"
            )
            params += words
    if codes:
        parts.append(f"SELECT -1, r.id, {NAME_WEIGHT} FROM {route} r WHERE lower(r.code) = ANY(%s)")
        params.append(list(codes))
    sql = (
        f"WITH hit(term, route, weight) AS MATERIALIZED ({' UNION ALL '.join(parts)}) "
        f"SELECT h.term, h.route, h.weight, r.country_id, r.category_id, c.name, "
        f"r.official_name FROM (SELECT term, route, max(weight) AS weight FROM hit "
        f"GROUP BY term, route) h JOIN {route} r ON r.id = h.route AND r.status = %s "
        f"JOIN {country} c ON c.id = r.country_id"
    )
    params.append(RouteStatus.PUBLISHED)
    per_term = [{} for _ in terms]
    routes, coded = {}, set()
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        for i, pk, weight, country_id, category_id, country_name, name in cursor.fetchall():
            routes[pk] = RankedRoute(country_id, category_id, (country_name, name))
            if i < 0:
                coded.add(pk)
            else:
                per_term[i][pk] = float(weight)
    return Hits(per_term, routes, coded)


def closest_names(words):
    """{word: the name's word it is read as}, for the words close to one (pg_trgm)."""
    if not words:
        return {}
    route, country, category = _table(Route), _table(Country), _table(Category)
    sql = (
        f"WITH name(word) AS (SELECT DISTINCT regexp_split_to_table("
        f"r.official_name || ' ' || r.common_name || ' ' || r.code || ' ' || c.name || ' ' || "
        f"g.name, '[^[:alnum:]]+') FROM {route} r JOIN {country} c ON c.id = r.country_id "
        f"JOIN {category} g ON g.id = r.category_id WHERE r.status = %s) "
        f"SELECT DISTINCT ON (q.word) q.word, name.word FROM unnest(%s::text[]) AS q(word) "
        f"CROSS JOIN name WHERE length(name.word) >= 4 AND name.word ~ '^[[:alpha:]]+$' "
        f"AND similarity(lower(unaccent(name.word)), q.word) >= %s "
        f"ORDER BY q.word, similarity(lower(unaccent(name.word)), q.word) DESC, name.word"
    )
    with connection.cursor() as cursor:
        cursor.execute(sql, [RouteStatus.PUBLISHED, list(words), SIMILARITY_MIN])
        return dict(cursor.fetchall())


def passages(pks, terms):
    """{pk: (place, HTML)}: for each route, its first row with a word of the terms,
    as ts_headline quotes it."""
    query = f"({' || '.join(_query(t)[0] for t in terms)})"
    words = [w for t in terms for w in t.forms]
    parts, params = [], []
    for order, (_, table, text) in enumerate(_rows()):
        parts.append(
            f"SELECT {order}, x.position, x.route_id, {text} FROM {table} x "
            f"WHERE x.route_id = ANY(%s) AND x.search_words @@ {query}"
        )
        params += [pks, *words]
        parts.append(
            f"SELECT {order + 10}, x.position, x.route_id, s.quote FROM {table} x "
            f"JOIN {_table(Source)} s ON s.id = x.source_id "
            f"WHERE x.route_id = ANY(%s) AND s.search_words @@ {query}"
        )
        params += [pks, *words]
    sql = (
        f"SELECT DISTINCT ON (route) route, place, ts_headline('english', text, {query}, %s) "
        f"FROM ({' UNION ALL '.join(parts)}) AS row(place, position, route, text) "
        f"ORDER BY route, place, position"
    )
    params = [*words, HEADLINE_OPTIONS, *params]
    places = [place for place, *_ in _rows()]
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        return {
            pk: (places[place] if place < 10 else "Source quotes", _marked(headline))
            for pk, place, headline in cursor.fetchall()
        }


def _marked(headline):
    """ts_headline's passage, escaped, the words it found in <mark>."""
    pieces = HEADLINE_MARKS.split(headline)
    return format_html_join(
        "",
        "{}",
        ((format_html("<mark>{}</mark>", p) if i % 2 else p,) for i, p in enumerate(pieces)),
    )
