"""The guard's other answers (tpmsite.ops.middleware): the request envelope (Content-Length,
chunked bodies, size), HTML errors under /api/ rewritten as problem+json, and the friendly 503
while the database is away. Fast: the middleware alone, a stand-in view behind it."""

import logging
from unittest import mock

import pytest
from django.core.exceptions import RequestDataTooBig
from django.db import DatabaseError, InterfaceError, OperationalError
from django.http import HttpResponse, StreamingHttpResponse
from tpmsite.ops.middleware import DatabaseUnavailableMiddleware, InputGuardMiddleware

from tests.test_input_guard import guard, passes, problem, reached, rf


def post(path, length=None, view=reached, **headers):
    if length is not None:
        headers["CONTENT_LENGTH"] = length
    return guard(path, view=view, method="post", **headers)


def test_a_content_length_must_be_a_number_of_bytes_everywhere():
    for path in ("/api/v3/pages/", "/"):
        assert passes(post(path, "12"))
        for length in ("abc", "-1", "²"):
            response = post(path, length)
            assert response.status_code == 400
            assert "Content-Length must be a number of bytes" in response.content.decode()
    body = problem(post("/api/v3/pages/", "abc"), 400)
    assert body["detail"] == "Content-Length must be a number of bytes"
    assert body["title"] == "Bad Request" and "errors" not in body
    site = post("/", "abc")
    assert site.content.decode() == "Content-Length must be a number of bytes"
    assert site["Content-Type"] == "text/plain; charset=utf-8"


def test_a_chunked_api_body_needs_a_content_length():
    detail = "send the body with a Content-Length (not chunked)"
    for encoding in ("chunked", "gzip, Chunked"):
        response = post("/api/v3/pages/", "", HTTP_TRANSFER_ENCODING=encoding)
        assert problem(response, 411)["detail"] == detail
        assert passes(post("/api/v3/pages/", "12", HTTP_TRANSFER_ENCODING=encoding))
        assert passes(post("/", "", HTTP_TRANSFER_ENCODING=encoding))  # the admin's uploads
    assert passes(post("/api/v3/pages/", "", HTTP_TRANSFER_ENCODING="gzip"))


def test_an_api_body_may_be_as_large_as_the_limit_and_not_one_byte_more(settings):
    limit = settings.DATA_UPLOAD_MAX_MEMORY_SIZE
    assert passes(post("/api/v3/pages/", str(limit)))
    body = problem(post("/api/v3/pages/", str(limit + 1)), 413)
    assert body["detail"] == f"the request body is larger than {limit} bytes"
    assert passes(post("/", str(limit + 1)))  # the admin's uploads: Django's own limits
    settings.DATA_UPLOAD_MAX_MEMORY_SIZE = None  # no limit set: none applied
    assert passes(post("/api/v3/pages/", str(limit + 1)))


def test_a_body_found_too_big_while_reading_is_a_413_and_other_errors_pass_on(settings):
    limit = settings.DATA_UPLOAD_MAX_MEMORY_SIZE
    middleware = InputGuardMiddleware(reached)
    request = rf.post("/api/v3/pages/")
    body = problem(middleware.process_exception(request, RequestDataTooBig()), 413)
    assert body["detail"] == f"the request body is larger than {limit} bytes"
    assert middleware.process_exception(request, ValueError()) is None  # Django's 500


def answered(status, content=b"<h1>oops</h1>", content_type="text/html", **headers):
    def view(request):
        response = HttpResponse(content, status=status, content_type=content_type)
        for name, value in headers.items():
            response[name] = value
        response.set_cookie("kept", "yes")
        return response

    return view


def test_html_errors_under_the_api_become_problem_json_keeping_headers_and_cookies():
    html = answered(404, **{"X-Trace": "t1", "Content-Length": "13"})
    response = guard("/api/v3/pages/", view=html)
    body = problem(response, 404)
    assert body["detail"] == "Not Found"
    assert response["X-Trace"] == "t1" and response.cookies["kept"].value == "yes"
    # The HTML's length does not describe the JSON that replaced it.
    assert response.get("Content-Length", str(len(response.content))) == str(len(response.content))
    allowed = guard("/api/v3/pages/", view=answered(405, Allow="GET, HEAD"), method="put")
    assert problem(allowed, 405)["detail"] == "PUT is not allowed here; allowed: GET, HEAD"
    bare = guard("/api/v3/pages/", view=answered(405), method="put")
    assert problem(bare, 405)["detail"] == "PUT is not allowed here; allowed: "


def test_what_is_not_an_html_error_under_the_api_is_left_as_it_is():
    cases = [
        ("/api/v3/pages/", answered(200)),
        ("/api/v3/pages/", answered(399)),
        ("/api/v3/pages/", answered(400, b"{}", "application/json")),
        ("/api/v3/pages/", answered(409, b"{}", "application/problem+json")),
        ("/overview/", answered(404)),  # the site keeps its own error pages
    ]
    for path, view in cases:
        response = guard(path, view=view)
        assert response["Content-Type"] == view(None)["Content-Type"], path
        assert response.content == view(None).content
    streamed = guard("/api/v3/pages/", view=lambda r: StreamingHttpResponse(iter([b"x"]), 500))
    assert streamed.streaming and b"".join(streamed.streaming_content) == b"x"
    assert problem(guard("/api/v3/pages/", view=answered(400)), 400)["detail"] == "Bad Request"


def test_v2_messages_rendered_as_html_keep_their_words():
    for data, detail in [
        ({"message": "limit must be a positive integer"}, "limit must be a positive integer"),
        ({"detail": "Not found."}, "Not found."),
        ({"message": "", "detail": "Not found."}, "Not found."),
        ({"other": "x"}, "Bad Request"),
        ("not a dict", "Bad Request"),
    ]:

        def view(request, data=data):
            response = HttpResponse(b"<html>", status=400, content_type="text/html")
            response.data = data
            return response

        assert problem(guard("/api/v2/pages/", view=view), 400)["detail"] == detail


def failing(exception):
    def view(request):
        raise exception

    return view


@pytest.mark.django_db
def test_the_database_away_is_a_friendly_503_and_other_errors_stay_500s(caplog):
    middleware = DatabaseUnavailableMiddleware(lambda request: HttpResponse(request.path))
    request = rf.get("/overview/")
    assert middleware(request).content == b"/overview/"  # the view gets the request
    for error in (OperationalError("gone"), InterfaceError("gone")):
        assert middleware.process_exception(request, error) is None  # it still answers
    assert middleware.process_exception(request, ValueError("bug")) is None
    broken = mock.patch("tpmsite.ops.middleware.connection.cursor", side_effect=DatabaseError)
    with broken, caplog.at_level(logging.ERROR, logger="tpmsite.ops.middleware"):
        assert middleware.process_exception(request, ValueError("bug")) is None
        for error in (OperationalError("gone"), InterfaceError("gone")):
            response = middleware.process_exception(request, error).render()
            assert response.status_code == 503
            assert "Back in a moment" in response.content.decode()
            assert response["Retry-After"] == "30"
            assert response["Cache-Control"] == "no-store"
    assert [r.getMessage() for r in caplog.records] == [
        "Database unavailable: gone",
        "Database unavailable: gone",
    ]
