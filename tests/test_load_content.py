"""Loading fixtures/ never overwrites what an editor changed in the admin."""

import importlib
import os
import subprocess
from io import StringIO
from pathlib import Path

import pytest
from django.apps import apps
from django.conf import settings
from django.core.management import call_command

from publishing import freshness
from publishing.loads import LOAD_REASON
from routes.models import Change, FixtureLoad, Question, Route

from .helpers import form_data

pytestmark = pytest.mark.django_db

SEED = "labour-immigrant-work-permit"
LOADED = (
    f"Loaded {len(list((Path(settings.BASE_DIR) / 'fixtures').glob('*.json')))} fixture file(s)."
)


def load(*args):
    out = StringIO()
    call_command("load_content", *args, stdout=out)
    return out.getvalue()


def edit_in_the_admin(admin_client, route, summary):
    change = f"/admin/routes/route/{route.pk}/change/"
    data = form_data(admin_client.get(change))
    response = admin_client.post(change, data | {"summary": summary})
    assert response.status_code == 302
    route.refresh_from_db()
    assert route.summary == summary


def test_an_empty_database_gets_the_fixtures(db):
    assert LOADED in load()
    assert Route.objects.filter(slug=SEED).exists()
    assert FixtureLoad.objects.get().moment == freshness.read()


def test_loading_again_with_nothing_changed_does_nothing(db):
    load()
    moment = freshness.read()
    assert "nothing to load" in load()
    assert freshness.read() == moment


def test_an_admin_edit_survives_a_second_load(db, admin_client):
    load()
    route = Route.objects.get(slug=SEED)
    edit_in_the_admin(admin_client, route, "Changed by an editor in the admin.")
    said = load()
    assert "The content was edited" in said
    assert "load_content --replace" in said
    route.refresh_from_db()
    assert route.summary == "Changed by an editor in the admin."


def test_replace_names_the_rows_it_overwrites_then_loads(db):
    load()
    route = Route.objects.get(slug=SEED)
    original = route.summary
    route.summary = "Changed by an editor."
    route.save()
    said = load("--replace")
    assert "Replacing 1 edited row(s) with fixtures/:" in said
    assert f"Route “{route}”: summary" in said
    route.refresh_from_db()
    assert route.summary == original
    assert "nothing to load" in load()


def test_a_changed_fixture_is_loaded_when_nobody_edited_since(db, tmp_path):
    fixtures = Path(settings.BASE_DIR) / "fixtures"
    for path in fixtures.glob("*.json"):
        (tmp_path / path.name).write_text(path.read_text())
    load(str(tmp_path))
    seed = tmp_path / "10-kazakhstan-labour-immigrant.json"
    original = Route.objects.get(slug=SEED).summary
    seed.write_text(seed.read_text().replace(original, "A newer summary from the sources."))
    assert LOADED in load(str(tmp_path))
    assert Route.objects.get(slug=SEED).summary == "A newer summary from the sources."


@pytest.mark.django_db(transaction=True)
def test_make_run_keeps_an_edit_made_between_two_runs(tmp_path):
    """`make run` loads content with `make load`: run it twice around an edit."""
    env = {
        "PATH": os.environ["PATH"],
        "ENV_FILE": "",
        "SECRET_KEY": "k3y-Wz9!pQ" * 6,
        "DATABASE_URL": f"sqlite:///{tmp_path / 'site.sqlite3'}",
    }

    def run(*command):
        result = subprocess.run(
            command, cwd=settings.BASE_DIR, env=env, capture_output=True, text=True, timeout=300
        )
        assert result.returncode == 0, result.stdout + result.stderr
        return result.stdout

    # Neither the .env of `make run` nor a new install: the tests' own settings.
    make = ["make", "--no-print-directory", "-o", ".env", "-o", ".venv/.installed", "load"]
    assert "manage.py load_content" in run("make", "-n", *make[1:])
    assert LOADED in run(*make)
    python = str(Path(settings.BASE_DIR) / ".venv" / "bin" / "python")
    edit = (
        "from routes.models import Route; "
        f"r = Route.objects.get(slug='{SEED}'); r.summary = 'Edited between runs.'; r.save()"
    )
    run(python, "manage.py", "shell", "-c", edit)
    assert "The content was edited" in run(*make)
    shown = run(
        python,
        "manage.py",
        "shell",
        "-c",
        f"{edit.split(';')[0]}; print(Route.objects.get(slug='{SEED}').summary)",
    )
    assert shown.strip().endswith("Edited between runs.")


def test_a_load_gives_what_it_loads_and_overwrites_a_history_entry_of_its_own(db):
    load()
    route = Route.objects.get(slug=SEED)
    assert [(r.history_type, r.history_change_reason) for r in route.history.all()] == [
        ("+", LOAD_REASON)
    ]
    route.summary = "Changed by an editor."
    route.save()
    load("--replace")
    latest = route.history.latest()
    assert (latest.history_type, latest.history_change_reason) == ("~", LOAD_REASON)
    assert latest.summary != "Changed by an editor."


def test_rows_loaded_before_loads_kept_history_are_given_it(db):
    load()
    for model in (Route, Question):
        model.history.all().delete()  # as a load without history left them
    migration = importlib.import_module("routes.migrations.0022_change_text_and_loaded_history")
    migration.record_history_where_none(apps, None)
    assert Route.history.count() == Route.objects.count()
    question = Question.objects.first()
    assert question.history.get().history_change_reason == LOAD_REASON
    question.delete()
    assert Change.objects.get().text == f"Question removed: {question.question}"
