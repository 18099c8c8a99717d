"""Settings shared by every environment; dev, test and production adjust them."""

import os
from pathlib import Path

import dj_database_url
from csp.constants import NONE, SELF

from tpmsite.ops.client_ip import parse_networks

# site/tpmsite/settings/base.py -> the repository root is three levels up from settings/.
BASE_DIR = Path(__file__).resolve().parents[3]

INSTALLED_APPS = [
    "roles",
    "tpmsite.ops",
    "wagtail.contrib.redirects",
    "wagtail.contrib.routable_page",
    "wagtail.contrib.sitemaps",
    "django.contrib.sitemaps",
    "wagtail.api.v2",
    "wagtail.api.v3",
    "rest_framework",
    "corsheaders",
    "ninja",  # serves the API docs' Swagger UI from its own static files, not a CDN
    "wagtail.sites",
    "wagtail.users",
    "wagtail.snippets",
    "wagtail.documents",
    "wagtail.images",
    "wagtail.search",
    "wagtail.admin",
    "wagtail",
    "axes",
    "csp",
    "modelcluster",
    "taggit",
    "django_filters",
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    # First after security (and WhiteNoise), so a cached page costs about what a static file
    # does; it keeps the headers set by the middleware below it with the page.
    "tpmsite.ops.cache.PageCacheMiddleware",
    "corsheaders.middleware.CorsMiddleware",
    "csp.middleware.CSPMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "tpmsite.ops.middleware.InputGuardMiddleware",
    "tpmsite.ops.middleware.DatabaseUnavailableMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "wagtail.contrib.redirects.middleware.RedirectMiddleware",
    # Last, as django-axes asks: it turns a locked-out login into the lockout page.
    "axes.middleware.AxesMiddleware",
]

# django-axes first: it refuses logins for a while after repeated failures (admin login brute
# force), then Django's ModelBackend signs people in. AxesBackend rather than the standalone
# one because it can also load a session's user (test clients' force_login picks the first).
AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesBackend",
    "django.contrib.auth.backends.ModelBackend",
]
AXES_FAILURE_LIMIT = 5
AXES_COOLOFF_TIME = 0.25  # hours: locked for 15 minutes, then the count starts again
# The username *from that address*: a stranger elsewhere cannot lock a real editor out.
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"]]
# Behind proxies (Varnish, TLS) every request comes from a proxy's address, so that address
# would be everyone's. TRUSTED_PROXIES lists the proxies' addresses or networks (comma-
# separated); only requests arriving from one of them have their X-Forwarded-For read, from
# the right. Empty by default: the connecting address is the client (tpmsite/ops/client_ip.py).
TRUSTED_PROXIES = [
    p.strip() for p in os.environ.get("TRUSTED_PROXIES", "").split(",") if p.strip()
]
parse_networks(tuple(TRUSTED_PROXIES))  # a typo stops the start-up, not the first sign-in
AXES_CLIENT_IP_CALLABLE = "tpmsite.ops.client_ip.client_ip"
AXES_RESET_ON_SUCCESS = True
AXES_LOCKOUT_TEMPLATE = "locked_out.html"
AXES_VERBOSE = False

# Content-Security-Policy: everything the public site uses is served from here, and no page
# runs inline script. The admin (and the API docs' Swagger UI) set inline scripts and styles of
# their own, so they are left to Wagtail's and django-ninja's defaults.
CONTENT_SECURITY_POLICY = {
    "EXCLUDE_URL_PREFIXES": ["/admin/", "/django-admin/", "/api/v3/docs"],
    "DIRECTIVES": {
        "default-src": [SELF],
        "script-src": [SELF],
        "style-src": [SELF],
        "img-src": [SELF, "data:"],
        "font-src": [SELF],
        "connect-src": [SELF],
        "object-src": [NONE],
        "base-uri": [SELF],
        "form-action": [SELF],
        "frame-ancestors": [SELF],
    },
}
X_FRAME_OPTIONS = "SAMEORIGIN"  # Wagtail's live preview frames the page on the same origin
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"

ROOT_URLCONF = "tpmsite.urls"
WSGI_APPLICATION = "tpmsite.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.debug",
                "django.template.context_processors.request",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
            ],
        },
    },
]


def database(default, **options):
    """The database DATABASE_URL names (``default`` without it), as every settings module
    connects: on PostgreSQL without JIT. Wagtail's specific-page queries (a LEFT JOIN per page
    type) are planned above jit_above_cost while the tables have no statistics, and a small
    site's tables never change enough for autovacuum to analyze them: each such query then
    spent ~1 s compiling (every page took over a second on a freshly loaded database). None of
    our queries gains from JIT."""
    config = dj_database_url.config(default=default, **options)
    if config["ENGINE"] == "django.db.backends.postgresql":
        config.setdefault("OPTIONS", {})["options"] = "-c jit=off"
    return config


# SQLite by default so `make run` needs nothing installed; DATABASE_URL switches to PostgreSQL.
DATABASES = {
    "default": database(
        f"sqlite:///{BASE_DIR / 'db.sqlite3'}",
        conn_max_age=60,
        # A connection left broken by a database restart is replaced on the next request.
        conn_health_checks=True,
    )
}
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]

LANGUAGE_CODE = "en-gb"
TIME_ZONE = "UTC"
USE_I18N = True
USE_TZ = True

STATICFILES_DIRS = [BASE_DIR / "static"]
STATIC_ROOT = BASE_DIR / "static_collected"
STATIC_URL = "/static/"
MEDIA_ROOT = BASE_DIR / "media"
MEDIA_URL = "/media/"

# Complex page forms (a lesson with many blocks) exceed Django's default of 1000 fields.
DATA_UPLOAD_MAX_NUMBER_FIELDS = 10_000
# The largest request body (other than file uploads) Django reads: its default, 2.5 MiB, said
# here because the API answers 413 above it (tpmsite.ops.middleware). The whole module's content is
# about 25 KB, so a page written through the API or the admin has a hundredfold headroom.
DATA_UPLOAD_MAX_MEMORY_SIZE = 2_621_440

WAGTAIL_SITE_NAME = "TPM vs TPM learning module"
WAGTAILADMIN_BASE_URL = os.environ.get("WAGTAILADMIN_BASE_URL", "http://127.0.0.1:8000")
# No calls to the internet: the admin must not fetch release news.
WAGTAIL_ENABLE_UPDATE_CHECK = False
# Nor avatars from Gravatar: they send a hash of each editor's email to a third party
# (issue 16); Wagtail falls back to its own default avatar.
WAGTAIL_GRAVATAR_PROVIDER_URL = None

# What `manage.py run_scheduler` (started by `make run`) runs every minute; production runs the
# same from cron. forget_comment_addresses drops learners' comment addresses after 30 days.
SCHEDULED_COMMANDS = ["publish_scheduled", "forget_comment_addresses"]
# Wagtail's database backend (PostgreSQL full-text search in production), quote-safe on SQLite.
WAGTAILSEARCH_BACKENDS = {"default": {"BACKEND": "tpmsite.ops.search"}}
WAGTAILDOCS_EXTENSIONS = ["csv", "docx", "odt", "pdf", "pptx", "rtf", "txt", "xlsx", "zip"]

# Browser-based frontends may call the API from these origins only (comma-separated list,
# e.g. "https://learn.example.com,https://lms.example.com"); none by default.
CORS_ALLOWED_ORIGINS = [o for o in os.environ.get("CORS_ALLOWED_ORIGINS", "").split(",") if o]
CORS_URLS_REGEX = r"^/api/.*$"

# Whole-page cache (site/tpmsite/ops/cache.py), in seconds; 0 turns it off. It is only correct when
# every process shares the cache, so it is off unless a shared cache is configured
# (production with REDIS_URL).
PAGE_CACHE_SECONDS = int(os.environ.get("PAGE_CACHE_SECONDS", "0"))
# Parts of pages the same for every reader, for renders the page cache does not answer
# (signed-in readers, the first reader after a publish), kept until the next publish and at
# most this long (site/tpmsite/ops/fragments.py); 0 turns it off. Off without a shared cache
# for the same reason as the page cache.
FRAGMENT_CACHE_SECONDS = int(os.environ.get("FRAGMENT_CACHE_SECONDS", "0"))
# django-redis (production and settings/test.py with REDIS_URL): Redis away is a miss, logged.
DJANGO_REDIS_LOG_IGNORED_EXCEPTIONS = True

# An HTTP cache in front (Varnish with deploy/varnish.vcl): publishing purges it, through
# Wagtail's frontend-cache backends called by tpmsite/ops/cache.py. The frontend_cache app itself
# is not installed: its signal handlers would purge each published page a second time,
# before the transaction commits.
if FRONTEND_CACHE_URL := os.environ.get("FRONTEND_CACHE_URL"):
    WAGTAILFRONTENDCACHE = {
        "varnish": {
            "BACKEND": "wagtail.contrib.frontend_cache.backends.HTTPBackend",
            "LOCATION": FRONTEND_CACHE_URL,
        }
    }
