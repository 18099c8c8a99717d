"""Test runs: fast hashing, in-memory e-mail and cache, DEBUG off as in production."""

import os

from .base import *  # noqa: F403

# Tests never touch the development database; DATABASE_URL runs them on PostgreSQL instead.
DATABASES = {"default": database("sqlite://:memory:")}  # noqa: F405
# A file instead of memory, so pytest's --reuse-db keeps the migrated schema between runs
# (make mutation runs pytest once per mutant; building the database was most of that).
if TEST_DATABASE_FILE := os.environ.get("TEST_DATABASE_FILE"):
    DATABASES["default"]["TEST"] = {"NAME": TEST_DATABASE_FILE}

DEBUG = False
SECRET_KEY = "test-only-secret-key"  # noqa: S105
ALLOWED_HOSTS = ["*"]
PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
# REDIS_URL runs the suite against Redis, as CI's second run does. Parallel test workers
# (pytest-xdist) share that Redis: each keeps its keys and invalidation channel apart.
CACHES = {
    "default": {
        "BACKEND": "tpmsite.ops.redis_cache.RedisCache",
        "LOCATION": REDIS,
        "KEY_PREFIX": os.environ.get("PYTEST_XDIST_WORKER", ""),
        "OPTIONS": {"IGNORE_EXCEPTIONS": True},
    }
    if (REDIS := os.environ.get("REDIS_URL"))
    else {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}
}
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.InMemoryStorage"},
    "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
}
