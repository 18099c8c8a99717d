"""Local development (`make run`): the site as a learner sees it, console e-mail.

DEBUG is off unless DEBUG=1 is set, so a mistyped address shows the site's own 404 page, never
Django's debug page with its settings and URL list. Static files are then served by WhiteNoise
straight from the source folders (finders, re-read on change), as runserver stops doing
without DEBUG; uploaded media by Django's static view. Errors still print to the console.
"""

import os

from .base import *  # noqa: F403
from .base import MIDDLEWARE

DEBUG = os.environ.get("DEBUG", "") == "1"
SECRET_KEY = "django-insecure-dev-only-key-never-use-in-production"  # noqa: S105
ALLOWED_HOSTS = ["127.0.0.1", "localhost", "[::1]"]
EMAIL_BACKEND = "django.core.mail.backends.console.EmailBackend"

MIDDLEWARE = [
    MIDDLEWARE[0],  # SecurityMiddleware first, then WhiteNoise, as WhiteNoise asks
    "whitenoise.middleware.WhiteNoiseMiddleware",
    *MIDDLEWARE[1:],
]
WHITENOISE_USE_FINDERS = True
WHITENOISE_AUTOREFRESH = True
SERVE_MEDIA = True  # read by tpmsite.urls

# Django logs request errors to the console only with DEBUG on: keep them in the terminal.
LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "loggers": {"django": {"handlers": ["console"], "level": "INFO"}},
}
