"""Find published routes by their names, codes, country, category and the words on their pages.

Words are compared by their English stems (Snowball: "permits" finds
"permit", "workers" finds "worker"), without accents and in any case. A
route is found when every word of the query is somewhere on it: its names,
code, country or category rank first, then its summary, then its facts,
documents, steps, questions and answers and the quotes of its sources. A
word found nowhere is read as the closest word of a name (a country, a
category, a route's name or code) when one is close enough ("kazakstan":
Kazakhstan), and the page says so. A query that names a country or a
category puts a link to its page above the routes.

PostgreSQL does the matching itself (``search_postgres``: full text with the
english configuration over unaccented text, pg_trgm for the closest name,
ts_headline for the passages). Elsewhere ``search_text`` keeps the same
words in memory, once per content change, and compares them with
snowballstemmer and rapidfuzz.
"""

import re
from dataclasses import dataclass, field
from functools import lru_cache

from django.db import connection
from django.db.models import CharField, Prefetch, TextField
from django.db.models.functions import Lower

from .models import Category, Country, Fact, Route
from .search_text import text_index_at
from .search_words import (
    STOP_WORDS,
    SUMMARY_WEIGHT,
    WORD,
    codes_of,
    fold,
    mark,
    stem,
    term,
    terms_of,
)
from .vocabulary import FEE, FigureTopic

MAX_QUERY_LENGTH = 200
# The routes a page of results shows, best first; the count says how many match.
MAX_SHOWN = 20
# Nothing a visitor types on purpose: NUL (which PostgreSQL refuses) and other controls.
CONTROL = re.compile(r"[\x00-\x1f\x7f]")


class Casefold(Lower):
    """``field__casefold``: the text in one case, for comparing in any script.

    Django's ``Lower``, except on SQLite, whose LOWER and LIKE fold only the
    ASCII letters ("ÉTRANGERS" would not find "étrangers"): there Python's
    ``str.casefold``, given to each connection as it opens (``on_connect``).
    """

    lookup_name = "casefold"

    def as_sqlite(self, compiler, connection, **extra):
        return super().as_sql(compiler, connection, function=SQLITE_CASEFOLD, **extra)


SQLITE_CASEFOLD = "PY_CASEFOLD"
CharField.register_lookup(Casefold)
TextField.register_lookup(Casefold)


def on_connect(sender, connection, **kwargs):
    """Give a new SQLite connection the function ``Casefold`` calls there."""
    if connection.vendor == "sqlite":
        connection.connection.create_function(SQLITE_CASEFOLD, 1, _casefold, deterministic=True)


def _casefold(text):
    return text.casefold() if isinstance(text, str) else text


# ---------------------------------------------------------------------------
# Countries and categories: the filters, and what a query can name


@dataclass
class Names:
    """The countries with published routes and the categories, as of one moment."""

    countries: list
    categories: list

    def country(self, slug):
        return next((c for c in self.countries if c.slug == slug), None)

    def category(self, slug):
        return next((c for c in self.categories if c.slug == slug), None)


@lru_cache(maxsize=1)
def names_at(moment):
    """The countries and categories as of ``moment``: two queries."""
    return Names(list(Country.objects.with_route_counts()), list(Category.objects.all()))


def named(things, stems):
    """The things (countries, categories) a query names: every word of the name, or
    of the slug, is among the query's stems."""
    found = []
    for thing in things:
        for words in (thing.name, thing.slug):
            wanted = {stem(w) for w in WORD.findall(fold(words)) if w not in STOP_WORDS}
            if wanted and wanted <= stems:
                found.append(thing)
                break
    return found


# ---------------------------------------------------------------------------
# The search


@dataclass
class Found:
    """A route among the results, with what the page shows of it."""

    route: object
    name: str  # HTML: the official name, the words found marked
    common_name: str
    description: str
    passage: tuple = ()  # (where, HTML) of a row the words were found in


@dataclass
class SearchResult:
    query: str
    found: list = field(default_factory=list)
    total: int = 0
    message: str = ""
    truncated: bool = False
    read_as: str = ""  # the query as searched, when a word was read as a close name
    countries: list = field(default_factory=list)  # countries the query names
    categories: list = field(default_factory=list)
    country: object = None  # the filters in force
    category: object = None
    notes: list = field(default_factory=list)  # filters that were asked for and ignored
    names: object = None

    @property
    def routes(self):
        return [f.route for f in self.found]

    @property
    def count(self):
        return self.total

    @property
    def more(self):
        return self.total - len(self.found)


def clean(query):
    query = " ".join(CONTROL.sub(" ", query or "").split())
    return query[:MAX_QUERY_LENGTH], len(query) > MAX_QUERY_LENGTH


def find_routes(query, moment, country="", category=""):
    """The published routes a query finds, best first, within a country and a category."""
    query, truncated = clean(query)
    names = names_at(moment)
    result = SearchResult(query, truncated=truncated, names=names)
    result.country = names.country(country) if country else None
    result.category = names.category(category) if category else None
    if country and result.country is None:
        result.notes.append(f"There is no country “{country[:60]}” to search in: all are searched.")
    if category and result.category is None:
        result.notes.append(f"There is no category “{category[:60]}”: all are searched.")
    terms, codes = terms_of(query), codes_of(query)
    if not query:
        result.message = "Type a route name, a code such as “B9-1”, or a country."
        return result
    if not terms and not codes:
        result.message = "Your search has no letters or digits to look for."
        return result
    engine = _postgres() if connection.vendor == "postgresql" else _portable(moment)
    hits = engine.hits(terms, codes)
    unknown = [t.word for t, found in zip(terms, hits.per_term, strict=True) if not found]
    if unknown:
        closest = engine.closest_names([w for w in unknown if len(w) >= 4 and w.isalpha()])
        if closest:
            result.read_as = " ".join(closest.get(t.word, t.word) for t in terms)
            terms = [term(fold(closest[t.word])) if t.word in closest else t for t in terms]
            hits = engine.hits(terms, codes)
    stems = {s for t in terms for s in t.stems}
    result.countries = named(names.countries, stems)
    result.categories = named(names.categories, stems)
    ranked = hits.ranked(result.country, result.category)
    result.total = len(ranked)
    shown = ranked[:MAX_SHOWN]
    if not shown:
        return result
    routes = {r.pk: r for r in _with_key_facts(Route.objects.published().filter(pk__in=shown))}
    # A passage for each route with a word found only below its names and summary.
    below = [
        (pk, t)
        for pk in shown
        for t, found in zip(terms, hits.per_term, strict=True)
        if found.get(pk, 0.0) < SUMMARY_WEIGHT
    ]
    passages = {}
    if below:
        passages = engine.passages(
            list(dict.fromkeys(pk for pk, _ in below)), list(dict.fromkeys(t for _, t in below))
        )
    for pk in shown:
        if (route := routes.get(pk)) is not None:
            result.found.append(
                Found(
                    route,
                    mark(route.official_name, stems),
                    mark(route.common_name, stems),
                    mark(route.summary, stems),
                    passages.get(pk, ()),
                )
            )
    return result


def _with_key_facts(routes):
    """Routes with the facts a result shows: fees, processing time, validity (two queries)."""
    shown = Fact.objects.filter(
        topic__in=[FEE, FigureTopic.PROCESSING_TIME, FigureTopic.VALIDITY]
    ).select_related("source")
    return routes.listed().prefetch_related(Prefetch("facts", queryset=shown))


def _portable(moment):
    """The words of every published route as of ``moment``, kept in this process."""
    return text_index_at(moment)


def _postgres():
    """PostgreSQL's own search, imported only when the database is PostgreSQL."""
    from . import search_postgres

    return search_postgres
