"""PostgreSQL's tools for search (routes/search_postgres.py): unaccent, pg_trgm, the
functions that read text and words, and a GIN index on each searched text.
Nothing on another database, which searches in memory (routes/search_text.py)."""

from django.db import migrations

WORDS = (
    "CREATE OR REPLACE FUNCTION routes_search_words(text) RETURNS tsvector "
    "LANGUAGE sql IMMUTABLE STRICT PARALLEL SAFE AS "
    "$$ SELECT to_tsvector('english'::regconfig, public.unaccent('public.unaccent'::regdictionary, $1)) $$"
)
QUERY = (
    "CREATE OR REPLACE FUNCTION routes_search_query(text) RETURNS tsquery "
    "LANGUAGE sql IMMUTABLE STRICT PARALLEL SAFE AS "
    "$$ SELECT plainto_tsquery('english'::regconfig, public.unaccent('public.unaccent'::regdictionary, $1)) $$"
)
INDEXES = [
    (
        "routes_route_search_names",
        "routes_route",
        "official_name || ' ' || common_name || ' ' || code",
    ),
    ("routes_route_search_summary", "routes_route", "summary"),
    ("routes_fact_search", "routes_fact", "text"),
    ("routes_document_search", "routes_document", "name"),
    ("routes_step_search", "routes_step", "text"),
    ("routes_question_search", "routes_question", "question || ' ' || answer"),
    ("routes_source_search", "routes_source", "quote"),
]

FORWARDS = [
    "CREATE EXTENSION IF NOT EXISTS unaccent",
    "CREATE EXTENSION IF NOT EXISTS pg_trgm",
    WORDS,
    QUERY,
    *(
        f"CREATE INDEX IF NOT EXISTS {name} ON {table} USING gin (routes_search_words({text}))"
        for name, table, text in INDEXES
    ),
]
BACKWARDS = [
    *(f"DROP INDEX IF EXISTS {name}" for name, _, _ in INDEXES),
    "DROP FUNCTION IF EXISTS routes_search_query(text)",
    "DROP FUNCTION IF EXISTS routes_search_words(text)",
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
    dependencies = [("routes", "0018_country_introduction")]

    operations = [migrations.RunPython(_run(FORWARDS), _run(BACKWARDS))]
