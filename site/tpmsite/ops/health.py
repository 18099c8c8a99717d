"""The health check load balancers and the deploy scripts ask: ``/healthz``."""

import secrets

from django.core.cache import cache
from django.db import connection
from django.http import JsonResponse


def healthz(request):
    """200 when the database and the cache answer; 503 naming the part that does not."""
    checks = {}
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
            cursor.fetchone()
        checks["database"] = "ok"
    except Exception as exc:  # noqa: BLE001 - any failure means "down", and is reported
        checks["database"] = f"down: {exc.__class__.__name__}"
    try:
        token = secrets.token_hex(8)
        cache.set("healthz", token, 10)
        checks["cache"] = "ok" if cache.get("healthz") == token else "down: value not kept"
    except Exception as exc:  # noqa: BLE001
        checks["cache"] = f"down: {exc.__class__.__name__}"
    healthy = all(value == "ok" for value in checks.values())
    response = JsonResponse({"status": "ok" if healthy else "unavailable", **checks})
    response.status_code = 200 if healthy else 503
    response["Cache-Control"] = "no-store"
    return response
