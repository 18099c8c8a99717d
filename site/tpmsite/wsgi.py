"""WSGI entry point; run with site/ on the path: ``gunicorn --pythonpath site tpmsite.wsgi``."""

import os

from django.core.wsgi import get_wsgi_application

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "tpmsite.settings.production")

application = get_wsgi_application()
