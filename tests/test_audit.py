"""manage.py audit_content: the content rules as a check, over fixtures/ and over each rule."""

import datetime
from io import StringIO
from pathlib import Path

import pytest
from django.conf import settings
from django.core.management import CommandError, call_command
from django.utils import timezone

from .factories import FactFactory, RouteFactory, SourceFactory, StepFactory

pytestmark = pytest.mark.django_db

FIXTURES = Path(settings.BASE_DIR) / "fixtures"
SHARED_NOTES = Path(settings.BASE_DIR).parent / "shared" / "content"


def audit(*args):
    """(succeeded, output) of manage.py audit_content."""
    out = StringIO()
    try:
        call_command("audit_content", *args, stdout=out)
    except CommandError as error:
        return False, out.getvalue() + str(error)
    return True, out.getvalue()


def test_the_content_of_fixtures_keeps_every_rule(content):
    # The quotes are checked against the notes they were copied from: this
    # project's own (fixtures/*.md) and the shared notes beside it, where a
    # checkout has them (CI does).
    notes = [FIXTURES]
    if SHARED_NOTES.is_dir():
        notes.append(SHARED_NOTES)
        ok, output = audit("--notes", *map(str, notes))
    else:
        ok, output = audit()
    assert ok, output
    assert "55 published routes keep every content rule." in output


def test_a_route_without_an_official_source_read_directly_breaks_the_rules():
    fact = FactFactory(source=SourceFactory(kind="secondary"))
    FactFactory(
        route=fact.route,
        topic="age",
        source=SourceFactory(
            verified_on=None,
            via_publisher="copies.example",
            via_url="https://copies.example/page",
        ),
    )
    ok, output = audit()
    assert not ok
    assert f"{fact.route.get_absolute_url()}: no official source" in output
    assert "1 break(s) of the content rules." in output


def test_a_row_without_its_source_breaks_the_rules_but_plain_guidance_does_not():
    route = FactFactory().route
    StepFactory(route=route, text="Confirm you meet the eligibility above.")
    assert audit()[0]
    StepFactory(route=route, text="Pay the fee of 60 USD at the consulate.")
    FactFactory(route=route, topic="age", status="not_stated", source=None)
    ok, output = audit()
    assert not ok
    assert "no source: step “Pay the fee of 60 USD at the consulate.”" in output
    assert "1 break(s)" in output


def test_a_summary_stating_a_figure_breaks_the_rules():
    route = FactFactory().route
    route.summary = "A permit valid for 2 years."
    route.save()
    ok, output = audit()
    assert not ok
    assert "summary states a fact: valid for, 2" in output


def test_a_peer_sites_page_labelled_official_breaks_the_rules():
    page = "https://wheretoemigrate.io/guide/programs/kazakhstan/employment-sponsored/"
    fact = FactFactory(source=SourceFactory(url=page, kind="official", ref="peer"))
    FactFactory(route=fact.route, topic="age", source=SourceFactory())
    ok, output = audit()
    assert not ok
    assert f"{fact.route.get_absolute_url()}: secondary source labelled official: peer" in output


def test_an_old_verification_breaks_the_rules(settings):
    settings.REVIEW_AFTER_DAYS = 180
    old = timezone.localdate() - datetime.timedelta(days=200)
    fact = FactFactory(source=SourceFactory(verified_on=old, ref="old-page"))
    ok, output = audit()
    assert not ok
    assert f"{fact.route.get_absolute_url()}: verification overdue: old-page ({old})" in output


def test_a_quote_not_in_the_notes_breaks_the_rules(tmp_path):
    FactFactory(source=SourceFactory(ref="p", quote="You must hold a job offer. / Words not noted"))
    notes = tmp_path / "notes.md"
    notes.write_text('| Job offer | "You must  hold a job offer." | https://gov.example |\n')
    ok, output = audit("--notes", str(notes))
    assert not ok
    assert "quote not in the notes: p: “Words not noted”" in output
    assert "You must hold" not in output
    assert audit("--notes", str(tmp_path / "missing"))[1].endswith(
        "No notes (*.md) at " + str(tmp_path / "missing") + "."
    )


def test_drafts_are_not_audited():
    RouteFactory(status="draft", summary="Costs 5 USD.")
    ok, output = audit()
    assert ok
    assert "0 published routes keep every content rule." in output
