"""Gunicorn settings for one app server (several can run behind deploy/nginx.conf).

Threads let each worker keep connections alive and overlap database waits;
`preload_app` shares the loaded code between workers; `reuse_port` has
the kernel share new connections out between them.
"""

import gc
import multiprocessing
import os

bind = os.environ.get("GUNICORN_BIND", "127.0.0.1:8000")
# One worker per core: pages are fresh after an edit in every worker, as every
# worker asks the database whether content changed (see publishing.freshness).
workers = int(os.environ.get("GUNICORN_WORKERS", multiprocessing.cpu_count()))
worker_class = "gthread"
threads = int(os.environ.get("GUNICORN_THREADS", "4"))
keepalive = 5
# Each worker listens on a socket of its own (SO_REUSEPORT) and the kernel
# spreads new connections over them. On one shared socket, whichever worker
# woke first took a burst of new connections (12 to all 16 of wrk's), and a
# kept-alive connection stays with its worker: one core queued while the
# other idled. Set net.ipv4.tcp_migrate_req=1 (Linux 5.14+) so connections
# still queued on a worker that exits go to another worker, not reset.
reuse_port = True
timeout = 30
graceful_timeout = 20
# A worker is replaced now and then, in case memory creeps; not often, as a
# new worker starts with an empty local-memory cache and checker index.
max_requests = 1_000_000
max_requests_jitter = 50_000
preload_app = True
accesslog = os.environ.get("GUNICORN_ACCESS_LOG")  # "-" for stdout; off by default
errorlog = "-"


def when_ready(server):
    """The site is loaded (``preload_app``) and no worker forked yet: its code,
    settings and templates live as long as the workers, so they are left out
    of garbage collections (``gc.freeze``). A worker's full collections are
    shorter, and it shares those pages of memory with the master until the
    checker first reads its index, which collects and freezes anew (see
    ``eligibility.index``).
    """
    gc.freeze()
