"""Sources that watch themselves: each cited page is fetched, and its check says whether
the quote is still there. Every page here is served by a local server: no test
touches the internet."""

import dataclasses
import datetime
import threading
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from io import StringIO

import pytest
from django.core.management import CommandError, call_command
from django.db import IntegrityError, transaction
from django.utils import timezone

from publishing import freshness
from routes import admin_checks
from routes.models import CheckOutcome, Route, Source, SourceCheck, checks_for_route
from routes.source_checks import HostPacer, Limits, check_sources, html_text

from .factories import (
    CountryFactory,
    FactFactory,
    QuestionFactory,
    RouteFactory,
    SourceCheckFactory,
    SourceFactory,
)
from .helpers import text_of

pytestmark = pytest.mark.django_db

QUOTE = 'The applicant must hold a "work permit" issued by the Ministry of Labour.'
QUOTED_PAGE = (
    "<!doctype html><html><head><title>Work permits</title>"
    "<script>var say = 'nothing here';</script><style>p { color: red }</style></head>"
    "<body><h1>Work permits</h1><p>The   applicant\n must hold a &ldquo;work&nbsp;permit&rdquo;"
    "\t<b>issued</b> by the <a href='/m'>Ministry of Labour</a>.</p></body></html>"
)
OTHER_PAGE = "<html><body><p>This page says something else entirely.</p></body></html>"
# Small limits: a slow page times out in a fraction of a second, a big one is cut at 2 KB.
FAST = Limits(
    concurrency=4, delay=0, connect_timeout=1, read_timeout=0.3, total_timeout=2, max_bytes=2000
)


def pdf_with(text):
    """A one-page PDF whose text is ``text`` (no parentheses or backslashes in it)."""
    stream = b"BT /F1 12 Tf 72 720 Td (%s) Tj ET" % text.encode("latin-1")
    objects = [
        b"<< /Type /Catalog /Pages 2 0 R >>",
        b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
        b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 612 792] /Contents 4 0 R "
        b"/Resources << /Font << /F1 5 0 R >> >> >>",
        b"<< /Length %d >>\nstream\n%s\nendstream" % (len(stream), stream),
        b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>",
    ]
    pdf = bytearray(b"%PDF-1.4\n")
    offsets = []
    for number, body in enumerate(objects, 1):
        offsets.append(len(pdf))
        pdf += b"%d 0 obj\n%s\nendobj\n" % (number, body)
    xref = len(pdf)
    pdf += b"xref\n0 %d\n0000000000 65535 f \n" % (len(objects) + 1)
    pdf += b"".join(b"%010d 00000 n \n" % offset for offset in offsets)
    pdf += b"trailer\n<< /Size %d /Root 1 0 R >>\nstartxref\n%d\n%%%%EOF\n" % (
        len(objects) + 1,
        xref,
    )
    return bytes(pdf)


class PageHandler(BaseHTTPRequestHandler):
    """Answers from the server's ``pages``: path -> (status, headers, body), or "slow"."""

    def do_GET(self):
        self.server.seen.append((self.path, self.headers.get("User-Agent")))
        page = self.server.pages.get(self.path, (404, {}, b"not here"))
        if page == "slow":
            time.sleep(1)
            page = (200, {"Content-Type": "text/html"}, QUOTED_PAGE.encode())
        status, headers, body = page
        try:
            self.send_response(status)
            for name, value in headers.items():
                self.send_header(name, value)
            self.end_headers()
            self.wfile.write(body)
        except (BrokenPipeError, ConnectionResetError):
            pass  # the checker gave up waiting, as it should

    def log_message(self, *args):
        pass


def html(text, status=200):
    return (status, {"Content-Type": "text/html; charset=utf-8"}, text.encode())


@pytest.fixture
def pages():
    """A local web server on 127.0.0.1 serving every kind of page a source can turn into."""
    server = ThreadingHTTPServer(("127.0.0.1", 0), PageHandler)
    server.daemon_threads = True
    server.seen = []
    server.pages = {
        "/quote": html(QUOTED_PAGE),
        "/other": html(OTHER_PAGE),
        "/removed": html("gone", status=410),
        "/old": (301, {"Location": "/new-home"}, b""),
        "/new-home": html(QUOTED_PAGE),
        "/slash": (301, {"Location": "/slash/"}, b""),
        "/slash/": html(QUOTED_PAGE),
        "/slow": "slow",
        "/huge": (200, {"Content-Type": "text/html"}, b"<p>" + b"x" * 5000),
        "/huge-declared": (200, {"Content-Type": "text/html", "Content-Length": "5000"}, b""),
        "/image.png": (200, {"Content-Type": "image/png"}, b"\x89PNG\r\n\x1a\n" + bytes(64)),
        "/notice.pdf": (200, {"Content-Type": "application/pdf"}, pdf_with(QUOTE)),
        "/broken.pdf": (200, {"Content-Type": "application/pdf"}, b"%PDF-1.4 broken"),
        "/plain.txt": (200, {"Content-Type": "text/plain"}, QUOTE.encode()),
        "/changing": html(QUOTED_PAGE + "<p>Version one</p>"),
        "/error": html("oops", status=500),
        "/forbidden": html("no robots", status=403),
    }
    thread = threading.Thread(target=server.serve_forever, args=(0.05,), daemon=True)
    thread.start()
    server.base = f"http://127.0.0.1:{server.server_address[1]}"
    yield server
    server.shutdown()
    server.server_close()


def source_at(address, **fields):
    return SourceFactory(url=address, quote=fields.pop("quote", QUOTE), **fields)


def check(source):
    return check_sources([source], FAST)[0]


# ---------------------------------------------------------------------------
# What a check finds


@pytest.mark.parametrize(
    ("path", "outcome", "status", "found", "error"),
    [
        ("/quote", "ok", 200, True, ""),
        ("/other", "quote_missing", 200, False, ""),
        ("/missing", "gone", 404, None, ""),
        ("/removed", "gone", 410, None, ""),
        ("/old", "moved", 200, True, ""),
        ("/slash", "ok", 200, True, ""),
        ("/slow", "unreachable", None, None, "timeout"),
        ("/huge", "unreachable", 200, None, "too large (over 2,000 bytes)"),
        ("/huge-declared", "unreachable", 200, None, "too large (over 2,000 bytes)"),
        ("/image.png", "quote_missing", 200, None, "not text (image/png)"),
        ("/notice.pdf", "ok", 200, True, ""),
        ("/broken.pdf", "quote_missing", 200, None, "unreadable PDF"),
        ("/plain.txt", "ok", 200, True, ""),
        ("/error", "unreachable", 500, None, ""),
        ("/forbidden", "unreachable", 403, None, ""),
    ],
)
def test_each_kind_of_page_has_its_outcome(pages, path, outcome, status, found, error):
    result = check(source_at(pages.base + path))
    assert (result.outcome, result.http_status, result.quote_found, result.error) == (
        outcome,
        status,
        found,
        error,
    )
    assert result.address == pages.base + path and not result.via_copy
    assert SourceCheck.objects.get() == result


def test_a_refused_connection_is_unreachable(closed_port):
    result = check(source_at(f"http://127.0.0.1:{closed_port}/page"))
    assert result.outcome == CheckOutcome.UNREACHABLE
    assert result.error == "connection refused" and result.http_status is None
    assert result.final_address == "" and result.fingerprint == ""


def test_a_redirect_is_recorded_hop_by_hop(pages):
    result = check(source_at(pages.base + "/old"))
    assert result.outcome == CheckOutcome.MOVED
    assert result.final_address == pages.base + "/new-home"
    assert result.redirect_hops == [f"301 {pages.base}/new-home"]
    trailing = check(source_at(pages.base + "/slash"))
    assert trailing.redirect_hops == [f"301 {pages.base}/slash/"]


def test_the_quote_is_compared_regardless_of_spacing_case_and_typographic_quotes(pages):
    passages = "THE APPLICANT must   hold a “work permit” … issued by the Ministry of Labour"
    assert check(source_at(pages.base + "/quote", quote=passages)).quote_found is True
    one_missing = "The applicant must hold a work permit / and pay the fee of 100 dollars"
    assert check(source_at(pages.base + "/quote", quote=one_missing)).outcome == "quote_missing"


def test_scripts_and_styles_are_not_the_page_text():
    text = html_text(QUOTED_PAGE)
    assert "nothing here" not in text and "color" not in text
    assert "Work permits The" in " ".join(text.split())


def test_a_page_whose_text_changed_is_told_from_the_baseline(pages):
    source = source_at(pages.base + "/changing")
    first = check(source)
    assert first.outcome == CheckOutcome.OK and len(first.fingerprint) == 64
    assert check(source).outcome == CheckOutcome.OK
    pages.pages["/changing"] = html(QUOTED_PAGE + "<p>Version two</p>")
    changed = check(source)
    assert changed.outcome == CheckOutcome.PAGE_CHANGED and changed.quote_found is True
    assert check(source).outcome == CheckOutcome.PAGE_CHANGED  # still unlike the first
    changed.acknowledged_at = timezone.now()
    changed.save()
    assert check(source).outcome == CheckOutcome.OK  # the acknowledged page is the baseline


def test_a_source_read_via_a_copy_is_checked_at_the_copys_address(pages):
    source = source_at(
        pages.base + "/other",
        via_publisher="copies.example",
        via_url=pages.base + "/quote",
        verified_on=None,
    )
    result = check(source)
    assert result.via_copy and result.address == pages.base + "/quote"
    assert result.outcome == CheckOutcome.OK
    assert [path for path, _ in pages.seen] == ["/quote"]


def test_every_request_names_the_site_and_its_contact(pages, settings):
    check(source_at(pages.base + "/quote"))
    assert pages.seen == [("/quote", settings.SOURCE_CHECK_USER_AGENT)]
    assert "ImmigrationRoutesSourceCheck" in settings.SOURCE_CHECK_USER_AGENT


def test_a_check_changes_nothing_public(pages):
    source = source_at(pages.base + "/other")
    route = FactFactory(source=source).route
    before = (
        freshness.read(),
        Source.objects.get(pk=source.pk).updated_at,
        Route.objects.get(pk=route.pk).updated_at,
        source.history.count(),
    )
    assert check(source).outcome == CheckOutcome.QUOTE_MISSING
    after = (
        freshness.read(),
        Source.objects.get(pk=source.pk).updated_at,
        Route.objects.get(pk=route.pk).updated_at,
        source.history.count(),
    )
    assert after == before


def test_a_check_that_breaks_its_rules_is_refused_by_the_database():
    with pytest.raises(IntegrityError), transaction.atomic():
        SourceCheckFactory(outcome="gone", quote_found=True)
    with pytest.raises(IntegrityError), transaction.atomic():
        SourceCheckFactory(outcome="ok", acknowledged_by=None, quote_found=False)


# ---------------------------------------------------------------------------
# Politeness


def test_requests_to_one_host_wait_their_turn():
    now = [0.0]
    slept = []
    pacer = HostPacer(1.0, clock=lambda: now[0], sleep=slept.append)
    pacer.wait("a.example")
    pacer.wait("b.example")
    assert slept == []
    now[0] = 0.4
    pacer.wait("a.example")
    assert slept == [pytest.approx(0.6)]
    now[0] = 5.0
    pacer.wait("a.example")
    assert slept == [pytest.approx(0.6)]


def test_a_run_spaces_the_requests_to_each_host(pages):
    port = pages.server_address[1]
    sources = [source_at(pages.base + "/quote") for _ in range(3)]
    sources += [source_at(f"http://localhost:{port}/quote") for _ in range(2)]
    slept = []
    pacer = HostPacer(1.0, clock=lambda: 0.0, sleep=slept.append)
    checks = check_sources(sources, FAST, pacer=pacer)
    assert [c.outcome for c in checks] == ["ok"] * 5
    # 127.0.0.1: now, +1 s, +2 s; localhost: now, +1 s (the clock stands still here).
    assert sorted(slept) == [1.0, 1.0, 2.0]


# ---------------------------------------------------------------------------
# The command


def run(*args):
    out = StringIO()
    call_command("check_sources", "--delay", "0", *args, stdout=out)
    return out.getvalue()


def test_the_command_reports_each_source_and_a_summary(pages):
    fine = source_at(pages.base + "/quote", ref="fine-page")
    gone = source_at(pages.base + "/missing", ref="gone-page")
    output = run()
    assert f"OK            fine-page  {fine.url}" in output
    assert f"Gone          gone-page  {gone.url}: HTTP 404" in output
    assert output.strip().endswith("Checked 2 sources: 1 OK, 1 gone. 1 needs an editor's look.")


def test_the_command_checks_the_refs_asked_for(pages):
    source_at(pages.base + "/quote", ref="wanted")
    source_at(pages.base + "/other", ref="not-wanted")
    assert "wanted" in run("--ref", "wanted") and "not-wanted" not in run("--ref", "wanted")
    assert list(SourceCheck.objects.values_list("source__ref", flat=True)) == ["wanted"] * 2
    with pytest.raises(CommandError, match="No source with the ref nobody"):
        run("--ref", "wanted", "nobody")


def test_the_command_skips_sources_checked_lately(pages):
    lately = source_at(pages.base + "/quote", ref="lately")
    long_ago = source_at(pages.base + "/quote", ref="long-ago")
    never = source_at(pages.base + "/quote", ref="never")
    SourceCheckFactory(source=lately)
    SourceCheckFactory(source=long_ago, checked_at=timezone.now() - datetime.timedelta(days=9))
    output = run("--older-than", "7")
    assert "long-ago" in output and "never" in output and " lately " not in output
    assert never.checks.count() == 1 and lately.checks.count() == 1
    with pytest.raises(CommandError):
        run("--older-than", "-1")


def test_the_command_says_when_there_is_nothing_to_check():
    assert run() == "No sources to check.\n"


# ---------------------------------------------------------------------------
# Latest checks


def test_the_latest_check_of_each_source_is_found(pages):
    source, other = SourceFactory(), SourceFactory()
    old = timezone.now() - datetime.timedelta(days=3)
    SourceCheckFactory(source=source, checked_at=old, outcome="gone")
    newest = SourceCheckFactory(source=source)
    other_check = SourceCheckFactory(source=other, outcome="gone")
    assert set(SourceCheck.objects.latest_of(Source.objects.all())) == {newest, other_check}
    assert list(SourceCheck.objects.needing_attention()) == [other_check]
    route = FactFactory(source=source).route
    QuestionFactory(route=route, source=other)
    FactFactory(route=route, source=SourceFactory())  # never checked
    assert checks_for_route(route) == {source.pk: newest, other.pk: other_check}


# ---------------------------------------------------------------------------
# The admin


def sources_with_each_status(count):
    """``count`` sources of each status the admin tells apart, with their checks."""
    made = {}
    for n in range(count):
        made.setdefault("never", []).append(SourceFactory(title=f"Never {n}"))
        for outcome in CheckOutcome.values:
            source = SourceFactory(title=f"{outcome} {n}")
            SourceCheckFactory(source=source, outcome=outcome)
            made.setdefault(outcome, []).append(source)
        acknowledged = SourceFactory(title=f"Acknowledged {n}")
        SourceCheckFactory(source=acknowledged, outcome="gone", acknowledged_at=timezone.now())
        made.setdefault("acknowledged", []).append(acknowledged)
    return made


@pytest.mark.parametrize("count", [1, 4])
def test_the_source_list_shows_each_sources_check_in_constant_queries(
    admin_client, django_assert_num_queries, count
):
    sources_with_each_status(count)
    with django_assert_num_queries(5):
        page = admin_client.get("/admin/routes/source/").content.decode()
    assert '<td class="field-check_column">Quote missing</td>' in page
    assert '<td class="field-check_column">Gone (acknowledged)</td>' in page
    assert '<td class="field-check_column">never checked</td>' in page


@pytest.mark.parametrize(
    ("status", "listed"),
    [
        ("quote_missing", ["quote_missing"]),
        ("gone", ["gone", "acknowledged"]),
        ("never", ["never"]),
        ("attention", ["quote_missing", "page_changed", "moved", "gone", "unreachable"]),
        ("ok", ["ok"]),
    ],
)
def test_sources_are_filtered_by_their_check(admin_client, status, listed):
    made = sources_with_each_status(1)
    response = admin_client.get("/admin/routes/source/", {"check": status})
    shown = {source.pk for source in response.context["cl"].result_list}
    assert shown == {made[kind][0].pk for kind in listed}


def test_the_latest_check_is_readable_on_the_sources_page(admin_client, pages):
    source = source_at(
        pages.base + "/other",
        via_publisher="copies.example",
        via_url=pages.base + "/old",
        verified_on=None,
    )
    check(source)
    page = admin_client.get(f"/admin/routes/source/{source.pk}/change/").content.decode()
    assert "Latest check of the page" in page
    assert "/old (the copy's address: the quote was read in a copy)" in page
    assert f"301 {pages.base}/new-home<br>" in page
    assert "<td>Moved</td>" in page and "<td>yes</td>" in page
    never = SourceFactory()
    assert (
        "Never checked."
        in admin_client.get(f"/admin/routes/source/{never.pk}/change/").content.decode()
    )


def test_check_now_starts_no_page_once_its_time_is_up(admin_client, pages, monkeypatch):
    # One page at a time: the slow page uses up the time, the next is never started.
    late = dataclasses.replace(FAST, concurrency=1, start_within=0.1)
    monkeypatch.setattr(admin_checks, "CHECK_NOW_LIMITS", late)
    slow, quick = source_at(pages.base + "/slow"), source_at(pages.base + "/quote")
    response = admin_client.post(
        "/admin/routes/source/",
        {"action": "check_now", "_selected_action": [slow.pk, quick.pk]},
        follow=True,
    )
    assert "1 of the chosen sources were not reached in time" in text_of(response)
    assert (slow.checks.get().outcome, quick.checks.count()) == ("unreachable", 0)


def test_check_now_checks_the_chosen_sources_and_no_more_than_its_limit(
    admin_client, pages, monkeypatch
):
    monkeypatch.setattr(admin_checks, "CHECK_NOW_LIMITS", FAST)
    monkeypatch.setattr(admin_checks, "CHECK_NOW_AT_MOST", 2)
    sources = [source_at(pages.base + path) for path in ("/quote", "/missing", "/other")]
    response = admin_client.post(
        "/admin/routes/source/",
        {"action": "check_now", "_selected_action": [s.pk for s in sources]},
        follow=True,
    )
    text = response.content.decode()
    assert "Checked 2 sources: 1 OK, 1 gone. 1 needs an editor&#x27;s look." in text
    assert "Only the first 2 of the 3 chosen sources were checked" in text
    assert [s.checks.count() for s in sources] == [1, 1, 0]
    assert SourceCheck.objects.get(source=sources[0]).history.get().history_user is not None


def test_acknowledging_is_in_the_history_and_can_be_reverted(admin_client, admin_user):
    gone = SourceCheckFactory(outcome="gone")
    never = SourceFactory()
    response = admin_client.post(
        "/admin/routes/source/",
        {"action": "acknowledge_latest_check", "_selected_action": [gone.source_id, never.pk]},
        follow=True,
    )
    text = response.content.decode()
    assert "Acknowledged the latest check of 1 source." in text
    assert "1 chosen source was never checked: nothing to acknowledge." in text
    gone.refresh_from_db()
    assert gone.acknowledged_by == admin_user and gone.acknowledged_at is not None
    assert not SourceCheck.objects.needing_attention().exists()
    acknowledged, created = gone.history.all()
    assert acknowledged.acknowledged_by_id == admin_user.pk and created.acknowledged_at is None

    revert = f"/admin/routes/sourcecheck/{gone.pk}/history/{created.history_id}/"
    assert admin_client.get(revert).status_code == 200
    assert admin_client.post(revert, {}).status_code == 302
    gone.refresh_from_db()
    assert gone.acknowledged_by is None and gone.acknowledged_at is None
    assert gone.history.count() == 3
    assert list(SourceCheck.objects.needing_attention()) == [gone]


def test_a_check_is_never_added_or_deleted_by_hand(admin_client):
    check_row = SourceCheckFactory()
    assert admin_client.get("/admin/routes/sourcecheck/add/").status_code == 403
    assert admin_client.get(f"/admin/routes/sourcecheck/{check_row.pk}/delete/").status_code == 403
    assert admin_client.get("/admin/routes/sourcecheck/").status_code == 200


def routes_to_recheck(count):
    """``count`` published routes of each kind the review list tells apart, in one country."""
    country = CountryFactory(code="KZ")
    old = timezone.localdate() - datetime.timedelta(days=400)
    made = {}
    for n in range(count):
        for kind in ("quote_missing", "gone", "moved", "unreachable", "page_changed", "ok"):
            source = SourceFactory(title=f"Source {kind} {n}")
            SourceCheckFactory(source=source, outcome=kind)
            route = RouteFactory(country=country, official_name=f"Permit {kind} {n}")
            FactFactory(route=route, source=source)
            made.setdefault(kind, []).append(route)
        source = SourceFactory(verified_on=old)
        SourceCheckFactory(source=source, outcome="gone", acknowledged_at=timezone.now())
        made.setdefault("overdue", []).append(FactFactory(source=source).route)
        draft = RouteFactory(status="draft", official_name=f"Draft permit {n}")
        FactFactory(route=draft, source=SourceCheckFactory(outcome="gone").source)
    return made


@pytest.mark.parametrize("count", [1, 3])
def test_routes_to_reverify_list_missing_quotes_and_gone_pages_first(
    admin_client, django_assert_num_queries, count
):
    made = routes_to_recheck(count)
    with django_assert_num_queries(6):
        response = admin_client.get("/admin/routes/route/review/")
    page = response.content.decode()
    first = [page.index(r.official_name) for kind in ("quote_missing", "gone") for r in made[kind]]
    then = [
        page.index(r.official_name)
        for kind in ("moved", "unreachable", "page_changed")
        for r in made[kind]
    ]
    last = [page.index(r.official_name) for r in made["overdue"]]
    assert max(first) < min(then) and max(then) < min(last)
    for route in made["ok"]:
        assert route.official_name not in page
    assert "Draft permit" not in page
    source = made["quote_missing"][0].facts.get().source
    assert (
        f'Quote missing: <a href="/admin/routes/source/{source.pk}/change/">{source.title}</a>'
        in page
    )
    assert "Verified more than 180 days ago" in page


def test_the_admin_home_counts_the_sources_needing_attention(admin_client):
    home = admin_client.get("/admin/")
    assert "No check of a cited page needs looking at." in text_of(home)
    SourceCheckFactory(outcome="quote_missing")
    SourceCheckFactory(outcome="ok")
    home = admin_client.get("/admin/")
    assert "1 source whose page no longer says what is quoted" in text_of(home)
    assert "/admin/routes/source/?check=attention" in home.content.decode()
