"""Production: everything secret or host-specific comes from the environment.

Required: SECRET_KEY, WAGTAILADMIN_BASE_URL. Usual: ALLOWED_HOSTS, CSRF_TRUSTED_ORIGINS,
DATABASE_URL (PostgreSQL), REDIS_URL, TRUSTED_PROXIES. HTTPS=false relaxes the HTTPS-only
settings for a local trial over plain HTTP (`make serve`); never set it on a public server.
"""

import os
from urllib.parse import urlsplit

from django.core.exceptions import ImproperlyConfigured

from .base import *  # noqa: F403
from .base import MIDDLEWARE

DEBUG = False

SECRET_KEY = os.environ.get("SECRET_KEY", "")
if not SECRET_KEY:
    raise ImproperlyConfigured(
        "SECRET_KEY is not set. Production settings read it from the environment; "
        "generate one with: python -c 'import secrets; print(secrets.token_urlsafe(50))'"
    )


def env_list(name, default=""):
    return [item.strip() for item in os.environ.get(name, default).split(",") if item.strip()]


ALLOWED_HOSTS = env_list("ALLOWED_HOSTS")
CSRF_TRUSTED_ORIGINS = env_list("CSRF_TRUSTED_ORIGINS")

if os.environ.get("REDIS_URL"):
    CACHES = {
        "default": {
            # django-redis (clear() kept to the prefix); an outage is a miss, logged
            # (DJANGO_REDIS_LOG_IGNORED_EXCEPTIONS in base.py), not an error page.
            "BACKEND": "tpmsite.ops.redis_cache.RedisCache",
            "LOCATION": os.environ["REDIS_URL"],
            "KEY_PREFIX": "tpm",
            "OPTIONS": {
                "IGNORE_EXCEPTIONS": True,
                # An unreachable Redis must cost a request little, not hang it.
                "SOCKET_CONNECT_TIMEOUT": 0.5,
                "SOCKET_TIMEOUT": 0.5,
            },
        }
    }
    # Shared by every app server, so whole pages can be cached (site/tpmsite/ops/cache.py).
    PAGE_CACHE_SECONDS = int(os.environ.get("PAGE_CACHE_SECONDS", "3600"))
    FRAGMENT_CACHE_SECONDS = int(os.environ.get("FRAGMENT_CACHE_SECONDS", "86400"))

# Static files: hashed, compressed, served by WhiteNoise from the app server.
MIDDLEWARE = [
    MIDDLEWARE[0],  # SecurityMiddleware first, then WhiteNoise, as WhiteNoise asks
    "whitenoise.middleware.WhiteNoiseMiddleware",
    *MIDDLEWARE[1:],
]
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "whitenoise.storage.CompressedManifestStaticFilesStorage"},
}

HTTPS = os.environ.get("HTTPS", "true").lower() != "false"
SECURE_SSL_REDIRECT = HTTPS
SESSION_COOKIE_SECURE = HTTPS
CSRF_COOKIE_SECURE = HTTPS
SECURE_HSTS_SECONDS = 60 * 60 * 24 * 365 if HTTPS else 0
SECURE_HSTS_INCLUDE_SUBDOMAINS = HTTPS
SECURE_HSTS_PRELOAD = HTTPS

# Password-reset and moderation e-mails link to the admin through this, not through the
# request, so base's http://127.0.0.1:8000 would send every reset link to the reader's own
# machine. Guessing it from ALLOWED_HOSTS would pick the wrong name as often as the right one
# (internal names, wildcards, http or https), so a real server must say. Only a local trial
# over plain HTTP (HTTPS=false: `make serve`, the test stack) keeps the loopback default.
WAGTAILADMIN_BASE_URL = os.environ.get("WAGTAILADMIN_BASE_URL", "").strip().rstrip("/")
if not WAGTAILADMIN_BASE_URL and HTTPS:
    raise ImproperlyConfigured(
        "WAGTAILADMIN_BASE_URL is not set. Production settings need the address editors use "
        "for the admin, e.g. WAGTAILADMIN_BASE_URL=https://learn.example.com: password-reset "
        "and moderation e-mails link there (unset, they would point at http://127.0.0.1:8000). "
        "Only a local trial with HTTPS=false may leave it unset."
    )
WAGTAILADMIN_BASE_URL = WAGTAILADMIN_BASE_URL or "http://127.0.0.1:8000"
_base_url = urlsplit(WAGTAILADMIN_BASE_URL)
if _base_url.scheme not in ("http", "https") or not _base_url.netloc:
    raise ImproperlyConfigured(
        f"WAGTAILADMIN_BASE_URL={WAGTAILADMIN_BASE_URL!r} is not an http(s) address with a "
        "host name, e.g. https://learn.example.com"
    )

if os.environ.get("SECURE_PROXY_SSL_HEADER", "").lower() == "x-forwarded-proto":
    # Behind a TLS-terminating proxy that sets X-Forwarded-Proto.
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
# X_FRAME_OPTIONS is SAMEORIGIN (base): Wagtail's live preview shows the page in a
# same-origin frame, so DENY would break it; SAMEORIGIN still refuses every other site,
# which is what W019 guards against.
SILENCED_SYSTEM_CHECKS = ["security.W019"]

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": "WARNING"},
}
