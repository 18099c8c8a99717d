"""Turn failures into clear answers instead of server errors.

**The database is away** (restarting, failing over): pages not in the page cache answer a
friendly 503 with Retry-After, not a 500 and a stack trace; the next request reconnects
(CONN_HEALTH_CHECKS), so the site recovers without a restart.

**Input that is plainly the client's mistake**, which Wagtail 8.0.1 or our views turn into a
500, gets a 4xx naming the problem before it reaches them (problem+json under /api/):
NUL characters (PostgreSQL refuses them); digit symbols int() cannot read ("²"); whole numbers
beyond signed 64 bits, in parameters (400) or as a path segment (404: no id is that large);
date-times UTC cannot hold; v2 filter values their field cannot hold; a v2 search_operator
other than and/or; a v3 revisions user_id that is no user id; "root" when no Site serves the
host. Each rule below says why.

**The API's request envelope**: a body over DATA_UPLOAD_MAX_MEMORY_SIZE answers 413 before
anything reads it, a chunked one without Content-Length 411 (under WSGI Django reads no body
without one, so the API would act on an empty body), a Content-Length that is not a number 400
(Django's int() on it is a 500). Errors under /api/ that Django or Ninja render as HTML (405,
CSRF, 500) are rewritten as problem+json on the way out.
"""

import logging
import re
from datetime import UTC, datetime

from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.exceptions import FieldDoesNotExist, RequestDataTooBig, ValidationError
from django.db import DatabaseError, InterfaceError, OperationalError, connection
from django.db.models import BooleanField, ForeignObjectRel, IntegerField
from django.http import Http404, HttpResponse
from django.template.response import TemplateResponse
from django.urls import Resolver404, resolve
from django.utils import timezone
from django.utils.dateparse import parse_datetime
from pydantic import TypeAdapter
from wagtail.api.v2.utils import page_models_from_string
from wagtail.api.v2.views import BaseAPIViewSet, PagesAPIViewSet
from wagtail.api.v3.errors import problem_response
from wagtail.fields import StreamField
from wagtail.models import Site

logger = logging.getLogger(__name__)

# SQLite overflows on a larger number, and Django only catches the overflow for some lookups.
INT64_MIN, INT64_MAX = -(2**63), 2**63 - 1
# What int(), pydantic and Django's integer fields read as a whole number: whitespace and a
# sign around digits of any script (int("٣") is 3) with single underscores between them, and
# a zero fraction (pydantic reads "5.0" as 5). Not "²": str.isdigit() says yes, int() says no.
INTEGER = re.compile(r"\s*([+-]?)(\d+(?:_\d+)*)(?:\.0*)?\s*")
MAX_DIGITS = 1000  # int() refuses 4300 (sys.get_int_max_str_digits); no id has a thousand
# Which API parameters are integers? In Wagtail's v2 and v3 source: limit, offset, id (find),
# child_of, descendant_of, ancestor_of, translation_of, v3's revisions user_id, and every
# field filter on an integer column or a relation (an aspect's statements, a career path's
# role and steps). Field filters come from each page type's api_fields, so a hand-kept list
# would fall behind the models. Hence every API parameter is checked: none takes a number
# beyond 64 bits, as no column holds one. Except full-text search: a long number is a fair
# thing to search for, and the search backend never compares it with a column.
FREE_TEXT = {"search", "q"}  # q: the site's search
# The site's own views read no numbers that could overflow; these two were guarded before.
SITE_INTEGERS = {"limit", "offset"}
# The filters that take "root", the Site's root page (v2 filters.py, v3 RootRelativeFilter).
ROOT_RELATIVE = {"child_of", "descendant_of", "translation_of"}
# How Ninja reads a date-time parameter; Django's parse_datetime is how v2 and the field
# filters read one. A value either reads as a date-time UTC cannot hold is refused.
DATE_TIME = TypeAdapter(datetime)
LOOKS_LIKE_A_DATE = re.compile(r"\s*[0-9]{4}-")
REVISIONS = re.compile(r"/api/v3/pages/[^/]+/revisions/")


def out_of_int64(text):
    match = INTEGER.fullmatch(text)
    if match is None:
        return False
    sign, digits = match.groups()
    digits = digits.replace("_", "")
    return len(digits) > MAX_DIGITS or not INT64_MIN <= int(sign + digits) <= INT64_MAX


def digit_symbols(text):
    """Superscripts, circled and other digit symbols: str.isdigit() says yes, int() says no,
    so code that checks one before calling the other crashes (the site's knowledge checks and
    self-assessment did, as did this guard)."""
    return text.isdigit() and not text.isdecimal()


def beyond_utc(text):
    """Year 1 east of Greenwich or 9999 west of it: Django overflows converting it to UTC for
    the query."""
    if not LOOKS_LIKE_A_DATE.match(text):
        return False
    for parse in (parse_datetime, DATE_TIME.validate_python):
        try:
            moment = parse(text)
        except ValueError:  # pydantic's ValidationError is one too
            continue
        try:
            if moment is not None:
                aware = timezone.make_aware(moment) if timezone.is_naive(moment) else moment
                aware.astimezone(UTC)
        except OverflowError:
            return True
    return False


def answer(request, status, detail, name=None, where="query"):
    if request.path.startswith("/api/"):
        return problem_response(
            status=status,
            title="Invalid parameter" if name else None,
            detail=f"{name}: {detail}" if name else detail,
            errors=[{"loc": [where, name], "msg": detail}] if name else None,
        )
    text = f"Invalid parameter {name}: {detail}" if name else detail
    return HttpResponse(text, status=status, content_type="text/plain; charset=utf-8")


def envelope_problem(request):
    length = request.META.get("CONTENT_LENGTH") or ""
    if length and not (length.isascii() and length.isdigit()):
        return answer(request, 400, "Content-Length must be a number of bytes")
    if not request.path.startswith("/api/"):
        return None  # admin uploads are larger; Django's own limits apply there
    if not length and "chunked" in request.headers.get("Transfer-Encoding", "").lower():
        return answer(request, 411, "send the body with a Content-Length (not chunked)")
    limit = settings.DATA_UPLOAD_MAX_MEMORY_SIZE
    if limit is not None and length and int(length) > limit:
        return too_big(request)
    return None


def too_big(request):
    limit = settings.DATA_UPLOAD_MAX_MEMORY_SIZE
    return answer(request, 413, f"the request body is larger than {limit} bytes")


def path_problem(request):
    if "\x00" in request.path:
        return answer(request, 400, "must not contain NUL characters", "path", where="path")
    for segment in request.path.split("/"):
        if out_of_int64(segment):
            if not request.path.startswith("/api/"):
                raise Http404("No id is that large")  # the site's own 404 page
            return answer(request, 404, f"{segment[:40]} is beyond any id (signed 64-bit)")
    return None


def query_problem(request):
    api = request.path.startswith("/api/")
    for name, values in request.GET.lists():
        if "\x00" in name or any("\x00" in value for value in values):
            return answer(
                request, 400, "must not contain NUL characters", name.replace("\x00", "")
            )
        if name not in FREE_TEXT and any(digit_symbols(value) for value in values):
            return answer(request, 400, "is not a number (² and ① are not digits)", name)
        numeric = name not in FREE_TEXT if api else name in SITE_INTEGERS
        if numeric and any(out_of_int64(value) for value in values):
            return answer(request, 400, "is out of range (ids and counts are signed 64-bit)", name)
        if api and any(beyond_utc(value) for value in values):
            return answer(request, 400, "is a date-time beyond what UTC can represent", name)
    return api_query_problem(request) if api else None


def api_query_problem(request):
    query = request.GET
    v2 = request.path.startswith("/api/v2/")
    if v2 and any(value not in ("", "and", "or") for value in query.getlist("search_operator")):
        return answer(request, 400, 'must be "and" or "or"', "search_operator")
    if REVISIONS.fullmatch(request.path) and "user_id" in query:
        user_key = get_user_model()._meta.pk
        for value in query.getlist("user_id"):
            # Wagtail types it int | str (user keys need not be numbers), so any text passes
            # validation and the database layer raises ValueError on it.
            try:
                user_key.to_python(value)
            except ValidationError:
                return answer(request, 400, "must be a user id", "user_id")
    roots = [name for name in ROOT_RELATIVE if "root" in query.getlist(name)]
    if roots and Site.find_for_request(request) is None:
        return answer(request, 400, "no site serves this host, so it has no root", roots[0])
    return v2_filter_problem(request) if v2 else None


def v2_filter_problem(request):
    """v2 converts boolean, integer and forward key filter values, but hands other fields'
    values to the query as they came (a date-time, an aspect's statements, find's id), where
    Django raises ValueError or ValidationError: a 500. Convert them here as v3 does."""
    try:
        match = resolve(request.path_info)
    except Resolver404:
        return None
    viewset = getattr(match.func, "cls", None)
    if not (isinstance(viewset, type) and issubclass(viewset, BaseAPIViewSet)):
        return None
    model = viewset.model
    if issubclass(viewset, PagesAPIViewSet) and "type" in request.GET:
        try:
            types = page_models_from_string(request.GET["type"])
        except (LookupError, ValueError):
            return None  # Wagtail answers 400 itself
        model = types[0] if len(types) == 1 else model
    if match.url_name == "find":
        fields = {"id": model._meta.pk}  # find_object passes it to get() as it came
    elif match.url_name == "listing":
        names = viewset.get_available_fields(model, db_fields_only=True)
        fields = {name: unconverted(model, name) for name in names}
    else:
        return None
    for name, values in request.GET.lists():
        for value in values if fields.get(name) else ():
            try:
                fields[name].get_prep_value(value)
            except (ValueError, TypeError, ValidationError):
                return answer(request, 400, f"{value[:40]!r} is not a valid value", name)
    return None


def unconverted(model, name):
    """The field whose get_prep_value the query applies to a v2 filter's raw value, or None
    where v2 converts the value itself (booleans, integers, forward keys, tags) or where any
    text will do (stream fields compare as text)."""
    try:
        field = model._meta.get_field(name)
    except FieldDoesNotExist:
        return None
    if isinstance(field, ForeignObjectRel):
        return field.related_model._meta.pk  # a reverse relation compares the related key
    converted = (BooleanField, IntegerField, StreamField)
    return None if field.is_relation or isinstance(field, converted) else field


def as_problem(request, response):
    """Errors under /api/ that Django, DRF or Ninja rendered as HTML, as problem+json."""
    content_type = response.get("Content-Type", "")
    if response.status_code < 400 or "json" in content_type or response.streaming:
        return response
    detail = response.reason_phrase
    data = getattr(response, "data", None)  # v2's own message, which DRF rendered as HTML
    if isinstance(data, dict) and (data.get("message") or data.get("detail")):
        detail = str(data.get("message") or data.get("detail"))
    if response.status_code == 405:
        detail = f"{request.method} is not allowed here; allowed: {response.get('Allow', '')}"
    problem = problem_response(status=response.status_code, detail=detail)
    for header, value in response.items():
        if header.lower() not in ("content-type", "content-length"):
            problem[header] = value
    problem.cookies = response.cookies
    return problem


class InputGuardMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        # Envelope first: a refused body is never read.
        problem = envelope_problem(request) or path_problem(request) or query_problem(request)
        response = problem or self.get_response(request)
        return as_problem(request, response) if request.path.startswith("/api/") else response

    def process_exception(self, request, exception):
        # Under ASGI an HTTP/2 body may come without Content-Length: Django finds it too big
        # only while reading it, and would answer an HTML 400.
        if isinstance(exception, RequestDataTooBig):
            return too_big(request)
        return None


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
