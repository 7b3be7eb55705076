"""`make bench`: the site under gunicorn with production settings, loaded with wrk.

A separate database (never the real content) is filled by
`generate_demo_content`; two gunicorn servers run on 127.0.0.1, one with the
page cache on and one with it off; nginx, when installed, fronts the cached
one with a micro-cache as `deploy/nginx.conf` describes. wrk measures, in one
run and in this order, repeated: the stylesheet served by whitenoise, a plain
Django page for reference (/healthz), a route page without and with the page
cache, a country hub, a comparison, checker results for a full set of answers
(also one visitor at a time), the sitemap index and its routes section, search,
and the checker's questions (with and without the page cache); then, through
nginx, a static file and the route page. Each page's ratio is to its static
file measured just before it. Prints a table, writes the figures as JSON in
bench-results/, and exits non-zero if any request failed.

On SQLite by default; on PostgreSQL and Redis when DATABASE_URL / CACHE_URL
are set (a database named <name>_bench_<routes> is created beside the given one).

    python bench/run.py --routes 10000      # `make bench ROUTES=10000`; 1,000 by default

Each size of demo content has a database of its own, named by the size, filled
once and reused by every later run of that size.
"""

import argparse
import json
import os
import re
import secrets
import shutil
import signal
import socket
import statistics
import subprocess
import sys
import time
import urllib.request
from datetime import UTC, datetime
from pathlib import Path
from typing import NamedTuple

ROOT = Path(__file__).resolve().parent.parent
RESULTS = ROOT / "bench-results"
PYTHON = sys.executable
DURATION = os.environ.get("BENCH_SECONDS", "8")
# Each page's baseline, measured again just before it (see `measure`).
BASELINE_SECONDS = os.environ.get("BENCH_BASELINE_SECONDS", "4")
CONNECTIONS = os.environ.get("BENCH_CONNECTIONS", "16")
# Three rounds, and the median of each row: this machine's neighbours sometimes
# take half of it for a few seconds, and one such round then decides nothing.
ROUNDS = int(os.environ.get("BENCH_ROUNDS", "3"))
# BENCH_ONLY="route page,checker": only the rows whose names contain one of these.
ONLY = [w.strip() for w in os.environ.get("BENCH_ONLY", "").split(",") if w.strip()]
BASELINES = {"static file (whitenoise)", "nginx: static file"}
PORT_CACHED, PORT_UNCACHED, PORT_NGINX = 8101, 8102, 8180
WARM_UP = 20  # requests before each measurement
DEFAULT_ROUTES = 1000


class Target(NamedTuple):
    name: str
    url: str
    kind: str  # which baseline it is compared with: "static" or "nginx-static"
    connections: int = int(CONNECTIONS)
    headers: tuple = ()  # ("Name: value", ...), sent with every request


class Site(NamedTuple):
    """The site over one size of demo content: a server with the page cache, one without."""

    routes: int
    env: dict
    cached: int  # port
    uncached: int  # port
    servers: list


def main():
    routes = routes_wanted()
    # The default size is always measured too: each page at N routes is compared
    # with itself at 1,000 in the same run, as the machine's speed drifts.
    sizes = sorted({DEFAULT_ROUTES, routes})
    RESULTS.mkdir(exist_ok=True)
    ensure_wrk()
    envs = {size: production_env(size) for size in sizes}
    for size, env in envs.items():
        fill(env, size)
    manage(envs[sizes[0]], "collectstatic", "--noinput", "-v0")
    sites = []
    for n, size in enumerate(sizes):
        cached, uncached = PORT_CACHED + 10 * n, PORT_UNCACHED + 10 * n
        servers = [
            gunicorn(envs[size] | {"PAGE_CACHE": "on"}, cached),
            gunicorn(envs[size] | {"PAGE_CACHE": "off"}, uncached),
        ]
        sites.append(Site(size, envs[size], cached, uncached, servers))
    # nginx fronts the largest content's server.
    nginx = start_nginx(sites[-1].cached)
    try:
        for site in sites:
            wait_for(f"http://127.0.0.1:{site.cached}/healthz")
            wait_for(f"http://127.0.0.1:{site.uncached}/healthz")
        targets = {
            site.routes: pick_targets(site, nginx is not None and site is sites[-1])
            for site in sites
        }
        rows = measure(targets)
        memory = {site.routes: worker_memory(site.servers) for site in sites}
    finally:
        for site in sites:
            for server in site.servers:
                server.send_signal(signal.SIGTERM)
        if nginx:
            subprocess.run(["nginx", "-c", str(nginx), "-s", "stop"], check=False)
        for site in sites:
            for server in site.servers:
                server.wait(timeout=20)
    report(rows, memory, envs[sizes[-1]], sizes)
    failed = sum(r["errors"] for row in rows for r in row["sizes"].values())
    if failed:
        print(f"\n{failed} requests failed.", file=sys.stderr)
        sys.exit(1)


def routes_wanted(argv=None):
    parser = argparse.ArgumentParser(description="make bench: the site under load with wrk.")
    parser.add_argument("--routes", type=int, default=DEFAULT_ROUTES, help="routes of demo content")
    return parser.parse_args(argv).routes


def fill(env, routes):
    """Migrate the bench database and fill it with demo content once.

    A database of this size that is already filled is used as it is: filling
    10,000 routes takes about a minute. One holding another number of routes
    is refused rather than measured under the wrong name.
    """
    manage(env, "migrate", "--noinput", "-v0")
    held = route_count(env)
    if held == 0:
        manage(env, "generate_demo_content", "--routes", str(routes))
    elif held != routes:
        raise SystemExit(
            f"{env['DATABASE_URL']} holds {held} routes, not {routes}: drop it to fill it anew."
        )


def ensure_wrk():
    if shutil.which("wrk"):
        return
    print("Installing wrk with apt ...")
    subprocess.run(["apt-get", "update", "-qq"], check=True)
    subprocess.run(["apt-get", "install", "-y", "-qq", "wrk"], check=True)


def production_env(routes=DEFAULT_ROUTES):
    env = {
        "PATH": os.environ["PATH"],
        "ENV_FILE": "",
        "DEBUG": "off",
        "SECRET_KEY": secrets.token_urlsafe(50),
        "ALLOWED_HOSTS": "127.0.0.1,localhost",
        "LOG_LEVEL": "ERROR",
        "ERROR_REPORTS_PER_HOUR": "5",
        # TLS ends at the proxy in front; the benchmark speaks plain HTTP on loopback.
        "SECURE_SSL_REDIRECT": "off",
    }
    database = os.environ.get("DATABASE_URL")
    if database and database.startswith("postgres"):
        env["DATABASE_URL"] = bench_postgres(database, routes)
    else:
        env["DATABASE_URL"] = f"sqlite:///{RESULTS / f'bench-{routes}.sqlite3'}"
    if os.environ.get("CACHE_URL"):
        env["CACHE_URL"] = os.environ["CACHE_URL"]
    if os.environ.get("DATABASE_POOL"):
        env["DATABASE_POOL"] = os.environ["DATABASE_POOL"]
    return env


def bench_postgres(url, routes):
    """A database named <name>_bench_<routes> on the same server, created when missing."""
    import psycopg

    base, name = url.rsplit("/", 1)
    bench = f"{name}_bench_{routes}"
    with psycopg.connect(url, autocommit=True) as connection:
        exists = connection.execute(
            "SELECT 1 FROM pg_database WHERE datname = %s", [bench]
        ).fetchone()
        if not exists:
            connection.execute(f'CREATE DATABASE "{bench}"')
    return f"{base}/{bench}"


def manage(env, *args):
    subprocess.run([PYTHON, "manage.py", *args], cwd=ROOT, env=env, check=True)


def shell(env, code):
    """Lines printed by Python code run with the site's settings."""
    return subprocess.run(
        [PYTHON, "manage.py", "shell", "-c", code],
        cwd=ROOT,
        env=env,
        check=True,
        capture_output=True,
        text=True,
    ).stdout.split()


def route_count(env):
    out = shell(env, "from routes.models import Route; print(Route.objects.count())")
    return int(out[-1])


def gunicorn(env, port):
    ensure_free(port)
    return subprocess.Popen(
        [
            PYTHON,
            "-m",
            "gunicorn",
            "-c",
            "deploy/gunicorn.conf.py",
            "--bind",
            f"127.0.0.1:{port}",
            "immigration_site.wsgi",
        ],
        cwd=ROOT,
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )


def ensure_free(port):
    """Stop before measuring a server left over from an interrupted run.

    Each worker listens with SO_REUSEPORT (deploy/gunicorn.conf.py), so a new
    server would share the port with the old one instead of failing to bind.
    """
    with socket.socket() as probe:
        if probe.connect_ex(("127.0.0.1", port)) == 0:
            raise SystemExit(f"Something already listens on 127.0.0.1:{port}: stop it first.")


def start_nginx(upstream):
    if not shutil.which("nginx"):
        print("nginx is not installed: the nginx rows are skipped (apt-get install nginx-light).")
        return None
    wrapper = nginx_config(
        RESULTS / "nginx",
        listen=f"127.0.0.1:{PORT_NGINX}",
        upstream=f"127.0.0.1:{upstream}",
        static_root=ROOT / "staticfiles",
    )
    subprocess.run(["nginx", "-c", str(wrapper), "-s", "stop"], check=False, capture_output=True)
    subprocess.run(["nginx", "-c", str(wrapper)], check=True)
    return wrapper


def nginx_config(work, listen, upstream, static_root):
    """deploy/nginx.conf with its placeholders filled in, in a whole nginx
    configuration of its own under ``work`` (pid, logs and the micro-cache's
    files there too). Returns the file to pass to ``nginx -c``."""
    work = Path(work)
    (work / "cache").mkdir(parents=True, exist_ok=True)
    conf = (
        (ROOT / "deploy" / "nginx.conf")
        .read_text()
        .replace("__STATIC_ROOT__", str(static_root))
        .replace("__UPSTREAM__", upstream)
        .replace("__LISTEN__", listen)
        .replace("__CACHE_DIR__", str(work / "cache"))
    )
    wrapper = work / "nginx.conf"
    wrapper.write_text(
        f"worker_processes 2;\npid {work / 'nginx.pid'};\nerror_log {work / 'error.log'} error;\n"
        f"events {{ worker_connections 1024; }}\nhttp {{\n  access_log off;\n"
        f"  include /etc/nginx/mime.types;\n{conf}\n}}\n"
    )
    return wrapper


def wait_for(url, seconds=30):
    deadline = time.time() + seconds
    while time.time() < deadline:
        try:
            with urllib.request.urlopen(url, timeout=2) as response:
                if response.status == 200:
                    return
        except OSError:
            time.sleep(0.3)
    raise SystemExit(f"{url} did not answer within {seconds} s")


def canonical(url):
    """Where a page redirects to, or the address itself (urllib follows redirects)."""
    with urllib.request.urlopen(url, timeout=30) as response:
        return response.url


def pick_targets(site, fronted):
    """The pages measured at this size of content: the same pages at every size (the
    first published route, the largest country and category), each a ``Target``."""
    out = shell(
        site.env,
        "from django.conf import settings;"
        "from django.contrib.staticfiles.storage import staticfiles_storage as s;"
        "from django.db.models import Count;"
        "from routes.models import Category, Country, Route;"
        "r = Route.objects.published().order_by('id').first();"
        "c = Country.objects.annotate(n=Count('routes')).order_by('-n', 'id').first();"
        "g = Category.objects.annotate(n=Count('routes')).order_by('-n', 'id').first();"
        "print(s.url('css/site.css'));print(r.get_absolute_url());"
        "print(c.get_absolute_url());print(g.get_absolute_url());print(g.n);"
        "print('/' + settings.ADMIN_URL);print(r.pk)",
    )
    stylesheet, route, hub, compare, in_category, admin, pk = out[-7:]
    # A later page of the largest category, sorted by another column than the default.
    later = f"{compare}?sort=processing&page={max(1, int(in_category) // 50 // 2)}"
    editor = ("Cookie: " + editor_session(site.env),)
    # Every question answered that is asked without a destination: a German
    # graduate of 30, money in another currency than most routes state it in.
    answers = (
        "nationality=DE&age=30&employer_sponsor=yes&health_insurance=yes&medical_exam=yes"
        "&income=3000&income_currency=USD&investment=0&investment_currency=USD"
        "&ethnic_origin=no&clean_record=yes&education=bachelor&invitation=yes&accommodation=yes"
    )
    cached, uncached = f"http://127.0.0.1:{site.cached}", f"http://127.0.0.1:{site.uncached}"
    # The results page redirects to its canonical address: measure that one.
    results = canonical(f"{uncached}/check/results/?{answers}")
    questions = canonical(f"{uncached}/check/questions/?nationality=DE")
    nginx = f"http://127.0.0.1:{PORT_NGINX}"
    targets = [
        Target("static file (whitenoise)", cached + stylesheet, "static"),
        # For reference: the cheapest page Django can answer through the whole stack.
        Target("plain Django page (/healthz)", uncached + "/healthz", "static"),
        Target("route page, page cache off", uncached + route, "static"),
        Target("route page, page cache on", cached + route, "static"),
        Target("country hub (largest country)", cached + hub, "static"),
        Target("country hub, page cache off", uncached + hub, "static"),
        Target("comparison (largest category)", cached + compare, "static"),
        Target("comparison, page cache off", uncached + compare, "static"),
        Target("comparison, sorted, later page, off", uncached + later, "static"),
        # Every published route is assessed: its cost grows with the size of the content.
        Target("checker results", results, "static"),
        # The same request, one visitor at a time: what a single request costs
        # when it does not queue behind fifteen others.
        Target("checker results, 1 connection", results, "static", 1),
        # The second step depends on the answers of the first: never cached.
        Target("checker questions (second step)", questions, "static"),
        Target("sitemap index", cached + "/sitemap.xml", "static"),
        # The largest section: up to 10,000 addresses a page.
        Target("sitemap, routes section", cached + "/sitemap-routes.xml", "static"),
        Target("sitemap, routes section, cache off", uncached + "/sitemap-routes.xml", "static"),
        Target("changes page", cached + "/changes/", "static"),
        Target("changes page, page cache off", uncached + "/changes/", "static"),
        Target("changes feed, page cache off", uncached + "/changes/feed/", "static"),
        # Search over every route's words: a common word (every route found, 20 shown),
        # a typo read as a country's name, and a word on one route only. Each answer is
        # kept by the page cache like any page; page cache off, the search itself.
        Target("search, common word", cached + "/search/?q=demo+route", "static"),
        Target("search, common word, page cache off", uncached + "/search/?q=demo+route", "static"),
        Target("search, typo, page cache off", uncached + "/search/?q=afganistan", "static"),
        Target("search, rare word, page cache off", uncached + "/search/?q=D17+albania", "static"),
        Target("search, rare word, 1 connection", uncached + "/search/?q=D17+albania", "static", 1),
        # Open data: a page of the list of routes and one route in full, as JSON.
        Target("API: routes list", cached + "/api/v1/routes", "static"),
        Target("API: routes list, page cache off", uncached + "/api/v1/routes", "static"),
        Target("API: one route", cached + "/api/v1/routes" + route.rstrip("/"), "static"),
        Target(
            "API: one route, page cache off",
            uncached + "/api/v1/routes" + route.rstrip("/"),
            "static",
        ),
        # One editor at work: never cached, always signed in.
        Target(
            "admin: route list, 1 editor", f"{uncached}{admin}routes/route/", "static", 1, editor
        ),
        Target(
            "admin: route editor, 1 editor",
            f"{uncached}{admin}routes/route/{pk}/change/",
            "static",
            1,
            editor,
        ),
    ]
    if fronted:  # nginx is in front of this size's server
        targets += [
            Target("nginx: static file", nginx + stylesheet, "nginx-static"),
            Target("nginx: route page", nginx + route, "nginx-static"),
        ]
    return targets


def editor_session(env):
    """A signed-in Editor's session cookie ("name=key"), made in the bench database."""
    out = shell(
        env,
        "from django.conf import settings;"
        "from django.contrib import auth;"
        "from django.contrib.auth.models import Group;"
        "from importlib import import_module;"
        "u, _ = auth.get_user_model().objects.update_or_create("
        "username='bench-editor', defaults={'is_staff': True});"
        "u.groups.add(Group.objects.get(name='Editor'));"
        "s = import_module(settings.SESSION_ENGINE).SessionStore();"
        "s[auth.SESSION_KEY] = str(u.pk);"
        "s[auth.BACKEND_SESSION_KEY] = 'django.contrib.auth.backends.ModelBackend';"
        "s[auth.HASH_SESSION_KEY] = u.get_session_auth_hash();"
        "s.create();"
        "print(settings.SESSION_COOKIE_NAME + '=' + s.session_key)",
    )
    return out[-1]


def wrk(url, connections, seconds, headers=()):
    threads = min(2, connections)
    out = subprocess.run(
        [
            "wrk",
            f"-t{threads}",
            f"-c{connections}",
            f"-d{seconds}s",
            "--latency",
            "--timeout",
            "10s",
            *(part for header in headers for part in ("-H", header)),
            url,
        ],
        check=True,
        capture_output=True,
        text=True,
    ).stdout
    rps = float(re.search(r"Requests/sec:\s+([\d.]+)", out).group(1))
    p50 = parse_latency(re.search(r"\s50%\s+([\d.]+\w+)", out).group(1))
    p99 = parse_latency(re.search(r"\s99%\s+([\d.]+\w+)", out).group(1))
    errors = 0
    if match := re.search(r"Non-2xx or 3xx responses: (\d+)", out):
        errors += int(match.group(1))
    if match := re.search(
        r"Socket errors: connect (\d+), read (\d+), write (\d+), timeout (\d+)", out
    ):
        errors += sum(int(n) for n in match.groups())
    return {"rps": rps, "p50_ms": p50, "p99_ms": p99, "errors": errors}


def parse_latency(text):
    value, unit = re.match(r"([\d.]+)(\w+)", text).groups()
    return float(value) * {"us": 0.001, "ms": 1, "s": 1000, "m": 60000}[unit]


def measure(targets):
    """A row per page, with a column per size of content: the median of the rounds.

    ``targets``: {routes: [Target, ...]}, the same names at every size (a
    name at some sizes only is measured there only). This machine's speed
    drifts over seconds, so a page is never compared with a static file
    measured a minute before: in each round, every page's baseline (the first
    target of its kind: the static file from the same server) is measured
    again just before it, and the page's ratio is the median of those
    side-by-side ratios. The page is measured at each size one after the
    other, and its slowdown (requests per second at the smallest size over
    those at this one) is the median of the rounds' too.
    """
    sizes = sorted(targets)
    names = list(dict.fromkeys(t.name for size in sizes for t in targets[size]))
    if ONLY:  # with the baselines of the rows kept: every ratio needs its own
        kinds = {t.kind for size in sizes for t in targets[size] if any(w in t.name for w in ONLY)}
        names = [
            name
            for name in names
            if any(w in name for w in ONLY)
            or (
                name in BASELINES
                and any(t.kind in kinds for t in targets[sizes[-1]] if t.name == name)
            )
        ]
    by_name = {size: {t.name: t for t in targets[size]} for size in sizes}
    baselines = {}  # kind: the name of that kind's baseline
    for name in names:
        target = next(by_name[size][name] for size in sizes if name in by_name[size])
        baselines.setdefault(target.kind, name)
    runs = {(name, size): [] for name in names for size in sizes}
    ratios = {(name, size): [] for name in names for size in sizes}
    slower = {(name, size): [] for name in names for size in sizes}
    for _ in range(ROUNDS):
        for name in names:
            if name in baselines.values():
                continue
            measured = [size for size in sizes if name in by_name[size]]
            kind = by_name[measured[0]][name].kind
            base_target = by_name[measured[-1]][baselines[kind]]
            base = run(base_target, BASELINE_SECONDS)
            runs[baselines[kind], measured[-1]].append(base)
            results = {size: run(by_name[size][name], DURATION) for size in measured}
            for size, result in results.items():
                runs[name, size].append(result)
                ratios[name, size].append(result["rps"] / base["rps"])
                slower[name, size].append(results[measured[0]]["rps"] / result["rps"])
    rows = []
    for name in names:
        row = {"page": name, "sizes": {}}
        for size in sizes:
            if not runs[name, size]:
                continue
            target = by_name[size][name]
            found = runs[name, size]
            row["connections"] = target.connections
            row["sizes"][size] = {
                "url": target.url,
                "rps": statistics.median(r["rps"] for r in found),
                "p50_ms": statistics.median(r["p50_ms"] for r in found),
                "p99_ms": statistics.median(r["p99_ms"] for r in found),
                "errors": sum(r["errors"] for r in found),
                "rps_each_round": [r["rps"] for r in found],
                "ratio": round(statistics.median(ratios[name, size]), 2)
                if ratios[name, size]
                else 1.0,
                "slower": round(statistics.median(slower[name, size]), 2)
                if slower[name, size]
                else 1.0,
            }
        rows.append(row)
    return rows


def run(target, seconds):
    request = urllib.request.Request(
        target.url, headers=dict(h.split(": ", 1) for h in target.headers)
    )
    for _ in range(WARM_UP):  # on separate connections, so every worker answers some
        urllib.request.urlopen(request, timeout=60).read()
    return wrk(target.url, target.connections, seconds, target.headers)


def worker_memory(servers):
    """Each gunicorn worker's resident memory in MB, after the run (its children's VmRSS)."""
    found = []
    for server in servers:
        children = subprocess.run(
            ["pgrep", "-P", str(server.pid)], capture_output=True, text=True
        ).stdout.split()
        for pid in children:
            status = Path(f"/proc/{pid}/status").read_text()
            kb = int(re.search(r"VmRSS:\s+(\d+) kB", status).group(1))
            found.append(round(kb / 1024, 1))
    return found


def report(rows, memory, env, sizes):
    print(f"\nDemo content: {', '.join(f'{size:,}' for size in sizes)} routes.")
    header = f"{'page':38} {'conns':>5}" + "".join(
        f" | {size:>6} routes: {'req/s':>7} {'p99 ms':>8} {'ratio':>6} {'slower':>6}"
        for size in sizes
    )
    print("\n" + header + "\n" + "-" * len(header))
    for row in rows:
        line = f"{row['page']:38} {row.get('connections', 0):5d}"
        for size in sizes:
            r = row["sizes"].get(size)
            if r is None:
                line += " | " + " " * 14 + f"{'—':>7} {'—':>8} {'—':>6} {'—':>6}"
            else:
                line += (
                    f" | {'':14}{r['rps']:7.0f} {r['p99_ms']:8.2f} {r['ratio']:6.2f}"
                    f" {r['slower']:6.2f}"
                )
        print(line)
    print(
        "\nRatio: to the static file from the same server (nginx rows: to nginx's static"
        "\nfile), measured just before each page. Slower: requests per second at"
        f" {sizes[0]:,} routes\nover those at this size, measured one after the other."
        " Both the median of the rounds."
    )
    print("\nWorkers' resident memory after the run (MB):")
    for size in sizes:
        print(f"  {size:>6,} routes: {memory[size]}")
    if len(sizes) > 1:
        grown = statistics.median(memory[sizes[-1]]) - statistics.median(memory[sizes[0]])
        per_thousand = grown / ((sizes[-1] - sizes[0]) / 1000)
        print(f"  median growth: {per_thousand:.1f} MB per 1,000 routes")
    data = {
        "when": datetime.now(UTC).isoformat(timespec="seconds"),
        "database": env["DATABASE_URL"].split(":", 1)[0],
        "cache": env.get("CACHE_URL", "locmem").split(":", 1)[0],
        "routes": sizes,
        "duration_s": int(DURATION),
        "baseline_s": int(BASELINE_SECONDS),
        "connections": int(CONNECTIONS),
        "rounds": ROUNDS,
        "worker_rss_mb": {str(size): memory[size] for size in sizes},
        "rows": rows,
    }
    path = RESULTS / f"bench-{datetime.now(UTC):%Y%m%dT%H%M%S}.json"
    path.write_text(json.dumps(data, indent=2))
    (RESULTS / "latest.json").write_text(json.dumps(data, indent=2))
    print(f"Figures written to {path.relative_to(ROOT)}")


if __name__ == "__main__":
    main()
