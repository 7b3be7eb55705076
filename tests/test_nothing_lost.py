"""Nothing lost: a dump of all content loads into an empty database and compares equal."""

import json
from io import StringIO

import pytest
from django.core.management import call_command
from django.db import connection
from django.db.migrations.executor import MigrationExecutor

CONTENT = [
    f"routes.{m}"
    for m in ["country", "category", "source", "route", "fact", "document", "step", "question"]
]


def dump():
    out = StringIO()
    call_command(
        "dumpdata", *CONTENT, natural_foreign=True, natural_primary=True, indent=1, stdout=out
    )
    return json.loads(out.getvalue())


def comparable(records):
    """Records without the timestamps Django refreshes on load, in a stable order."""
    for record in records:
        record["fields"].pop("updated_at", None)
        record["fields"].pop("created_at", None)
    return sorted(json.dumps(r, sort_keys=True, ensure_ascii=False) for r in records)


@pytest.mark.django_db(transaction=True)
def test_dump_loads_into_an_empty_database_record_for_record(content, tmp_path):
    before = dump()
    assert len(before) > 300
    path = tmp_path / "all-content.json"
    path.write_text(json.dumps(before, ensure_ascii=False))
    call_command("flush", "--no-input", verbosity=0)
    assert dump() == []
    call_command("loaddata", str(path), verbosity=0)
    assert comparable(dump()) == comparable(before)


@pytest.mark.django_db(transaction=True)
def test_migrations_are_reversible():
    executor = MigrationExecutor(connection)
    leaves = executor.loader.graph.leaf_nodes("routes")
    call_command("migrate", "routes", "zero", verbosity=0)
    call_command("migrate", "routes", leaves[0][1], verbosity=0)
    executor.loader.build_graph()
    assert executor.migration_plan(executor.loader.graph.leaf_nodes()) == []
