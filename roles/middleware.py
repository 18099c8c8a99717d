"""Reject request input that the database layer would turn into a server error.

Wagtail 8.0.1 answers 500 to two kinds of input that are plainly the client's mistake: a NUL
character in a query parameter (search in the v2 and v3 APIs; PostgreSQL refuses NUL in any
string) and an ``offset`` beyond a signed 64-bit integer on the API list endpoints (SQLite
overflows). This answers 400 naming the parameter before the request reaches Wagtail.
"""

from django.http import HttpResponseBadRequest
from wagtail.api.v3.errors import problem_response

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
