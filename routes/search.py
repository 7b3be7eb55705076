"""Find published routes by name, code, country and the words on their pages.

PostgreSQL ranks with its full-text search (a weighted search vector and
websearch syntax). Elsewhere a portable fallback asks that every word of the
query appear somewhere on the route, and ranks by where it appears: in the
names, code or country first, then the summary, then documents and facts.
For a query of plain words both find the same routes, in any script and
either case: the fallback compares text case-folded (``Casefold``).
"""

import re
from dataclasses import dataclass, field
from functools import reduce
from operator import or_

from django.db import connection
from django.db.models import (
    Case,
    CharField,
    Exists,
    FloatField,
    OuterRef,
    Q,
    StringAgg,
    Subquery,
    TextField,
    Value,
    When,
)
from django.db.models.functions import Coalesce, Lower

from .models import Document, Fact, Route

MAX_QUERY_LENGTH = 200
# More words than this add nothing to a search but cost the database dearly.
MAX_TERMS = 8
# Words: letters and digits in any script, joined by hyphens or dots ("B9-1").
WORD = re.compile(r"[^\W_]+(?:[-.][^\W_]+)*")

# British and American spellings of words routes are named and described
# with: a search in either finds both ("labor permit", "work programme").
SPELLINGS = dict(
    pair
    for british, american in [
        ("labour", "labor"),
        ("programme", "program"),
        ("programmes", "programs"),
        ("licence", "license"),
        ("licences", "licenses"),
        ("centre", "center"),
        ("authorisation", "authorization"),
        ("organisation", "organization"),
        ("notarised", "notarized"),
        ("recognised", "recognized"),
    ]
    for pair in ((british, american), (american, british))
)

# (weight, route fields) from most to least telling.
WEIGHTED_FIELDS = [
    ("A", 1.0, ["official_name", "common_name", "code", "country__name", "category__name"]),
    ("B", 0.4, ["summary"]),
]
RELATED_WEIGHT = ("C", 0.2)


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


@dataclass
class SearchResult:
    query: str
    routes: list = field(default_factory=list)
    message: str = ""
    truncated: bool = False

    @property
    def count(self):
        return len(self.routes)


def words(query):
    """The distinct words of a query, case-folded, at most MAX_TERMS of them."""
    return list(dict.fromkeys(w.casefold() for w in WORD.findall(query)))[:MAX_TERMS]


def spellings(term):
    """The term as written, and in the other English spelling if it has one."""
    return [term, SPELLINGS[term]] if term in SPELLINGS else [term]


def find_routes(query):
    query = " ".join((query or "").split())
    truncated = len(query) > MAX_QUERY_LENGTH
    if truncated:
        query = query[:MAX_QUERY_LENGTH]
    terms = words(query)
    if not query:
        return SearchResult(
            query, message="Type a route name, a code such as “B9-1”, or a country."
        )
    if not terms:
        return SearchResult(query, message="Your search has no letters or digits to look for.")
    routes = Route.objects.published().listed()
    if connection.vendor == "postgresql":
        found = _postgres(routes, query, terms)
    else:
        found = _portable(routes, terms)
    return SearchResult(query, routes=list(found), truncated=truncated)


def _related_text_match(term):
    """The term appears in one of the route's documents or facts."""
    documents = Document.objects.filter(route=OuterRef("pk"), name__casefold__contains=term)
    facts = Fact.objects.filter(route=OuterRef("pk"), text__casefold__contains=term)
    return Exists(documents) | Exists(facts)


def _field_match(term, fields):
    condition = Q()
    for name in fields:
        condition |= Q(**{f"{name}__casefold__contains": term})
    return condition


def _portable(routes, terms):
    rank = Value(0.0, output_field=FloatField())
    for term in terms:
        variants = spellings(term)
        every_field = Q()
        for _, weight, fields in WEIGHTED_FIELDS:
            match = reduce(or_, (_field_match(v, fields) for v in variants))
            every_field |= match
            rank = rank + _score(match, weight)
        related = reduce(or_, (_related_text_match(v) for v in variants))
        rank = rank + _score(related, RELATED_WEIGHT[1])
        routes = routes.filter(every_field | related)
    return routes.annotate(rank=rank).order_by("-rank", "country__name", "official_name")


def _score(condition, weight):
    return Case(When(condition, then=Value(weight)), default=Value(0.0), output_field=FloatField())


def _postgres(routes, query, terms):
    from django.contrib.postgres.search import SearchQuery, SearchRank, SearchVector

    documents = (
        Document.objects.filter(route=OuterRef("pk"))
        .order_by()
        .values("route")
        .annotate(text=StringAgg("name", delimiter=Value(" ")))
        .values("text")
    )
    facts = (
        Fact.objects.filter(route=OuterRef("pk"))
        .order_by()
        .values("route")
        .annotate(text=StringAgg("text", delimiter=Value(" ")))
        .values("text")
    )
    vector = SearchVector(*WEIGHTED_FIELDS[0][2], weight="A", config="simple")
    vector += SearchVector("summary", weight="B", config="english")
    vector += SearchVector(
        Coalesce(Subquery(documents), Value(""), output_field=TextField()),
        Coalesce(Subquery(facts), Value(""), output_field=TextField()),
        weight="C",
        config="english",
    )
    search_query = None
    for text in _respelled(query, terms):
        for config in ("english", "simple"):
            one = SearchQuery(text, search_type="websearch", config=config)
            search_query = one if search_query is None else search_query | one
    # A code such as "B9-1" is matched as written as well as by its words.
    code_match = Q()
    for term in terms:
        code_match |= Q(code__iexact=term)
    return (
        routes.annotate(
            search=vector, rank=SearchRank(vector, search_query) + _score(code_match, 1.0)
        )
        .filter(Q(search=search_query) | code_match)
        .order_by("-rank", "country__name", "official_name")
    )


def _respelled(query, terms):
    """The query as written, then with each word that has another English
    spelling written that way (websearch syntax kept)."""
    if not any(term in SPELLINGS for term in terms):
        return [query]
    swapped = WORD.sub(lambda m: SPELLINGS.get(m.group(0).casefold(), m.group(0)), query)
    return [query, swapped]
