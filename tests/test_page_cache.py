"""The page cache: repeat visits cost no query, and no edit is ever served stale."""

import datetime
import gzip
import re
from io import StringIO
from pathlib import Path

import pytest
from django.conf import settings
from django.contrib.staticfiles import finders
from django.core.cache import caches
from django.core.management import call_command
from django.forms.models import model_to_dict
from django.templatetags.static import static
from django.test import Client
from django.utils import timezone
from django.utils.http import http_date

from publishing import freshness
from publishing.models import as_datetime
from publishing.pagecache import page_key
from routes.models import Route

from .factories import RouteFactory, route_processed_in
from .helpers import form_data, text_of

pytestmark = pytest.mark.django_db


@pytest.fixture
def route(db):
    return route_processed_in(5)


def test_a_repeat_visit_is_served_from_the_cache_with_one_query(
    client, route, django_assert_num_queries
):
    first = client.get(route.get_absolute_url())
    with django_assert_num_queries(1):  # the moment content last changed: the database knows
        again = client.get(route.get_absolute_url())
    assert again.status_code == 200
    assert again.content == first.content


@pytest.mark.parametrize("path", ["route", "/sitemap.xml", "/sitemap-routes.xml", "/robots.txt"])
def test_each_host_and_scheme_gets_its_own_addresses(client, route, settings, path):
    """A page names the address it was asked for: a copy kept for one of the
    site's hosts (or for plain HTTP) is never served to another."""
    settings.ALLOWED_HOSTS = ["example.org", "www.example.org"]
    path = route.get_absolute_url() if path == "route" else path
    origins = {"http://example.org", "http://www.example.org", "https://www.example.org"}
    for origin in sorted(origins):
        scheme, host = origin.split("://")
        response = client.get(path, HTTP_HOST=host, secure=scheme == "https")
        assert response.status_code == 200
        body = response.content.decode()
        assert f"{origin}/" in body
        assert not any(f"{other}/" in body for other in origins - {origin})


def test_plain_http_is_still_redirected_once_the_https_page_is_kept(client, route, settings):
    settings.SECURE_SSL_REDIRECT = True
    url = route.get_absolute_url()
    assert client.get(url, secure=True).status_code == 200
    assert client.get(url, secure=True).status_code == 200  # the kept copy
    response = client.get(url)
    assert response.status_code == 301
    assert response["Location"] == f"https://testserver{url}"


def test_an_admin_edit_is_seen_on_the_very_next_request(client, admin_client, route):
    assert "5 days" in text_of(client.get(route.get_absolute_url()))
    figure = route.facts.get()
    data = {k: ("" if v is None else v) for k, v in model_to_dict(figure).items()}
    response = admin_client.post(
        f"/admin/routes/fact/{figure.pk}/change/", data | {"minimum": "2", "maximum": "2"}
    )
    assert response.status_code == 302
    assert "2 days" in text_of(client.get(route.get_absolute_url()))


def test_an_inline_edit_of_the_route_form_is_seen_too(client, admin_client, route):
    url = route.get_absolute_url()
    assert "5 days" in text_of(client.get(url))
    change = f"/admin/routes/route/{route.pk}/change/"
    data = form_data(admin_client.get(change))
    (minimum,) = [k for k, v in data.items() if k.endswith("-minimum") and v == "5.00"]
    data[minimum] = data[minimum.replace("-minimum", "-maximum")] = "2"
    response = admin_client.post(change, data)
    assert response.status_code == 302, text_of(response)
    assert "2 days" in text_of(client.get(url))


def test_a_history_revert_is_seen_on_the_next_request(client, admin_client, route):
    url = route.get_absolute_url()
    figure = route.facts.get()
    figure.minimum = figure.maximum = 2
    figure.save()
    assert "2 days" in text_of(client.get(url))
    original = figure.history.earliest("history_date")
    revert = f"/admin/routes/fact/{figure.pk}/history/{original.history_id}/"
    assert admin_client.post(revert, form_data(admin_client.get(revert))).status_code == 302
    assert "5 days" in text_of(client.get(url))


def changed_by_another_process(route, name):
    """What another process does: the rows change and the moment moves, in one commit."""
    Route.objects.filter(pk=route.pk).update(official_name=name)
    freshness.changed()


def test_a_change_committed_by_another_process_is_seen_on_the_next_request(client, route):
    url = route.country.get_absolute_url()
    assert route.official_name in text_of(client.get(url))
    changed_by_another_process(route, "Renamed elsewhere")
    assert "Renamed elsewhere" in text_of(client.get(url))


def test_a_cache_restored_from_before_an_edit_is_not_believed(client, route):
    """A cache restored from an old snapshot (or resumed after a pause that lost
    the edit's writes) holds copies from before the edit: the database's moment
    tells them apart, and the next request shows the edit."""
    url = route.country.get_absolute_url()
    client.get(url)
    key = page_key(client.get(url).wsgi_request)
    snapshot = caches["pages"].get(key)
    assert snapshot is not None
    changed_by_another_process(route, "Renamed during the outage")
    for each in caches.all():  # the old copy is back, wherever copies are kept
        each.set(key, snapshot)
    assert "Renamed during the outage" in text_of(client.get(url))


def test_a_flushed_cache_only_costs_a_rebuild(client, route):
    url = route.country.get_absolute_url()
    first = client.get(url)
    for each in caches.all():
        each.clear()
    assert client.get(url).content == first.content


def test_a_clock_running_behind_never_brings_back_a_page_kept_before(client, route):
    """The moment tells versions of the content apart, so it only moves forwards:
    a change saved by a machine whose clock is behind gets a later one all the same."""
    import time_machine

    url = route.country.get_absolute_url()
    start = timezone.now()
    with time_machine.travel(start, tick=False):
        route.save()
        assert route.official_name in text_of(client.get(url))  # kept under this moment
    with time_machine.travel(start + datetime.timedelta(minutes=5), tick=False):
        Route.objects.filter(pk=route.pk).update(official_name="Second name")
        route.refresh_from_db()
        route.save()
    with time_machine.travel(start, tick=False):  # the next editor's clock is five minutes behind
        route.official_name = "Third name"
        route.save()
        response = client.get(url)
    assert "Third name" in text_of(response)
    moment = as_datetime(freshness.read())
    assert moment > start + datetime.timedelta(minutes=5)
    assert response["Last-Modified"] == http_date(moment.timestamp())


def test_loading_content_refreshes_pages(client, route, tmp_path):
    url = route.country.get_absolute_url()
    assert route.official_name in text_of(client.get(url))
    before = freshness.read()
    dumped = StringIO()
    call_command(
        "dumpdata", "routes.route", natural_foreign=True, natural_primary=True, stdout=dumped
    )
    fixture = tmp_path / "renamed.json"
    fixture.write_text(dumped.getvalue().replace(route.official_name, "Loaded name"))
    call_command("loaddata", str(fixture), verbosity=0)
    assert "Loaded name" in text_of(client.get(url))
    assert freshness.read() > before


def test_deleting_content_refreshes_pages(client, route):
    assert route.official_name in text_of(client.get("/compare/employer-sponsored-work/"))
    route.delete()
    assert route.official_name not in text_of(client.get("/compare/employer-sponsored-work/"))


def test_editors_never_share_the_anonymous_copy(client, admin_client, route):
    draft = RouteFactory(status="draft", country=route.country, official_name="Hidden draft")
    assert client.get(draft.get_absolute_url()).status_code == 404
    preview = admin_client.get(draft.get_absolute_url())
    assert preview.status_code == 200 and "Draft preview" in text_of(preview)
    assert client.get(draft.get_absolute_url()).status_code == 404


def test_checker_results_are_never_cached(client, route):
    response = client.get("/check/results/", {"age": "30"})
    assert response["Cache-Control"] == "private, no-store"


def test_route_page_with_its_stylesheet_weighs_under_30_kb_compressed(client, content):
    html = client.get("/kazakhstan/labour-immigrant-work-permit/").content
    css = Path(finders.find("css/site.css")).read_bytes()
    assert "<script src" not in html.decode()
    total = len(gzip.compress(html)) + len(gzip.compress(css))
    assert total < 30 * 1024, total


def test_static_files_are_hashed_compressed_and_cached_for_a_year(client, settings, tmp_path):
    """As production serves them: collected with the production storage, served by whitenoise."""
    settings.STATIC_ROOT = tmp_path
    settings.STORAGES = {**settings.STORAGES, "staticfiles": {"BACKEND": _production_storage()}}
    call_command("collectstatic", interactive=False, verbosity=0)
    stylesheet = static("css/site.css")
    assert re.fullmatch(r"/static/css/site\.[0-9a-f]{12}\.css", stylesheet), stylesheet
    assert stylesheet in client.get("/check/how/").content.decode()

    served = Client().get(stylesheet, HTTP_ACCEPT_ENCODING="gzip, br")  # whitenoise reads them anew
    assert served.status_code == 200
    assert served["Content-Encoding"] in ("gzip", "br")
    control = served["Cache-Control"]
    assert "immutable" in control and "public" in control, control
    assert int(re.search(r"max-age=(\d+)", control).group(1)) >= 365 * 24 * 60 * 60


def _production_storage():
    """The static files storage of production settings (DEBUG off)."""
    import os
    import subprocess
    import sys

    code = "import immigration_site.settings as s; print(s.STORAGES['staticfiles']['BACKEND'])"
    env = {"PATH": os.environ["PATH"], "ENV_FILE": "", "SECRET_KEY": "k3y-Wz9!pQ" * 6}
    return subprocess.run(
        [sys.executable, "-c", code],
        cwd=settings.BASE_DIR,
        env=env,
        capture_output=True,
        text=True,
        check=True,
    ).stdout.strip()


def test_an_edit_costs_one_query_to_mark_content_changed(route, django_assert_num_queries):
    """Saving a fact: its update, its route's last change, its history record, the
    change in words (the record before it, the route's status, the insert), and
    one update of the moment (two queries before: a locked read, then the update)."""
    fact = route.facts.get()
    fact.minimum = fact.maximum = 3
    before = freshness.read()
    with django_assert_num_queries(7) as captured:
        fact.save()
    moves = [q["sql"] for q in captured.captured_queries if "publishing_contentstamp" in q["sql"]]
    assert len(moves) == 1
    assert freshness.read() > before
