"""The words of a search: folded, stemmed, respelled, marked, and the routes' ranking.

Shared by both ways of matching (``search_text`` and ``search_postgres``),
so that a query means the same words whichever database answers it.
"""

import re
import unicodedata
from dataclasses import dataclass
from functools import lru_cache

import snowballstemmer
from django.utils.html import format_html, format_html_join

# More words than this add nothing to a search but cost the database dearly.
MAX_TERMS = 8
# Letters and digits in any script.
WORD = re.compile(r"[^\W_]+")
# A route code as written ("B9-1", "D.2"): also compared with codes as a whole.
CODE = re.compile(r"[^\W_]+(?:[-.][^\W_]+)+")

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

# Snowball's English stop words, which PostgreSQL's english configuration
# leaves out of its text: a query's word among them is not looked for.
SNOWBALL_STOP_LIST = """i me my myself we our ours ourselves you your yours yourself yourselves he him his
    himself she her hers herself it its itself they them their theirs themselves what which
    who whom this that these those am is are was were be been being have has had having do
    does did doing a an the and but if or because as until while of at by for with about
    against between into through during before after above below to from up down in out on
    off over under again further then once here there when where why how all any both each
    few more most other some such no nor not only own same so than too very s t can will
    just don should now"""
STOP_WORDS = frozenset(SNOWBALL_STOP_LIST.split())

_ENGLISH = snowballstemmer.stemmer("english")


def fold(text):
    """Text without accents, in one case: “Türkiye” and “TURKIYE” read the same."""
    decomposed = unicodedata.normalize("NFKD", text)
    return "".join(c for c in decomposed if not unicodedata.combining(c)).casefold()


@lru_cache(maxsize=65536)
def stem(word):
    """A folded word's English stem: “permits” and “permit” share one."""
    return _ENGLISH.stemWord(word)


def stems_of(text):
    """The stems of every word of a text."""
    return [stem(word) for word in WORD.findall(fold(text))]


@dataclass(frozen=True)
class Term:
    """A word of the query: as typed (folded), its other English spelling, their stems."""

    word: str
    forms: tuple
    stems: tuple


def term(word):
    forms = (word, SPELLINGS[word]) if word in SPELLINGS else (word,)
    return Term(word, forms, tuple(dict.fromkeys(stem(w) for w in forms)))


def terms_of(query):
    """The query's distinct words that are looked for, at most MAX_TERMS of them."""
    words = [w for w in WORD.findall(fold(query)) if w not in STOP_WORDS]
    return [term(w) for w in dict.fromkeys(words)][:MAX_TERMS]


def codes_of(query):
    """The query's words written like a route code (“B9-1”), folded."""
    return [fold(code) for code in CODE.findall(query)][:MAX_TERMS]


def mark(text, stems):
    """The text with the words the query found in <mark>."""
    if not text:
        return ""
    marked, plain = [], []  # (the text before a word found, the word); the text after
    for i, part in enumerate(re.split(r"([^\W_]+)", text)):
        if i % 2 and stem(fold(part)) in stems:
            marked.append(("".join(plain), part))
            plain = []
        else:
            plain.append(part)
    return format_html("{}{}", format_html_join("", "{}<mark>{}</mark>", marked), "".join(plain))


# Where a word was found, from most to least telling.
NAME_WEIGHT = 1.0  # official or common name, code, country, category
SUMMARY_WEIGHT = 0.4
ROW_WEIGHT = 0.2  # facts, documents, steps, questions and answers
QUOTE_WEIGHT = 0.1  # the quotes of the sources the route cites


@dataclass(frozen=True)
class RankedRoute:
    """What ranking needs of a found route."""

    country_id: int
    category_id: int
    order: tuple  # among routes of the same rank: country name, official name


@dataclass
class Hits:
    """Where each term of a query was found: ``per_term[i]`` is {route pk: weight}."""

    per_term: list
    routes: dict  # route pk: RankedRoute
    codes: set  # pks of the routes whose code is one the query wrote

    def ranked(self, country=None, category=None):
        """The pks of the routes every term was found on (or whose code was written),
        best first, within the country and category given."""
        found = set(self.codes)
        if self.per_term and all(self.per_term):
            found |= set.intersection(*(set(hits) for hits in self.per_term))
        if country is not None:
            found = {pk for pk in found if self.routes[pk].country_id == country.pk}
        if category is not None:
            found = {pk for pk in found if self.routes[pk].category_id == category.pk}

        def rank(pk):
            score = sum(hits.get(pk, 0.0) for hits in self.per_term)
            return (-(score + (NAME_WEIGHT if pk in self.codes else 0.0)), self.routes[pk].order)

        return sorted(found, key=rank)
