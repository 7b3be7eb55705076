"""What changed: a public list and Atom feeds, written from the edit history."""

import xml.etree.ElementTree as ET

import pytest

from routes.models import Change, Question

from .factories import FigureFactory, RouteFactory
from .helpers import MOMENT, text_of

pytestmark = pytest.mark.django_db
ATOM = {"a": "http://www.w3.org/2005/Atom"}


@pytest.fixture
def edited(db):
    route = RouteFactory(official_name="Labour permit")
    figure = FigureFactory(route=route, minimum=5, maximum=5, unit="days")
    figure.minimum = figure.maximum = 2
    figure.save()
    return route


def test_changes_list_newest_first(client, edited):
    text = text_of(client.get("/changes/"))
    newest = text.index("Processing time changed from 5 days to 2 days")
    older = text.index("Processing time added: 5 days")
    assert newest < older
    assert f"{edited.country.name} · Labour permit: Processing time changed" in text


def test_changes_to_drafts_never_appear(client):
    draft = RouteFactory(status="draft", official_name="Secret permit")
    FigureFactory(route=draft, minimum=9, maximum=9, unit="days")
    assert "Secret permit" not in text_of(client.get("/changes/"))
    draft.status = "published"
    draft.save()
    text = text_of(client.get("/changes/"))
    assert "Route published" in text
    assert "9 days" not in text  # made while it was a draft


def test_the_route_page_shows_its_recent_changes(client, edited):
    text = text_of(client.get(edited.get_absolute_url()))
    assert "Recent changes" in text
    assert "Processing time changed from 5 days to 2 days" in text


def test_the_route_page_shows_its_five_latest_public_changes_newest_first(client):
    route = RouteFactory(status="draft", official_name="Labour permit")
    figure = FigureFactory(route=route, minimum=1, maximum=1, unit="days")  # while a draft
    route.status = "published"
    route.save()
    for days in range(2, 8):
        figure.minimum = figure.maximum = days
        figure.save()
    text = text_of(client.get(route.get_absolute_url()))
    shown = [f"Processing time changed from {n} days to {n + 1} days" for n in range(6, 1, -1)]
    positions = [text.index(change) for change in shown]
    assert positions == sorted(positions)
    assert "Processing time changed from 1 day to 2 days" not in text  # the sixth latest
    assert "Route published" not in text
    assert "Processing time added" not in text  # made while it was a draft


def atom_entries(client, url):
    response = client.get(url)
    assert response.status_code == 200
    assert response["Content-Type"].startswith("application/atom+xml")
    root = ET.fromstring(response.content)
    assert root.tag == "{http://www.w3.org/2005/Atom}feed"
    return root.findall("a:entry", ATOM)


def test_atom_feed_of_all_changes(client, edited):
    entries = atom_entries(client, "/changes/feed/")
    titles = [e.find("a:title", ATOM).text for e in entries]
    assert (
        f"{edited.country.name} · Labour permit: Processing time changed from 5 days to 2 days"
        in titles
    )
    link = entries[0].find("a:link", ATOM).get("href")
    assert link == f"http://testserver{edited.get_absolute_url()}"


def test_atom_feed_per_country(client, edited):
    other = RouteFactory(official_name="Elsewhere permit")
    FigureFactory(route=other)
    entries = atom_entries(client, f"/{edited.country.slug}/feed/")
    titles = " ".join(e.find("a:title", ATOM).text for e in entries)
    assert "Labour permit" in titles and "Elsewhere permit" not in titles


@pytest.mark.parametrize("routes", [2, 20])
def test_feed_and_list_query_counts_are_constant(client, django_assert_num_queries, routes):
    for route in RouteFactory.create_batch(routes):
        FigureFactory(route=route)
    with django_assert_num_queries(MOMENT + 1):
        assert client.get("/changes/feed/").status_code == 200
    with django_assert_num_queries(MOMENT + 1):
        assert client.get("/changes/").status_code == 200


@pytest.mark.parametrize("routes", [2, 20])
def test_country_feed_query_count_is_constant(client, django_assert_num_queries, routes):
    batch = RouteFactory.create_batch(routes, country=RouteFactory().country)
    for route in batch:
        FigureFactory(route=route)
    with django_assert_num_queries(MOMENT + 2):
        assert client.get(f"/{batch[0].country.slug}/feed/").status_code == 200


def test_deleting_a_loaded_question_is_published_as_its_removal(client, admin_client, content):
    question = Question.objects.filter(route__status="published").first()
    response = admin_client.post(f"/admin/routes/question/{question.pk}/delete/", {"post": "yes"})
    assert response.status_code == 302
    said = f"Question removed: {question.question}"
    assert said in text_of(client.get("/changes/"))
    assert said in text_of(client.get(question.route.get_absolute_url()))
    titles = [e.find("a:title", ATOM).text for e in atom_entries(client, "/changes/feed/")]
    assert any(title.endswith(said) for title in titles)
    assert "added" not in " ".join(titles)


def test_the_load_itself_is_not_listed_as_changes(client, content):
    assert not Change.objects.exists()
    assert atom_entries(client, "/changes/feed/") == []
