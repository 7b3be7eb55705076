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


def main():
    routes = routes_wanted()
    RESULTS.mkdir(exist_ok=True)
    ensure_wrk()
    env = production_env(routes)
    fill(env, routes)
    manage(env, "collectstatic", "--noinput", "-v0")
    servers = [
        gunicorn(env | {"PAGE_CACHE": "on"}, PORT_CACHED),
        gunicorn(env | {"PAGE_CACHE": "off"}, PORT_UNCACHED),
    ]
    nginx = start_nginx()
    try:
        wait_for(f"http://127.0.0.1:{PORT_CACHED}/healthz")
        wait_for(f"http://127.0.0.1:{PORT_UNCACHED}/healthz")
        targets = pick_targets(env)
        rows = measure(targets, nginx is not None)
    finally:
        for server in servers:
            server.send_signal(signal.SIGTERM)
        if nginx:
            subprocess.run(["nginx", "-c", str(nginx), "-s", "stop"], check=False)
        for server in servers:
            server.wait(timeout=20)
    report(rows, env, routes)
    failed = sum(r["errors"] for r in rows)
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


def start_nginx():
    if not shutil.which("nginx"):
        print("nginx is not installed: the nginx rows are skipped (apt-get install nginx-light).")
        return None
    wrapper = nginx_config(
        RESULTS / "nginx",
        listen=f"127.0.0.1:{PORT_NGINX}",
        upstream=f"127.0.0.1:{PORT_CACHED}",
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


def pick_targets(env):
    out = shell(
        env,
        "from django.contrib.staticfiles.storage import staticfiles_storage as s;"
        "from routes.models import Route;"
        "r = Route.objects.published().select_related('country','category').order_by('id').first();"
        "print(s.url('css/site.css'));print(r.get_absolute_url());"
        "print(r.country.get_absolute_url());print(r.category.get_absolute_url())",
    )
    stylesheet, route, hub, compare = out[-4:]
    # Every question answered that is asked without a destination: a German
    # graduate of 30, money in another currency than most routes state it in.
    answers = (
        "nationality=DE&age=30&employer_sponsor=yes&health_insurance=yes&medical_exam=yes"
        "&income=3000&income_currency=USD&investment=0&investment_currency=USD"
        "&ethnic_origin=no&clean_record=yes&education=bachelor&invitation=yes&accommodation=yes"
    )
    cached, uncached = f"http://127.0.0.1:{PORT_CACHED}", f"http://127.0.0.1:{PORT_UNCACHED}"
    # The results page redirects to its canonical address: measure that one.
    results = canonical(f"{uncached}/check/results/?{answers}")
    questions = canonical(f"{uncached}/check/questions/?nationality=DE")
    nginx = f"http://127.0.0.1:{PORT_NGINX}"
    return [
        ("static file (whitenoise)", cached + stylesheet, "static"),
        # For reference: the cheapest page Django can answer through the whole stack.
        ("plain Django page (/healthz)", uncached + "/healthz", "static"),
        ("route page, page cache off", uncached + route, "static"),
        ("route page, page cache on", cached + route, "static"),
        ("country hub", cached + hub, "static"),
        ("comparison", cached + compare, "static"),
        # Every published route is assessed: its cost grows with the size of the content.
        ("checker results", results, "static"),
        # The same request, one visitor at a time: what a single request costs
        # when it does not queue behind fifteen others.
        ("checker results, 1 connection", results, "static", 1),
        ("sitemap", cached + "/sitemap.xml", "static"),
        # The largest section: up to 10,000 addresses a page.
        ("sitemap, routes section", cached + "/sitemap-routes.xml", "static"),
        # Search over every route's words: a common word (every route found, 20 shown),
        # a typo read as a country's name, and a word on one route only. Each answer is
        # kept by the page cache like any page; page cache off, the search itself.
        ("search, common word", cached + "/search/?q=demo+route", "static"),
        ("search, common word, page cache off", uncached + "/search/?q=demo+route", "static"),
        ("search, typo, page cache off", uncached + "/search/?q=afganistan", "static"),
        ("search, rare word, page cache off", uncached + "/search/?q=D17+albania", "static"),
        ("search, rare word, 1 connection", uncached + "/search/?q=D17+albania", "static", 1),
        ("checker first step", cached + "/check/", "static"),
        # Drawn by Django's own form templates (no second template engine).
        ("checker first step, page cache off", uncached + "/check/", "static"),
        # The second step depends on the answers of the first: never cached.
        ("checker questions (second step)", questions, "static"),
        ("nginx: static file", nginx + stylesheet, "nginx-static"),
        ("nginx: route page", nginx + route, "nginx-static"),
    ]


def wrk(url, connections, seconds):
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


def _with_connections(name, url, baseline, connections=None):
    return name, url, baseline, connections or int(CONNECTIONS)


def measure(targets, with_nginx):
    """A row per target: (name, url, baseline[, connections]), the median of the rounds.

    This machine's speed drifts over seconds, so a page is never compared
    with a static file measured a minute before: in each round, every page's
    baseline (the first target of that kind: the static file from the same
    server) is measured again just before it, for BASELINE_SECONDS, and the
    page's ratio is the median of those side-by-side ratios. The baseline's
    own row is the median of all its measurements.
    """
    targets = [_with_connections(*target) for target in targets]
    targets = [t for t in targets if with_nginx or not t[2].startswith("nginx")]
    if ONLY:  # with the baselines of the rows kept: every ratio needs its own
        targets = [t for t in targets if t[0] in BASELINES or any(w in t[0] for w in ONLY)]
        kinds = {t[2] for t in targets if t[0] not in BASELINES}
        targets = [t for t in targets if t[2] in kinds]
    baselines = {}  # kind: the target that is that kind's baseline
    for target in targets:
        baselines.setdefault(target[2], target)
    runs = {name: [] for name, *_ in targets}
    ratios = {name: [] for name, *_ in targets}
    for _ in range(ROUNDS):
        for target in targets:
            name, url, kind, connections = target
            if target is baselines[kind]:
                continue
            base_name, base_url, _, base_connections = baselines[kind]
            base = run(base_url, base_connections, BASELINE_SECONDS)
            runs[base_name].append(base)
            result = run(url, connections, DURATION)
            runs[name].append(result)
            ratios[name].append(result["rps"] / base["rps"])
    rows = []
    for name, url, _, connections in targets:
        rows.append(
            {
                "page": name,
                "url": url,
                "connections": connections,
                "rps": statistics.median(r["rps"] for r in runs[name]),
                "p50_ms": statistics.median(r["p50_ms"] for r in runs[name]),
                "p99_ms": statistics.median(r["p99_ms"] for r in runs[name]),
                "errors": sum(r["errors"] for r in runs[name]),
                "rps_each_round": [r["rps"] for r in runs[name]],
                "ratio": round(statistics.median(ratios[name]), 2) if ratios[name] else 1.0,
                "ratio_each_round": [round(r, 2) for r in ratios[name]],
            }
        )
    return rows


def run(url, connections, seconds):
    for _ in range(WARM_UP):  # on separate connections, so every worker answers some
        urllib.request.urlopen(url, timeout=30).read()
    return wrk(url, connections, seconds)


def report(rows, env, routes):
    print(f"\nDemo content: {routes:,} routes.")
    header = f"{'page':34} {'conns':>5} {'req/s':>9} {'p50 ms':>8} {'p99 ms':>8} {'errors':>7} {'ratio':>6}"
    print("\n" + header + "\n" + "-" * len(header))
    for r in rows:
        print(
            f"{r['page']:34} {r['connections']:5d} {r['rps']:9.0f} {r['p50_ms']:8.2f} "
            f"{r['p99_ms']:8.2f} {r['errors']:7d} {r['ratio']:6.2f}"
        )
    print(
        "\nRatios: to the static file from the same server (nginx rows: to nginx's static file),"
        "\nmeasured just before each page; the median of the rounds."
    )
    data = {
        "when": datetime.now(UTC).isoformat(timespec="seconds"),
        "database": env["DATABASE_URL"].split(":", 1)[0],
        "cache": env.get("CACHE_URL", "locmem").split(":", 1)[0],
        "routes": routes,
        "duration_s": int(DURATION),
        "baseline_s": int(BASELINE_SECONDS),
        "connections": int(CONNECTIONS),
        "rounds": ROUNDS,
        "rows": rows,
    }
    path = RESULTS / f"bench-{datetime.now(UTC):%Y%m%dT%H%M%S}.json"
    path.write_text(json.dumps(data, indent=2))
    (RESULTS / "latest.json").write_text(json.dumps(data, indent=2))
    print(f"Figures written to {path.relative_to(ROOT)}")


if __name__ == "__main__":
    main()
