"""Secure by default: deployment checks, strict headers, cookies and admin lockout."""

import os
import re
import subprocess
import sys

import pytest
import time_machine
from django.conf import settings
from django.templatetags.static import static
from django.utils import timezone

from .factories import FactFactory, RouteFactory, StepFactory

pytestmark = pytest.mark.django_db

PRODUCTION = {
    "PATH": os.environ["PATH"],
    "ENV_FILE": "",
    "SECRET_KEY": "x7Fq!2pLr9ZmW4kV8sN1bT6yH3cJ0dGe5uAoXiQwRtYzUv-_k3Jd9",
    "ALLOWED_HOSTS": "routes.example",
    "DATABASE_URL": "sqlite:////tmp/deploy-check.sqlite3",
}


def test_deploy_check_reports_nothing_with_production_settings():
    result = subprocess.run(
        [sys.executable, "manage.py", "check", "--deploy", "--fail-level", "WARNING"],
        cwd=settings.BASE_DIR,
        env=PRODUCTION,
        capture_output=True,
        text=True,
    )
    assert result.returncode == 0, result.stdout + result.stderr
    assert "no issues" in result.stdout


def test_production_cookies_are_secure_host_cookies():
    code = (
        "import immigration_site.settings as s;"
        "print(s.SESSION_COOKIE_NAME, s.CSRF_COOKIE_NAME, s.SESSION_COOKIE_SECURE,"
        " s.CSRF_COOKIE_SECURE, s.SECURE_HSTS_SECONDS, s.SECURE_HSTS_INCLUDE_SUBDOMAINS)"
    )
    out = subprocess.run(
        [sys.executable, "-c", code],
        cwd=settings.BASE_DIR,
        env=PRODUCTION,
        capture_output=True,
        text=True,
    ).stdout.split()
    assert out == ["__Host-sessionid", "__Host-csrftoken", "True", "True", "31536000", "True"]


EXPECTED_CSP = (
    "default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self' data:; "
    "font-src 'self'; connect-src 'self'; form-action 'self'; base-uri 'none'; "
    "object-src 'none'; frame-ancestors 'none'"
)


@pytest.fixture
def https(settings):
    settings.SECURE_HSTS_SECONDS = 31536000
    settings.SECURE_HSTS_INCLUDE_SUBDOMAINS = True
    settings.SECURE_HSTS_PRELOAD = True


def public_urls():
    route = RouteFactory()
    return [
        "/",
        route.get_absolute_url(),
        route.country.get_absolute_url(),
        "/compare/",
        route.category.get_absolute_url(),
        "/search/?q=work",
        "/check/",
        "/check/how/",
        "/check/results/?age=30",
        "/changes/",
        f"{route.get_absolute_url()}report/",
        "/no-such-page/",
        "/admin/login/",
    ]


def test_every_page_type_sends_the_full_header_set(client, https):
    stylesheet = static("css/site.css")
    # Twice each: the second visit to a public page is the copy the page cache kept.
    for url in [*public_urls(), stylesheet] * 2:
        response = client.get(url, secure=True)
        assert response.status_code in (200, 404), url
        assert_full_header_set(response, url, framed=url != stylesheet)
        if "ETag" in response:  # asked again: not modified, with the same headers
            again = client.get(url, secure=True, HTTP_IF_NONE_MATCH=response["ETag"])
            assert again.status_code == 304, url
            assert_full_header_set(again, url, framed=url != stylesheet)


def assert_full_header_set(response, url, *, framed):
    assert response["Content-Security-Policy"] == EXPECTED_CSP, url
    assert response["Strict-Transport-Security"] == "max-age=31536000; includeSubDomains; preload"
    assert response["X-Content-Type-Options"] == "nosniff"
    assert response["Referrer-Policy"] == "strict-origin-when-cross-origin"
    assert response["Cross-Origin-Opener-Policy"] == "same-origin"
    assert response["Cross-Origin-Resource-Policy"] == "same-origin"
    assert "camera=()" in response["Permissions-Policy"]
    assert "geolocation=()" in response["Permissions-Policy"]
    if framed:  # whitenoise answers static files before the frame middleware
        assert response["X-Frame-Options"] == "DENY"


def test_no_template_has_inline_scripts_or_styles():
    import re
    from pathlib import Path

    for path in Path(settings.BASE_DIR, "templates").rglob("*.html"):
        html = path.read_text()
        assert " style=" not in html, path
        assert "<style" not in html, path
        for tag in re.findall(r"<script[^>]*>", html):
            assert 'type="application/ld+json"' in tag, f"{path}: {tag}"
        assert re.search(r" on[a-z]+=", html) is None, path


def login(client, password):
    return client.post(
        "/admin/login/?next=/admin/",
        {"username": "editor", "password": password},
        REMOTE_ADDR="203.0.113.7",
    )


def test_admin_login_locks_after_repeated_failures_and_unlocks_after_the_cool_off(
    client, django_user_model
):
    django_user_model.objects.create_superuser("editor", "e@example.com", "right-password-1")
    for _ in range(settings.AXES_FAILURE_LIMIT - 1):
        assert login(client, "wrong").status_code == 200
    assert login(client, "wrong").status_code == 429  # the last allowed failure locks
    locked = login(client, "right-password-1")
    assert locked.status_code == 429
    # Another address can still sign in as the same editor.
    other = client.post(
        "/admin/login/?next=/admin/",
        {"username": "editor", "password": "right-password-1"},
        REMOTE_ADDR="198.51.100.3",
    )
    assert other.status_code == 302
    client.logout()
    with time_machine.travel(timezone.now() + settings.AXES_COOLOFF_TIME, tick=False):
        assert login(client, "right-password-1").status_code == 302


def test_a_very_long_username_is_a_failed_sign_in_not_an_error(client, settings):
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
    response = client.post("/admin/login/", {"username": "u" * 3000, "password": "x"})
    assert response.status_code == 200
    assert "Please enter the correct username and password" in response.content.decode() or (
        "Ensure this value has at most" in response.content.decode()
    )


@pytest.mark.django_db
@pytest.mark.parametrize(
    "address",
    [
        "javascript:alert(1)",
        " JavaScript:alert(1)",
        "\x01javascript:alert(1)",
        "java\tscript:alert(1)",
        "data:text/html,<script>alert(1)</script>",
        "vbscript:msgbox(1)",
    ],
)
def test_stored_addresses_are_links_only_for_web_pages(client, address):
    """Whatever way an address was stored (a fixture, the database), only http(s) is linked."""
    from routes.models import Country, Fact, Source, Step

    fact = FactFactory(url="https://example.org/ok")
    route = fact.route
    StepFactory(route=route, url="https://example.org/step", source=fact.source)
    # Past the form's validation, as a fixture or a database edit would store them.
    Fact.objects.filter(pk=fact.pk).update(url=address)
    Step.objects.filter(route=route).update(url=address)
    Source.objects.filter(pk=fact.source_id).update(
        url=address, via_url=address, via_publisher="copy.example", verified_on=None
    )
    Country.objects.filter(pk=route.country_id).update(portal_url=address)
    pages = [route.get_absolute_url(), route.country.get_absolute_url()]
    pages.append(route.category.get_absolute_url())
    pages.append(f"/check/results/?country={route.country.slug}&age=30")
    for page in pages:
        response = client.get(page, follow=True)
        assert response.status_code == 200, page
        links = re.findall(r'href="([^"]*)"', response.content.decode())
        assert not [link for link in links if re.search(r"(script|data):", link, re.I)], page
