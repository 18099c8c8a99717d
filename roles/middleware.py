"""Turn two kinds of failure into clear answers instead of server errors.

**The database is away** (restarting, failing over): pages not in the page cache answer a
friendly 503 with Retry-After, not a 500 and a stack trace; the next request reconnects
(CONN_HEALTH_CHECKS), so the site recovers without a restart.

**Input the database layer would turn into a server error.**
Wagtail 8.0.1 answers 500 to two kinds of input that are plainly the client's mistake: a NUL
character in a query parameter (search in the v2 and v3 APIs; PostgreSQL refuses NUL in any
string) and an ``offset`` beyond a signed 64-bit integer on the API list endpoints (SQLite
overflows). This answers 400 naming the parameter before the request reaches Wagtail.
"""

import logging

from django.db import DatabaseError, InterfaceError, OperationalError, connection
from django.http import HttpResponseBadRequest
from django.template.response import TemplateResponse
from wagtail.api.v3.errors import problem_response

logger = logging.getLogger(__name__)

INT64_MAX = 2**63 - 1
BOUNDED_INTEGERS = {"offset", "limit"}


def _problem(request, name, message):
    if request.path.startswith("/api/"):
        return problem_response(
            status=400,
            title="Invalid parameter",
            detail=f"{name}: {message}",
            errors=[{"loc": ["query", name], "msg": message}],
        )
    return HttpResponseBadRequest(
        f"Invalid parameter {name}: {message}", content_type="text/plain"
    )


class InputGuardMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if "\x00" in request.path:
            return _problem(request, "path", "must not contain NUL characters")
        for name, values in request.GET.lists():
            if "\x00" in name or any("\x00" in value for value in values):
                return _problem(
                    request, name.replace("\x00", ""), "must not contain NUL characters"
                )
            if name in BOUNDED_INTEGERS:
                for value in values:
                    if value.strip().lstrip("+-").isdigit() and abs(int(value)) > INT64_MAX:
                        return _problem(request, name, "is out of range")
        return self.get_response(request)


def database_answers():
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
        return True
    except DatabaseError:
        return False


class DatabaseUnavailableMiddleware:
    """Any view or template that finds the database gone answers 503 (see the module doc)."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        return self.get_response(request)

    def process_exception(self, request, exception):
        if not isinstance(exception, OperationalError | InterfaceError):
            return None
        # OperationalError also means a bad query or a missing migration (SQLite says so for
        # both): if the database still answers, it is a real server error, a 500.
        if database_answers():
            return None
        logger.error("Database unavailable: %s", exception)
        response = TemplateResponse(request, "503.html", status=503)
        response["Retry-After"] = "30"
        response["Cache-Control"] = "no-store"
        return response
