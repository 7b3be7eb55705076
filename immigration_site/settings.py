"""Settings for the immigration routes site: one module, driven by the environment.

Every value that differs between machines comes from the environment or a
``.env`` file beside ``manage.py``. ``DEBUG`` is off unless asked for, and
without ``DEBUG`` the site refuses to start with no real ``SECRET_KEY``.
"""

import datetime
import ipaddress
import os
from pathlib import Path

import environ
from django.core.exceptions import ImproperlyConfigured
from django.utils.csp import CSP

BASE_DIR = Path(__file__).resolve().parent.parent

env = environ.Env()
# ENV_FILE= (empty) reads no file at all: the tests run on their own settings.
ENV_FILE = os.environ.get("ENV_FILE", str(BASE_DIR / ".env"))
if ENV_FILE:
    environ.Env.read_env(ENV_FILE, overwrite=False)

DEBUG = env.bool("DEBUG", default=False)

SECRET_KEY = env.str("SECRET_KEY", default="")
if not SECRET_KEY:
    raise ImproperlyConfigured(
        "SECRET_KEY is not set. Put it in the environment or in .env "
        "(`make run` writes a development .env for you)."
    )
if not DEBUG and (
    len(SECRET_KEY) < 50 or len(set(SECRET_KEY)) < 5 or SECRET_KEY.startswith("django-insecure")
):
    raise ImproperlyConfigured(
        "SECRET_KEY is too weak for DEBUG=off: use at least 50 random characters."
    )

ALLOWED_HOSTS = env.list("ALLOWED_HOSTS", default=["127.0.0.1", "localhost"] if DEBUG else [])
# The site's own host (example.org): a request to another of ALLOWED_HOSTS
# (www.example.org, an old domain) is sent there with a 301, so that every page
# has one address for search engines. Empty: every allowed host serves pages.
SITE_HOST = env.str("SITE_HOST", default="")
if SITE_HOST and SITE_HOST not in ALLOWED_HOSTS:
    ALLOWED_HOSTS.append(SITE_HOST)

ADMIN_URL = env.str("ADMIN_URL", default="admin/").strip("/") + "/"

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    "django.contrib.sitemaps",
    "django.contrib.syndication",
    "django.forms",
    "simple_history",
    "axes",
    "publishing",
    "routes",
    "eligibility",
    "opendata",
]

MIDDLEWARE = [
    # First: a kept page is answered with the headers it was kept with (those
    # below add them once, when the page is built), before anything else runs.
    "publishing.pagecache.PublicPageCacheMiddleware",
    "publishing.middleware.RequestInputMiddleware",
    "django.middleware.security.SecurityMiddleware",
    "publishing.middleware.PolicyHeadersMiddleware",
    "publishing.middleware.SiteHostMiddleware",
    "django.middleware.csp.ContentSecurityPolicyMiddleware",
    "publishing.middleware.DatabaseUnavailableMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "simple_history.middleware.HistoryRequestMiddleware",
    "routes.middleware.OldAddressMiddleware",
    "opendata.middleware.ApiErrorsMiddleware",
    "axes.middleware.AxesMiddleware",
]

AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",
    "django.contrib.auth.backends.ModelBackend",
]

ROOT_URLCONF = "immigration_site.urls"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
            ],
        },
    },
]

# Forms are drawn by the site's own template engine, so that templates/ may
# draw a widget more cheaply than Django's own templates (django/forms/widgets/).
FORM_RENDERER = "django.forms.renderers.TemplatesSetting"

WSGI_APPLICATION = "immigration_site.wsgi.application"

DATABASES = {"default": env.db_url("DATABASE_URL", default=f"sqlite:///{BASE_DIR / 'db.sqlite3'}")}
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    # WAL lets readers and a writer work at once; IMMEDIATE avoids
    # "database is locked" when two requests start writing together.
    DATABASES["default"].setdefault("OPTIONS", {}).update(
        {
            "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL;",
            "transaction_mode": "IMMEDIATE",
        }
    )
    # A connection per thread, kept: opening one costs more than most pages.
    DATABASES["default"].setdefault("CONN_MAX_AGE", None)
elif DATABASES["default"]["ENGINE"] == "django.db.backends.postgresql":
    # A database that does not answer fails a request within DATABASE_TIMEOUT
    # seconds (connecting, or waiting for a pooled connection): a plain 503,
    # never a thread held for psycopg's default 30 s.
    timeout = env.float("DATABASE_TIMEOUT", default=2.0)
    options = DATABASES["default"].setdefault("OPTIONS", {})
    options["connect_timeout"] = max(1, round(timeout))  # libpq counts whole seconds
    # No JIT compilation and no parallel workers: both pay off for long
    # analytical queries, and here they only delay a page's query or take the
    # cores the other requests need (a comparison's later page at 10,000 routes
    # spent 1.0 of its 2.1 s compiling; a rare word's search at 16 connections
    # answered 71 req/s with parallel workers, 120 without; bench/README.md).
    options["options"] = "-c jit=off -c max_parallel_workers_per_gather=0"
    if env.bool("DATABASE_POOL", default=False):
        options["pool"] = {"timeout": timeout}
    else:
        # A connection per thread, kept: every page reads the moment content
        # last changed, and taking a connection from psycopg's pool and giving
        # it back for that one query cost a fifth of a cached page (bench/README.md).
        DATABASES["default"].setdefault("CONN_MAX_AGE", None)

CACHES = {
    "default": env.cache_url("CACHE_URL", default="locmemcache://"),
    # This process's own copies of public pages, in front of the shared cache
    # (see publishing.pagecache): a repeat visit makes no round trip to Redis.
    "pages": {
        "BACKEND": "django.core.cache.backends.locmem.LocMemCache",
        "LOCATION": "pages",
        "OPTIONS": {"MAX_ENTRIES": env.int("LOCAL_PAGES", default=300)},
    },
}
if CACHES["default"]["BACKEND"] == "django.core.cache.backends.redis.RedisCache":
    # A cache server that is down or hung slows a page by CACHE_TIMEOUT per
    # call at most (a page makes one or two), never breaks it: no retries.
    timeout = env.float("CACHE_TIMEOUT", default=0.1)
    CACHES["default"].setdefault("OPTIONS", {}).update(
        {"socket_connect_timeout": timeout, "socket_timeout": timeout, "retry": None}
    )

AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]

LANGUAGE_CODE = "en"
TIME_ZONE = "UTC"
USE_I18N = True
USE_TZ = True

STATIC_URL = "static/"
STATIC_ROOT = BASE_DIR / "staticfiles"
STATICFILES_DIRS = [BASE_DIR / "static"]
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {
        "BACKEND": "whitenoise.storage.CompressedManifestStaticFilesStorage"
        if not DEBUG
        else "django.contrib.staticfiles.storage.StaticFilesStorage"
    },
}
WHITENOISE_MAX_AGE = 60 * 60 * 24 * 365 if not DEBUG else 0

DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

# Part of every ETag: a new release never answers 304 for a page it renders differently.
RELEASE = env.str("RELEASE", default="1")

# Public pages: kept in the page cache until content changes (see publishing.pagecache);
# a copy nobody asks for lapses after PAGE_CACHE_SECONDS.
PAGE_CACHE = env.bool("PAGE_CACHE", default=True)
PAGE_CACHE_SECONDS = env.int("PAGE_CACHE_SECONDS", default=60 * 60 * 24)
# How long a public page may be kept without checking back (its
# Cache-Control): by browsers (none by default: they revalidate and get a
# 304), and by shared caches (nginx, a CDN). Longer, and a visitor could read
# a fact that an edit has since changed.
PUBLIC_MAX_AGE = env.int("PUBLIC_MAX_AGE", default=0)
PROXY_CACHE_SECONDS = env.int("PROXY_CACHE_SECONDS", default=1)

# A staging deployment answers "Disallow: /" to every crawler.
ROBOTS_DISALLOW_ALL = env.bool("ROBOTS_DISALLOW_ALL", default=False)

# Routes whose sources were verified longer ago than this are flagged.
REVIEW_AFTER_DAYS = env.int("REVIEW_AFTER_DAYS", default=180)

# How the source checker (manage.py check_sources) names itself to the sites it
# reads: the site, and an address their webmasters can write to.
SOURCE_CHECK_CONTACT = env.str("SOURCE_CHECK_CONTACT", default="")
SOURCE_CHECK_USER_AGENT = env.str(
    "SOURCE_CHECK_USER_AGENT",
    default="ImmigrationRoutesSourceCheck/1.0 (checks that cited pages still say what "
    f"is quoted; +https://{SITE_HOST or 'localhost'}/about/"
    + (f"; {SOURCE_CHECK_CONTACT})" if SOURCE_CHECK_CONTACT else ")"),
)

# How many error reports one client address may send an hour.
ERROR_REPORTS_PER_HOUR = env.int("ERROR_REPORTS_PER_HOUR", default=5)

# --- Security -----------------------------------------------------------------
# HTTPS is the default outside DEBUG; behind a proxy that terminates TLS set
# SECURE_PROXY_SSL_HEADER=on (it trusts X-Forwarded-Proto: https).
HTTPS = env.bool("HTTPS", default=not DEBUG)
SECURE_SSL_REDIRECT = env.bool("SECURE_SSL_REDIRECT", default=HTTPS)
if env.bool("SECURE_PROXY_SSL_HEADER", default=False):
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
SECURE_HSTS_SECONDS = 60 * 60 * 24 * 365 if HTTPS else 0
SECURE_HSTS_INCLUDE_SUBDOMAINS = HTTPS
SECURE_HSTS_PRELOAD = HTTPS
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "strict-origin-when-cross-origin"
SECURE_CROSS_ORIGIN_OPENER_POLICY = "same-origin"
X_FRAME_OPTIONS = "DENY"
# Sent by publishing.middleware.PolicyHeadersMiddleware: the site uses none of
# these features, and its pages, stylesheets and flags are for itself.
PERMISSIONS_POLICY = (
    "accelerometer=(), autoplay=(), camera=(), display-capture=(), geolocation=(), "
    "gyroscope=(), magnetometer=(), microphone=(), payment=(), usb=()"
)
CROSS_ORIGIN_RESOURCE_POLICY = "same-origin"
SESSION_COOKIE_SECURE = CSRF_COOKIE_SECURE = HTTPS
SESSION_COOKIE_HTTPONLY = CSRF_COOKIE_HTTPONLY = True
SESSION_COOKIE_SAMESITE = CSRF_COOKIE_SAMESITE = "Lax"
# "__Host-" cookies are only sent over HTTPS, to this host, for every path.
SESSION_COOKIE_NAME = "__Host-sessionid" if HTTPS else "sessionid"
CSRF_COOKIE_NAME = "__Host-csrftoken" if HTTPS else "csrftoken"
DATA_UPLOAD_MAX_MEMORY_SIZE = 256 * 1024  # no form here needs more
DATA_UPLOAD_MAX_NUMBER_FIELDS = 2000  # the admin's route form with its inlines
FILE_UPLOAD_MAX_MEMORY_SIZE = 256 * 1024

# No inline scripts or styles anywhere: everything comes from our own files.
SECURE_CSP = {
    "default-src": [CSP.NONE],
    "script-src": [CSP.SELF],
    "style-src": [CSP.SELF],
    "img-src": [CSP.SELF, "data:"],
    "font-src": [CSP.SELF],
    "connect-src": [CSP.SELF],
    "form-action": [CSP.SELF],
    "base-uri": [CSP.NONE],
    "object-src": [CSP.NONE],
    "frame-ancestors": [CSP.NONE],
}

# Admin sign-in: five failures from one address for one username lock that
# pair for 15 minutes; nobody can lock an editor out from everywhere.
# The reverse proxies in front of the site (addresses or networks, e.g.
# TRUSTED_PROXIES=127.0.0.1 behind deploy/nginx.conf on the same machine): only
# through them is X-Forwarded-For read for the client's address
# (publishing.clients). Empty: the peer's own address is the client's.
TRUSTED_PROXIES = [
    ipaddress.ip_network(network, strict=False)
    for network in env.list("TRUSTED_PROXIES", default=[])
]
AXES_CLIENT_IP_CALLABLE = "publishing.clients.client_address"
AXES_FAILURE_LIMIT = env.int("AXES_FAILURE_LIMIT", default=5)
AXES_COOLOFF_TIME = datetime.timedelta(minutes=env.int("AXES_COOLOFF_MINUTES", default=15))
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"]]
AXES_RESET_ON_SUCCESS = True
AXES_VERBOSE = False
# Whatever is typed as a username is recorded at most as long as a username can be.
AXES_USERNAME_CALLABLE = "publishing.signin.login_username"

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": env.str("LOG_LEVEL", default="WARNING")},
}
