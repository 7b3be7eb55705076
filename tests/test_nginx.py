"""The reference nginx (deploy/nginx.conf) in front of the site: a micro-cache
that keeps public pages for a second (nginx counts whole seconds, so one to
two) and never serves a copy older than that.

nginx runs with the configuration `make bench` uses, in front of pytest-django's
live server; `tests/setup.sh` installs it when it is missing.
"""

import http.client
import ipaddress
import re
import shutil
import socket
import subprocess
import tempfile
import time
import urllib.request
from pathlib import Path
from urllib.parse import urlencode, urlsplit

import pytest
from django.conf import settings

from bench.run import nginx_config

from .factories import RouteFactory

pytestmark = pytest.mark.django_db(transaction=True)

SETUP_HINT = "run tests/setup.sh first (it installs nginx-light)"


def listening(port):
    with socket.socket() as probe:
        return probe.connect_ex(("127.0.0.1", port)) == 0


def free_port():
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


@pytest.fixture
def nginx(live_server):
    """The address of an nginx started for one test, with an empty micro-cache."""
    if not shutil.which("nginx"):
        pytest.fail(f"nginx is not installed: {SETUP_HINT}", pytrace=False)
    # nginx's workers run as an unprivileged user when it is started as root:
    # they must reach the micro-cache's folder, which nginx hands to them.
    work = Path(tempfile.mkdtemp(prefix="nginx-test-"))
    work.chmod(0o755)
    static_root = work / "static"
    (static_root / "css").mkdir(parents=True)
    (static_root / "css" / "site.0123abcd.css").write_text("body { margin: 0 }\n")
    static_root.chmod(0o755)
    port = free_port()
    conf = nginx_config(
        work,
        listen=f"127.0.0.1:{port}",
        upstream=live_server.url.removeprefix("http://"),
        static_root=static_root,
    )
    server = subprocess.Popen(["nginx", "-c", str(conf), "-g", "daemon off;"])
    deadline = time.monotonic() + 10
    while not listening(port):
        assert time.monotonic() < deadline, (work / "error.log").read_text()
        time.sleep(0.05)
    yield f"http://127.0.0.1:{port}"
    server.terminate()
    server.wait(timeout=10)
    shutil.rmtree(work, ignore_errors=True)


def get(url, **headers):
    """Status, headers and text of a GET, without following redirects."""
    request = urllib.request.Request(url, headers=headers)
    try:
        with urllib.request.urlopen(request, timeout=10) as response:
            return response.status, response.headers, response.read().decode()
    except urllib.error.HTTPError as error:
        return error.code, error.headers, error.read().decode()


def wait_past_the_micro_cache():
    """nginx counts whole seconds: a copy kept for one second lives one to two."""
    time.sleep(settings.PROXY_CACHE_SECONDS + 1.1)


def test_a_public_page_is_served_from_the_micro_cache(nginx):
    route = RouteFactory()
    status, first, body = get(nginx + route.get_absolute_url())
    assert status == 200
    assert first["X-Micro-Cache"] == "MISS"
    status, again, body_again = get(nginx + route.get_absolute_url())
    assert status == 200
    assert again["X-Micro-Cache"] == "HIT"
    assert body_again == body
    assert again["Content-Security-Policy"] == first["Content-Security-Policy"]


def test_an_edit_reaches_visitors_within_two_seconds(nginx):
    route = RouteFactory(summary="The first summary.")
    url = nginx + route.get_absolute_url()
    assert "The first summary." in get(url)[2]
    route.summary = "The second summary."
    route.save()
    # While it lasts the copy may still be served; after it, never.
    wait_past_the_micro_cache()
    status, headers, body = get(url)
    assert "The second summary." in body
    assert "The first summary." not in body


def test_a_copy_kept_long_before_an_edit_is_never_served_after_it(nginx):
    """A copy that outlived its time is not handed out while it is refreshed
    (nginx's "stale while updating"): it may predate an edit by minutes."""
    route = RouteFactory(summary="The first summary.")
    url = nginx + route.get_absolute_url()
    get(url)
    wait_past_the_micro_cache()
    route.summary = "The second summary."
    route.save()
    status, headers, body = get(url)
    assert status == 200
    assert headers["X-Micro-Cache"] == "EXPIRED"
    assert "The second summary." in body


def test_answers_to_the_checker_are_never_kept(nginx):
    url = nginx + "/check/results/?purpose=work&age=30"
    for _ in range(2):
        status, headers, body = get(url)
        assert status == 200
        assert headers["Cache-Control"] == "private, no-store"
        assert headers["X-Micro-Cache"] == "MISS"


def test_editors_always_reach_the_app(nginx):
    route = RouteFactory()
    get(nginx + route.get_absolute_url())  # kept for visitors
    status, headers, body = get(nginx + route.get_absolute_url(), Cookie="__Host-sessionid=x")
    assert status == 200
    assert headers["X-Micro-Cache"] == "BYPASS"
    assert "private" in headers["Cache-Control"]


def test_static_files_are_served_by_nginx_for_a_year(nginx):
    status, headers, body = get(nginx + "/static/css/site.0123abcd.css")
    assert status == 200
    assert body == "body { margin: 0 }\n"
    assert headers["Cache-Control"] == "public, max-age=31536000, immutable"
    assert "X-Micro-Cache" not in headers


def test_static_files_carry_the_security_headers_and_nginx_hides_its_version(nginx):
    from django.conf import settings

    status, headers, _ = get(nginx + "/static/css/site.0123abcd.css")
    assert status == 200
    assert headers["Server"] == "nginx"
    assert headers["X-Content-Type-Options"] == "nosniff"
    assert headers["Referrer-Policy"] == "strict-origin-when-cross-origin"
    assert headers["X-Frame-Options"] == "DENY"
    assert headers["Cross-Origin-Resource-Policy"] == settings.CROSS_ORIGIN_RESOURCE_POLICY
    assert headers["Permissions-Policy"] == settings.PERMISSIONS_POLICY
    status, headers, _ = get(nginx + "/static/no-such-file.css")
    assert status == 404 and headers["Server"] == "nginx"


def report_from(nginx, source, path, forged=None):
    """Send an error report through nginx from a client at `source` (a loopback
    address of its own), as a browser would: the form first, then its token."""

    host, port = urlsplit(nginx).hostname, urlsplit(nginx).port
    extra = {"X-Forwarded-For": forged} if forged else {}
    conn = http.client.HTTPConnection(host, port, timeout=10, source_address=(source, 0))
    conn.request("GET", path, headers=extra)
    form = conn.getresponse()
    html = form.read().decode()
    cookie = form.getheader("Set-Cookie").split(";")[0]
    token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', html).group(1)
    body = urlencode({"csrfmiddlewaretoken": token, "message": "The fee shown is out of date."})
    headers = {"Content-Type": "application/x-www-form-urlencoded", "Cookie": cookie}
    conn.request("POST", path, body=body, headers=headers | extra)
    status = conn.getresponse().status
    conn.close()
    return status


def test_behind_nginx_two_clients_are_told_apart_and_a_forged_address_is_ignored(nginx, settings):
    settings.TRUSTED_PROXIES = [ipaddress.ip_network("127.0.0.1")]
    settings.ERROR_REPORTS_PER_HOUR = 1
    path = f"{RouteFactory().get_absolute_url()}report/"
    assert report_from(nginx, "127.0.0.2", path) == 302
    # The same client again, claiming to be someone else: still itself.
    assert report_from(nginx, "127.0.0.2", path, forged="203.0.113.50") == 429
    # Another client is not held back by the first.
    assert report_from(nginx, "127.0.0.3", path) == 302
