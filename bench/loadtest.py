"""`make loadtest`: a sustained, bounded load on loopback; fails on any error or leak.

gunicorn with production settings on the demo database (see run.py), then wrk
at 64 connections for 60 seconds over the route, hub, comparison, search and
checker pages in turn. Passes when there are no socket errors, no responses
other than 2xx/3xx, and the workers' memory at the end is within 20% of the
start (after a warm-up).
"""

import json
import os
import re
import signal
import subprocess
import sys
import time
import urllib.parse
import urllib.request
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

import run  # noqa: E402  (the benchmark's set-up, shared)

PORT = 8111
SECONDS = os.environ.get("LOADTEST_SECONDS", "60")
CONNECTIONS = os.environ.get("LOADTEST_CONNECTIONS", "64")

LUA = """
paths = {%s}
counter = 0
request = function()
  counter = counter + 1
  return wrk.format("GET", paths[(counter %% #paths) + 1])
end
"""


def worker_memory(master):
    """Resident memory (KiB) of each gunicorn worker."""
    children = subprocess.run(
        ["ps", "-o", "pid=,rss=", "--ppid", str(master)], capture_output=True, text=True
    ).stdout.split("\n")
    return {int(p): int(r) for p, r in (line.split() for line in children if line.strip())}


def main():
    run.RESULTS.mkdir(exist_ok=True)
    run.ensure_wrk()
    env = run.production_env(run.DEFAULT_ROUTES)
    run.fill(env, run.DEFAULT_ROUTES)
    run.manage(env, "collectstatic", "--noinput", "-v0")
    server = run.gunicorn(env | {"PAGE_CACHE": "on"}, PORT)
    try:
        base = f"http://127.0.0.1:{PORT}"
        run.wait_for(base + "/healthz")
        targets = {name: url for name, url, *_ in run.pick_targets(env)}
        route, hub, compare = (
            urllib.parse.urlsplit(targets[name]).path
            for name in ("route page, page cache on", "country hub", "comparison")
        )
        checker = urllib.parse.urlsplit(targets["checker results"])
        country = hub.strip("/")
        # A visitor asking about one country, with every question answered.
        checker_path = f"{checker.path}?{checker.query}&country={country}&purpose=work"
        paths = [route, hub, compare, "/search/?q=demo+route", checker_path]
        for path in paths * 20:  # warm-up of every worker: code, caches and connections
            urllib.request.urlopen(base + path, timeout=60).read()
        time.sleep(1)
        start = worker_memory(server.pid)
        script = run.RESULTS / "loadtest.lua"
        script.write_text(LUA % ", ".join(f'"{p}"' for p in paths))
        out = subprocess.run(
            [
                "wrk",
                "-t2",
                f"-c{CONNECTIONS}",
                f"-d{SECONDS}s",
                "--timeout",
                "20s",
                "--latency",
                "-s",
                str(script),
                base,
            ],
            capture_output=True,
            text=True,
            check=True,
        ).stdout
        end = worker_memory(server.pid)
    finally:
        server.send_signal(signal.SIGTERM)
        server.wait(timeout=30)
    print(out)
    requests = int(re.search(r"(\d+) requests in", out).group(1))
    bad = int(m.group(1)) if (m := re.search(r"Non-2xx or 3xx responses: (\d+)", out)) else 0
    sockets = re.search(
        r"Socket errors: connect (\d+), read (\d+), write (\d+), timeout (\d+)", out
    )
    socket_errors = sum(int(n) for n in sockets.groups()) if sockets else 0
    growth = {pid: end.get(pid, 0) / kib for pid, kib in start.items() if kib}
    worst = max(growth.values()) if growth else 1.0
    summary = {
        "requests": requests,
        "seconds": int(SECONDS),
        "connections": int(CONNECTIONS),
        "non_2xx_3xx": bad,
        "socket_errors": socket_errors,
        "memory_start_kib": start,
        "memory_end_kib": end,
        "worst_memory_ratio": round(worst, 3),
    }
    (run.RESULTS / "loadtest.json").write_text(json.dumps(summary, indent=2))
    print(json.dumps(summary, indent=2))
    failures = []
    if bad or socket_errors:
        failures.append(f"{bad} bad responses, {socket_errors} socket errors")
    if worst > 1.2:
        failures.append(f"a worker's memory grew to {worst:.0%} of its start")
    if failures:
        sys.exit("Load test failed: " + "; ".join(failures))
    print("Load test passed.")


if __name__ == "__main__":
    main()
