"""The route editor: a whole route on one screen, each row showing the fields its topic takes,
and above it what a visitor would see wrong, each linking to where it is fixed."""

import datetime
import json
import re
from html.parser import HTMLParser

import pytest
from django.contrib.staticfiles import finders
from django.utils import timezone

from routes.admin_rows import fields_taken_by
from routes.audit import route_findings, route_rows
from routes.editor_problems import Problem, problems_of
from routes.models import Fact, Route
from routes.vocabulary import CRITERIA, Topic, measure_of

from .factories import (
    DocumentFactory,
    FeeFactory,
    FigureFactory,
    QuestionFactory,
    RequirementFactory,
    RouteFactory,
    SourceCheckFactory,
    SourceFactory,
    StepFactory,
)
from .helpers import form_data, text_of

pytestmark = pytest.mark.django_db

TODAY = timezone.localdate()
NOW = timezone.now()
# Every field a requirement's row has, folded or not.
REQUIREMENT_FIELDS = [
    "topic",
    "status",
    "source",
    "minimum",
    "maximum",
    "unit",
    "period",
    "exclusive",
    "level",
    "nationality_rule",
    "countries",
    "text",
    "standing",
    "as_of",
    "as_of_year_only",
    "position",
]
FACT_FIELDS = [*(f for f in REQUIREMENT_FIELDS if f != "source"), "source_id", "pathway", "url"]


@pytest.fixture
def editor(client, django_user_model):
    client.force_login(django_user_model.objects.create_superuser("ed", "ed@example.com", "pw"))
    return client


def change_url(route):
    return f"/admin/routes/route/{route.pk}/change/"


class _Elements(HTMLParser):
    """Every element of a page with an id: {id: its attributes}."""

    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.found = {}

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if "id" in attrs:
            self.found[attrs["id"]] = {"tag": tag, **attrs}


def elements(response):
    parser = _Elements()
    parser.feed(response.content.decode())
    return parser.found


def unused(page, field_id):
    return "data-unused" in page[field_id]


def folded(html, field_id):
    """Whether the field is inside a <details> (opened by the editor, not shown at first)."""
    before = html[: html.index(f'id="{field_id}"')]
    return before.rfind("<details>") > before.rfind("</details>")


# ---------------------------------------------------------------------------
# Compact rows


def test_the_fields_a_topic_takes_follow_its_measure():
    for topic in Topic.values:
        taken, measure = fields_taken_by(topic), measure_of(topic)
        assert ("minimum" in taken) == ("maximum" in taken) == measure.bounds, topic
        assert ("unit" in taken) == (measure.kind in ("money", "time")), topic
        assert ("period" in taken) == (measure.kind == "money"), topic
        assert ("status" in taken) == ("nationality_rule" in taken) == (topic in CRITERIA)
        assert ("level" in taken) == (topic == Topic.EDUCATION)
        assert ("pathway" in taken) == (topic == Topic.PERMANENT_RESIDENCE)


def test_a_yes_no_requirement_shows_no_bounds_and_an_age_shows_its_own(editor):
    route = RouteFactory()
    RequirementFactory(route=route, topic="job_offer")
    RequirementFactory(route=route, topic="age", minimum=18, maximum=60)
    FigureFactory(route=route, topic="processing_time")
    response = editor.get(change_url(route))
    page = elements(response)

    assert unused(page, "id_facts-0-minimum") and unused(page, "id_facts-0-unit")
    assert unused(page, "id_facts-0-level") and not unused(page, "id_facts-0-status")
    assert not unused(page, "id_facts-1-minimum") and not unused(page, "id_facts-1-maximum")
    assert unused(page, "id_facts-1-unit")  # ages are in years: no unit to give
    assert not unused(page, "id_facts-3-0-unit") and unused(page, "id_facts-3-0-pathway")
    # Every field stays in the form, so that a changed topic can show it and nothing is lost.
    for row in ("facts-0", "facts-1"):
        for name in REQUIREMENT_FIELDS:
            assert f"id_{row}-{name}" in page, (row, name)


def test_the_topic_select_tells_the_script_what_each_topic_takes(editor):
    route = RequirementFactory(topic="job_offer").route
    page = elements(editor.get(change_url(route)))
    taken = json.loads(page["id_facts-0-topic"]["data-topic-fields"])
    assert "minimum" in taken["fields"] and "level" in taken["fields"]
    assert taken["topics"]["age"] == sorted(fields_taken_by("age"))
    assert "minimum" not in taken["topics"]["job_offer"]
    # A new row starts with the first criterion: the template row is marked for it.
    assert unused(page, "id_facts-__prefix__-minimum")


def test_a_stray_value_stays_in_sight(editor):
    fact = RequirementFactory(topic="job_offer", minimum=0)  # read in before the rules said no
    page = elements(editor.get(change_url(fact.route)))
    assert not unused(page, "id_facts-0-minimum")
    assert unused(page, "id_facts-0-maximum")


def test_long_and_rarely_used_fields_are_folded_until_opened(editor):
    route = RequirementFactory(topic="job_offer", text="A signed offer.").route
    QuestionFactory(route=route)
    html = editor.get(change_url(route)).content.decode()
    for field in ("text", "standing", "as_of", "as_of_year_only", "position"):
        assert folded(html, f"id_facts-0-{field}"), field
    for field in ("topic", "status", "source"):
        assert not folded(html, f"id_facts-0-{field}"), field
    assert folded(html, "id_questions-0-answer")
    assert not folded(html, "id_questions-0-question")


def test_a_folded_field_in_error_is_shown_open(editor):
    route = RequirementFactory(topic="job_offer").route
    response = editor.get(change_url(route))
    data = form_data(response)
    data["facts-0-as_of"] = "not a date"
    response = editor.post(change_url(route), data)
    assert response.status_code == 200
    assert not folded(response.content.decode(), "id_facts-0-as_of")


def test_text_boxes_are_small_and_the_step_link_a_plain_box(editor):
    route = DocumentFactory().route
    StepFactory(route=route, url="https://www.gov.example/apply")
    page = elements(editor.get(change_url(route)))
    assert page["id_documents-0-name"]["rows"] == "2"
    assert page["id_summary"]["rows"] == "3"
    assert page["id_steps-0-url"]["tag"] == "input"
    assert "Currently:" not in editor.get(change_url(route)).content.decode()


def test_a_cited_source_offers_no_link_to_delete_it(editor):
    route = DocumentFactory().route
    page = elements(editor.get(change_url(route)))
    assert "change_id_documents-0-source" in page
    assert "delete_id_documents-0-source" not in page


def test_a_page_posted_back_as_it_stands_changes_nothing(editor):
    route = RouteFactory()
    RequirementFactory(route=route, topic="job_offer", text="A signed offer.")
    RequirementFactory(route=route, topic="age", minimum=18, maximum=60, exclusive=True)
    RequirementFactory(
        route=route, topic="invitation", nationality_rule="waived", countries="RU KG"
    )
    FeeFactory(route=route, period="year")
    FigureFactory(
        route=route, topic="permanent_residence", pathway="no", minimum=None, maximum=None, unit=""
    )
    DocumentFactory(route=route)
    StepFactory(route=route, url="https://www.gov.example/apply")
    QuestionFactory(route=route)
    before = sorted(Fact.objects.filter(route=route).values_list(*FACT_FIELDS))

    response = editor.get(change_url(route))
    saved = editor.post(change_url(route), {**form_data(response), "_continue": "1"})

    assert saved.status_code == 302, saved.context and saved.context["errors"]
    after = sorted(Fact.objects.filter(route=route).values_list(*FACT_FIELDS))
    assert after == before


# ---------------------------------------------------------------------------
# The public page, at the top


def test_a_published_route_links_its_public_page(editor):
    route = RouteFactory()
    html = editor.get(change_url(route)).content.decode()
    assert f'<a href="{route.get_absolute_url()}" class="viewsitelink">View on site</a>' in html
    assert "Preview" not in re.sub(r"“Preview”", "", html)


def test_a_draft_links_its_preview(editor):
    route = RouteFactory(status="draft")
    html = editor.get(change_url(route)).content.decode()
    assert f'<a href="{route.get_absolute_url()}" class="viewsitelink">Preview</a>' in html
    preview = editor.get(route.get_absolute_url())
    assert "Draft preview." in text_of(preview)


# ---------------------------------------------------------------------------
# What a visitor would see wrong


@pytest.fixture
def flawed_route(settings):
    """A route with one problem of each kind, and the rows and sources they are about."""
    settings.REVIEW_AFTER_DAYS = 180
    fresh = SourceFactory(verified_on=TODAY, title="Fresh page")
    old = SourceFactory(verified_on=TODAY - datetime.timedelta(days=200), title="Old page")
    never = SourceFactory(verified_on=None, title="Unread page")
    route = RouteFactory(summary="A permit that costs 5 USD.")
    FigureFactory(route=route, source=fresh, minimum=2, maximum=2)
    FigureFactory(route=route, source=old, minimum=5, maximum=5)
    document = DocumentFactory(route=route, source=None, name="Passport")
    QuestionFactory(route=route, source=never)
    return route, {"fresh": fresh, "old": old, "never": never, "document": document}


def test_the_panel_lists_what_a_visitor_would_see_wrong_with_links(editor, flawed_route):
    route, parts = flawed_route
    response = editor.get(change_url(route))
    problems = {problem.kind: problem for problem in response.context["problems"]}

    assert set(problems) == {
        "no source",
        "sources disagree",
        "summary states a fact",
        "verification overdue",
        "never verified",
    }
    assert problems["no source"].link == "#documents-0"
    assert problems["no source"].text == "document “Passport”"
    assert problems["sources disagree"].link == "#facts-3-0"
    assert problems["sources disagree"].text == "Processing time: 2 days / 5 days"
    assert problems["summary states a fact"].link == change_url(route) + "#id_summary"
    assert problems["verification overdue"].link == (
        f"/admin/routes/source/{parts['old'].pk}/change/"
    )
    assert problems["never verified"].link == f"/admin/routes/source/{parts['never'].pk}/change/"
    page = elements(response)
    assert "documents-0" in page and "facts-3-0" in page  # the rows the anchors lead to
    text = text_of(response)
    assert "What a visitor would see wrong" in text
    assert "Sources disagree: Processing time: 2 days / 5 days" in text


def test_problems_of_keeps_the_audits_rules_whatever_the_status(flawed_route):
    route, parts = flawed_route
    route.status = "draft"
    route.save()
    rules = {f.rule for f in route_findings(route, route_rows([route])[route.pk])}
    problems = problems_of(route)
    assert rules <= {problem.kind for problem in problems}
    assert all(isinstance(problem, Problem) for problem in problems)
    # Outside the route's page, a row is linked to its own admin page.
    no_source = next(p for p in problems if p.kind == "no source")
    assert no_source.link == f"/admin/routes/document/{parts['document'].pk}/change/"


def test_a_route_without_an_official_source_says_so():
    route = RequirementFactory(source=SourceFactory(kind="secondary")).route
    kinds = [problem.kind for problem in problems_of(route)]
    assert kinds[0] == "no official source"


def test_a_route_with_nothing_wrong_says_so(editor):
    route = RequirementFactory(source=SourceFactory(verified_on=TODAY)).route
    response = editor.get(change_url(route))
    assert response.context["problems"] == []
    assert "Nothing: every row cites its source" in text_of(response)


def test_a_cited_page_whose_quote_vanished_is_listed_until_acknowledged(editor):
    source = SourceFactory(verified_on=TODAY)
    route = RequirementFactory(source=source).route
    SourceCheckFactory(source=source, outcome="ok", checked_at=NOW - datetime.timedelta(days=7))
    missing = SourceCheckFactory(source=source, outcome="quote_missing", checked_at=NOW)
    response = editor.get(change_url(route))
    problems = response.context["problems"]
    assert [(p.kind, p.link) for p in problems] == [
        ("quote missing", f"/admin/routes/source/{source.pk}/change/")
    ]
    assert f"Quote missing: {source} (checked {NOW:%Y-%m-%d})" in text_of(response)

    missing.acknowledged_at = NOW
    missing.save()
    assert problems_of(route) == []


def test_a_copy_checked_at_its_address_says_so():
    source = SourceFactory(
        via_publisher="A copy", via_url="https://copy.example/page", verified_on=None
    )
    route = RequirementFactory(source=source).route
    SourceCheckFactory(source=source, outcome="gone", via_copy=True, http_status=404)
    gone = next(p for p in problems_of(route) if p.kind == "gone")
    assert gone.text.endswith(", at the copy's address)")


def test_one_source_stating_two_values_is_no_disagreement():
    source = SourceFactory(verified_on=TODAY)
    route = FigureFactory(source=source, minimum=2, maximum=2).route
    FigureFactory(route=route, source=source, minimum=5, maximum=5)
    assert problems_of(route) == []


# ---------------------------------------------------------------------------
# Queries, styles and scripts


def route_with_rows(count):
    """A route with ``count`` rows of every kind, each citing a source of its own."""
    route = RouteFactory()
    for _ in range(count):
        RequirementFactory(route=route, topic="age", minimum=18)
        FeeFactory(route=route)
        FigureFactory(route=route)
        DocumentFactory(route=route)
        StepFactory(route=route, source=SourceFactory())
        QuestionFactory(route=route)
    return route


@pytest.mark.parametrize("rows", [1, 6])
def test_the_page_query_count_is_constant(editor, django_assert_num_queries, rows):
    route = route_with_rows(rows)
    with django_assert_num_queries(17):
        response = editor.get(change_url(route))
    assert response.status_code == 200
    assert Route.objects.get(pk=route.pk).facts.count() == 3 * rows


def test_the_script_and_styles_are_static_files_and_nothing_runs_inline(editor):
    route = RequirementFactory().route
    html = editor.get(change_url(route)).content.decode()
    for path in ("admin/js/route-editor.js", "admin/css/route-editor.css"):
        assert f"/static/{path}" in html
        assert finders.find(path)
    scripts = re.findall(r"<script\b[^>]*>", html)
    assert scripts and all("src=" in tag for tag in scripts), scripts
    assert not re.search(r"<[^>]+\sstyle=", html)


def test_the_review_list_has_the_admins_breadcrumbs(editor):
    html = editor.get("/admin/routes/route/review/").content.decode()
    crumbs = re.search(r'<ol class="breadcrumbs">(.*?)</ol>', html, re.S)
    assert crumbs, "no breadcrumbs"
    assert '<li aria-current="page">Routes to re-verify</li>' in crumbs.group(1)
    assert 'href="/admin/routes/route/"' in crumbs.group(1)


def test_a_vanished_quote_comes_before_what_is_only_to_settle():
    checked, never = SourceFactory(verified_on=TODAY), SourceFactory(verified_on=None)
    route = RequirementFactory(source=never).route
    RequirementFactory(route=route, topic="age", minimum=18, source=checked)
    SourceCheckFactory(source=checked, outcome="quote_missing")
    assert [problem.kind for problem in problems_of(route)] == ["quote missing", "never verified"]
