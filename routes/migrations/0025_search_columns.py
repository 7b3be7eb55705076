"""PostgreSQL: each searched text's words stored beside it, with its GIN index.

The indexes of 0019 were on the expression ``routes_search_words(text)``:
found by the index, a row's words were read again from its text to confirm
it, and a word on most rows (a common word at 10,000 routes is on 470,000
of them) made the database read every row's text again: 1.4 s a search. A
stored generated column keeps the words read once, when the row is written.
Nothing on another database, which searches in memory (routes/search_text.py).

A later migration that changes the type of a searched column (a longer
``max_length``, say) must drop its words column first and add it again
after: PostgreSQL refuses to alter a column a generated column reads.
"""

from django.db import migrations

# (table, words column, the text it is read from, 0019's index on that text)
COLUMNS = [
    (
        "routes_route",
        "search_names",
        "official_name || ' ' || common_name || ' ' || code",
        "routes_route_search_names",
    ),
    ("routes_route", "search_summary", "summary", "routes_route_search_summary"),
    ("routes_fact", "search_words", "text", "routes_fact_search"),
    ("routes_document", "search_words", "name", "routes_document_search"),
    ("routes_step", "search_words", "text", "routes_step_search"),
    ("routes_question", "search_words", "question || ' ' || answer", "routes_question_search"),
    ("routes_source", "search_words", "quote", "routes_source_search"),
]

FORWARDS = [
    statement
    for table, column, text, old in COLUMNS
    for statement in (
        f"ALTER TABLE {table} ADD COLUMN {column} tsvector "
        f"GENERATED ALWAYS AS (routes_search_words({text})) STORED",
        f"DROP INDEX IF EXISTS {old}",
        f"CREATE INDEX {table}_{column} ON {table} USING gin ({column})",
    )
]
BACKWARDS = [
    statement
    for table, column, text, old in COLUMNS
    for statement in (
        f"ALTER TABLE {table} DROP COLUMN IF EXISTS {column}",
        f"CREATE INDEX IF NOT EXISTS {old} ON {table} USING gin (routes_search_words({text}))",
    )
]


def _run(statements):
    def run(apps, schema_editor):
        if schema_editor.connection.vendor != "postgresql":
            return
        with schema_editor.connection.cursor() as cursor:
            for statement in statements:
                cursor.execute(statement)

    return run


class Migration(migrations.Migration):
    dependencies = [("routes", "0024_reviews")]

    operations = [migrations.RunPython(_run(FORWARDS), _run(BACKWARDS))]
