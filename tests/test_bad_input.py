"""Bad input gets a clear message or a 4xx, never a server error."""

from urllib.parse import quote, urlsplit

import pytest
from hypothesis import HealthCheck, assume, given, settings
from hypothesis import strategies as st

from routes.models import ErrorReport, Question

from .factories import FactFactory, QuestionFactory, RouteFactory, SourceFactory
from .helpers import text_of

pytestmark = pytest.mark.django_db

# Control characters, NUL among them, alone and inside words.
CONTROL = st.text(alphabet=st.characters(categories=["Cc"]), min_size=1, max_size=12)
NASTY = st.one_of(
    st.text(max_size=300),
    CONTROL,
    st.builds("work{}permit".format, CONTROL),
    st.text(alphabet=st.characters(codec="utf-8"), min_size=200, max_size=3000),
    st.sampled_from(
        [
            "' OR 1=1 --",
            "<script>alert(1)</script>",
            "\x00\x01\x1f",
            "../../etc/passwd",
            "%00",
            "1e309",
            "-1",
            "9" * 40,
            "NaN",
            "[]",
            "{}",
            "🇰🇿",
            "\u202e",
            "<img src=x>",
        ]
    ),
)
SAFE = settings(
    max_examples=300,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)


@pytest.fixture
def route(db):
    return RouteFactory()


def clean(value):
    return value.replace("\x00", "")


@SAFE
@given(path=st.text(max_size=120))
def test_any_path_is_never_a_server_error(client, route, path):
    address = "/" + clean(path).lstrip("/")
    try:
        urlsplit(address)
    except ValueError:  # "/\n/[": no request line carries it, and the test client refuses it
        assume(False)
    response = client.get(address)
    assert response.status_code < 500


@SAFE
@given(segment=NASTY, other=NASTY)
def test_any_country_and_route_slug(client, route, segment, other):
    # A leading "//" would make the test client read a host name, not a path.
    assert client.get(f"/{clean(segment).lstrip('/')[:80]}/").status_code < 500
    assert client.get(f"/{route.country.slug}/{clean(other)[:80]}/").status_code < 500


@SAFE
@given(q=NASTY, sort=NASTY, page=NASTY)
def test_search_and_sort_parameters(client, route, q, sort, page):
    # A parameter the page does not read is dropped with a 301 to its clean address.
    # Control characters are stripped from them, NUL included (PostgreSQL refuses it).
    response = client.get("/search/", {"q": q, "page": page}, follow=True)
    assert response.status_code == 200
    assert [status for _, status in response.redirect_chain] == [301]
    url = route.category.get_absolute_url()
    response = client.get(url, {"sort": sort, "sort ": q}, follow=True)
    assert response.status_code == 200
    assert [status for _, status in response.redirect_chain] == [301]
    assert client.get(url, {"sort": sort, "page": "1"}).status_code == 200


CHECKER_FIELDS = [
    "purpose",
    "country",
    "nationality",
    "education",
    "age",
    "income",
    "income_currency",
    "investment",
    "investment_currency",
    "medical_exam",
    "clean_record",
    "job_offer",
    "employer_sponsor",
    "health_insurance",
    "family_tie",
    "ethnic_origin",
    "language",
    "residence_period",
    "invitation",
    "accommodation",
]


@settings(max_examples=700, deadline=None, suppress_health_check=list(HealthCheck))
@given(answers=st.dictionaries(st.sampled_from(CHECKER_FIELDS), NASTY, max_size=8))
def test_checker_answers(client, route, answers):
    for url in ("/check/", "/check/questions/", "/check/results/"):
        # The results send an address with answers out of order to their clean one, once.
        response = client.get(url, answers, follow=True)
        assert response.status_code == 200
        assert len(response.redirect_chain) <= 1


@SAFE
@given(values=st.lists(NASTY, min_size=2, max_size=4))
def test_repeated_parameters(client, route, values):
    query = "&".join(f"age={quote(v[:50])}" for v in values)
    response = client.get(f"/check/results/?{query}", follow=True)
    assert response.status_code == 200
    assert len(response.redirect_chain) <= 1


@SAFE
@given(message=NASTY, source_url=NASTY, email=NASTY, website=st.sampled_from(["", "x"]))
def test_error_report_form(client, route, message, source_url, email, website):
    data = {
        "message": clean(message),
        "source_url": clean(source_url),
        "email": clean(email),
        "website": website,
    }
    response = client.post(f"{route.get_absolute_url()}report/", data, REMOTE_ADDR="10.1.1.1")
    assert response.status_code in (200, 302, 400, 429)


@pytest.fixture
def fast_hashing(settings):
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


@SAFE
@given(username=NASTY, password=NASTY)
def test_admin_login_form(client, fast_hashing, username, password):
    response = client.post(
        "/admin/login/", {"username": clean(username), "password": clean(password)}
    )
    assert response.status_code in (200, 302, 400, 429)


def test_stored_html_is_shown_escaped(client, route):
    QuestionFactory(
        route=route, question="<script>alert('q')</script>?", answer="<b onclick=x>bold</b>"
    )
    ErrorReport.objects.create(route=route, message="<script>alert('r')</script>")
    html = client.get(route.get_absolute_url()).content.decode()
    assert "<script>alert('q')</script>" not in html
    assert "&lt;script&gt;alert(&#x27;q&#x27;)&lt;/script&gt;?" in html
    assert "<b onclick=x>" not in html
    assert Question.objects.count() == 1


def test_stored_html_is_shown_escaped_on_checker_cards(client):
    markup = "<b onclick=x>"
    route = RouteFactory(official_name=f"Permit {markup}", common_name=f"Common {markup}")
    source = SourceFactory(title=f"Title {markup}", publisher=f"Publisher {markup}")
    FactFactory(route=route, topic="qualification", text=f"Engineers {markup}", source=source)
    FactFactory(route=route, topic="age", minimum=18, maximum=60, source=source)
    FactFactory(route=route, topic="age", minimum=21, maximum=60, source=SourceFactory())
    response = client.get("/check/results/?age=30")
    html = response.content.decode()
    assert markup not in html
    text = text_of(response)
    for said in ("Permit", "Common", "Title", "Publisher", "Engineers"):
        assert f"{said} {markup}" in text, said
    assert "Sources disagree" in text


def test_stored_html_in_reports_is_escaped_in_the_admin(admin_client, route):
    ErrorReport.objects.create(route=route, message="<script>alert('r')</script>")
    html = admin_client.get("/admin/routes/errorreport/").content.decode()
    assert "<script>alert('r')</script>" not in html


def test_oversized_requests_are_refused(client, route):
    response = client.post(
        f"{route.get_absolute_url()}report/", {"message": "x" * 400_000}, REMOTE_ADDR="10.2.2.2"
    )
    assert response.status_code == 400
    assert not ErrorReport.objects.exists()


@pytest.mark.parametrize("method", ["post", "put", "patch", "delete"])
def test_read_only_pages_answer_405_to_other_methods(client, route, method):
    for url in [
        "/",
        route.get_absolute_url(),
        route.country.get_absolute_url(),
        "/compare/",
        route.category.get_absolute_url(),
        "/search/",
        "/check/",
        "/check/results/",
        "/check/how/",
        "/changes/",
        "/changes/feed/",
        "/sitemap.xml",
        "/robots.txt",
    ]:
        response = getattr(client, method)(url)
        assert response.status_code == 405, (method, url)


@pytest.mark.parametrize("path", ["/", "route", "/no-such-page/", "/check/results/?age=30"])
def test_a_host_the_site_does_not_serve_is_a_bad_request(client, route, path):
    path = route.get_absolute_url() if path == "route" else path
    response = client.get(path, HTTP_HOST="elsewhere.example")
    assert response.status_code == 400
    assert "Bad request" in text_of(response)
    assert "elsewhere.example" not in response.content.decode()


def test_error_pages_look_like_the_site_and_leak_nothing(client, route):
    response = client.get("/no/such/page/here/")
    assert response.status_code == 404
    text = text_of(response)
    assert "Page not found" in text and "Traceback" not in text


@pytest.mark.parametrize(
    ("status", "words"),
    [
        (400, "Bad request"),
        (403, "Not allowed"),
        (500, "Something went wrong"),
        (503, "Temporarily unavailable"),
    ],
)
def test_error_templates_render_without_context_and_leak_nothing(status, words):
    from django.template.loader import render_to_string

    html = render_to_string(f"{status}.html")
    assert words in html
    assert "Traceback" not in html and "SECRET" not in html
    assert 'href="/static/css/site.css"' in html


def test_a_server_error_shows_the_site_s_500_page(client, monkeypatch):
    from routes import views

    def explode(*args, **kwargs):
        raise RuntimeError("boom")

    monkeypatch.setattr(views.Category.objects, "with_route_counts", explode)
    client.raise_request_exception = False
    response = client.get("/compare/")
    assert response.status_code == 500
    assert "Something went wrong" in text_of(response)
    assert "boom" not in response.content.decode()


def test_a_stale_form_gets_the_site_s_403_page(route):
    from django.test import Client

    response = Client(enforce_csrf_checks=True).post(
        f"{route.get_absolute_url()}report/", {"message": "A long enough message."}
    )
    assert response.status_code == 403
    assert "Form expired" in text_of(response)


def test_a_post_to_a_read_only_page_is_405_even_without_a_csrf_token(route):
    """A browser's stray POST learns the method is wrong, not that a form expired."""
    from django.test import Client

    browser = Client(enforce_csrf_checks=True)
    for url in ["/", route.get_absolute_url(), "/search/", "/check/results/", "/sitemap.xml"]:
        response = browser.post(url)
        assert response.status_code == 405, url
        assert response["Allow"] == "GET, HEAD", url


def test_a_nul_in_a_search_is_stripped_on_every_database(client, route):
    response = client.get("/search/?q=work%00permit")
    assert response.status_code == 200
    assert "Search: workpermit" in text_of(response)
    for path in ("/check/results/?age=3%000", f"{route.category.get_absolute_url()}?sort=%00"):
        assert client.get(path, follow=True).status_code == 200


@pytest.mark.parametrize("charset", ["utf-16", "utf-7", "utf-32", "latin-1", "ascii", "no-such"])
def test_a_body_in_a_charset_the_site_does_not_read_is_a_400_page(route, charset):
    from django.test import Client

    client = Client(enforce_csrf_checks=True)
    body = "message=h%C3%A9llo+there+friend&username=editor&password=x"
    kind = f"application/x-www-form-urlencoded; charset={charset}"
    for url in ("/admin/login/", f"{route.get_absolute_url()}report/"):
        response = client.generic("POST", url, body, content_type=kind)
        assert response.status_code == 400, url
        assert "Bad request" in text_of(response)
    assert not ErrorReport.objects.exists()
    utf8 = client.get(f"{route.get_absolute_url()}report/")
    assert utf8.status_code == 200
