"""Gunicorn settings for one app server (several can run behind deploy/nginx.conf).

Threads let each worker keep connections alive and overlap database waits;
`preload_app` shares the loaded code between workers.
"""

import multiprocessing
import os

bind = os.environ.get("GUNICORN_BIND", "127.0.0.1:8000")
# Pages are fresh after an edit because every worker sees the same "content
# changed" moment in the cache. A process-local cache (no CACHE_URL: local
# memory) cannot be shared, so then one worker serves with threads; with
# Redis, one worker per core.
_shared_cache = bool(os.environ.get("CACHE_URL"))
workers = int(
    os.environ.get("GUNICORN_WORKERS", multiprocessing.cpu_count() if _shared_cache else 1)
)
worker_class = "gthread"
threads = int(os.environ.get("GUNICORN_THREADS", "4" if _shared_cache else "8"))
keepalive = 5
timeout = 30
graceful_timeout = 20
max_requests = 20000
max_requests_jitter = 2000
preload_app = True
accesslog = os.environ.get("GUNICORN_ACCESS_LOG")  # "-" for stdout; off by default
errorlog = "-"
