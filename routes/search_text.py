"""The words of every published route, kept in this process, for a database without
text search of its own (SQLite).

Read once per content change (``text_index_at``: six queries), then a
search is a few dictionary lookups: each word's English stem points at the
routes it is on, with the weight of the most telling place it is found
(``search_words``). A word found nowhere is compared with the words of the
names (countries, categories, routes' names and codes) by rapidfuzz.
"""

from collections import defaultdict
from dataclasses import dataclass, field
from functools import lru_cache

from rapidfuzz import fuzz, process

from .models import Document, Fact, Question, Route, Source, Step
from .search_words import (
    NAME_WEIGHT,
    QUOTE_WEIGHT,
    ROW_WEIGHT,
    SUMMARY_WEIGHT,
    WORD,
    Hits,
    RankedRoute,
    fold,
    mark,
    stems_of,
)

# How alike (0–100, rapidfuzz's ratio) a word and a name's word must be for
# the word to be read as that name ("kazakstan" and "kazakhstan": 95).
RATIO_MIN = 80
# The longest passage a result quotes, in characters, around the first word found.
PASSAGE_LENGTH = 220


@dataclass
class TextIndex:
    postings: dict = field(default_factory=lambda: defaultdict(dict))  # stem: {pk: weight}
    routes: dict = field(default_factory=dict)  # pk: RankedRoute
    codes: dict = field(default_factory=lambda: defaultdict(set))  # folded code: {pk}
    # pk: [(place, text)], in the order a result looks for a passage: questions,
    # documents, steps, facts, then the quotes of its sources.
    rows: dict = field(default_factory=lambda: defaultdict(list))
    names: dict = field(default_factory=dict)  # a name's folded word: as written

    def add(self, pk, text, weight):
        for each in stems_of(text):
            postings = self.postings[each]
            if postings.get(pk, 0.0) < weight:
                postings[pk] = weight

    def name(self, pk, text):
        self.add(pk, text, NAME_WEIGHT)
        for word in WORD.findall(text):
            if len(word) >= 4 and word.isalpha():
                self.names.setdefault(fold(word), word)

    def row(self, pk, place, text, weight=ROW_WEIGHT):
        if pk in self.routes and text:
            self.add(pk, text, weight)
            self.rows[pk].append((place, text))

    # What ``search`` asks of either way of matching.

    def hits(self, terms, codes):
        per_term = []
        for term in terms:
            found = {}
            for each in term.stems:
                for pk, weight in self.postings.get(each, {}).items():
                    found[pk] = max(found.get(pk, 0.0), weight)
            per_term.append(found)
        coded = set().union(*(self.codes.get(code, ()) for code in codes))
        return Hits(per_term, self.routes, coded)

    def closest_names(self, words):
        """{word: the name's word it is read as}, for the words close to one."""
        closest = {}
        for word in words:
            match = process.extractOne(
                word, self.names.keys(), scorer=fuzz.ratio, score_cutoff=RATIO_MIN
            )
            if match:
                closest[word] = self.names[match[0]]
        return closest

    def passages(self, pks, terms):
        """{pk: (place, HTML)}: for each route, its first row with a word of the terms."""
        stems = {s for t in terms for s in t.stems}
        found = {}
        for pk in pks:
            for place, text in self.rows.get(pk, ()):
                if stems.intersection(stems_of(text)):
                    found[pk] = (place, mark(_around(text, stems), stems))
                    break
        return found


def _around(text, stems):
    """At most PASSAGE_LENGTH characters of the text, from a little before its first
    word found, cut at spaces."""
    if len(text) <= PASSAGE_LENGTH:
        return text
    first = next(
        (m.start() for m in WORD.finditer(text) if stems.intersection(stems_of(m.group()))), 0
    )
    start = max(0, first - PASSAGE_LENGTH // 3)
    if start:
        start = text.find(" ", start) + 1 or start
    end = start + PASSAGE_LENGTH
    piece = text[start:end]
    if end < len(text):
        piece = piece.rsplit(" ", 1)[0]
    return f"{'… ' if start else ''}{piece}{' …' if end < len(text) else ''}"


@lru_cache(maxsize=1)
def text_index_at(moment):
    """The words of every published route as of ``moment``: six queries."""
    index = TextIndex()
    routes = Route.objects.published().values_list(
        "pk",
        "official_name",
        "common_name",
        "code",
        "summary",
        "country_id",
        "country__name",
        "category_id",
        "category__name",
    )
    for (
        pk,
        name,
        common,
        code,
        summary,
        country,
        country_name,
        category,
        category_name,
    ) in routes.order_by():
        index.routes[pk] = RankedRoute(country, category, (country_name, name))
        for text in (name, common, code, country_name, category_name):
            index.name(pk, text)
        if code:
            index.codes[fold(code)].add(pk)
        index.add(pk, summary, SUMMARY_WEIGHT)
    cited = defaultdict(list)  # source pk: [route pk]
    rows = [
        ("Questions", Question.objects.values_list("route_id", "question", "answer", "source_id")),
        ("Documents", Document.objects.values_list("route_id", "name", "source_id")),
        ("How to apply", Step.objects.values_list("route_id", "text", "source_id")),
        ("Facts", Fact.objects.values_list("route_id", "text", "source_id")),
    ]
    for place, values in rows:
        for pk, *texts, source in values.order_by("route_id", "position"):
            index.row(pk, place, " ".join(texts))
            if source is not None and pk in index.routes:
                cited[source].append(pk)
    for source, quote in Source.objects.filter(pk__in=list(cited)).values_list("pk", "quote"):
        for pk in dict.fromkeys(cited[source]):
            index.row(pk, "Source quotes", quote, QUOTE_WEIGHT)
    return index
