"""Every /api/ answer is JSON, whatever the path, method or body size.

Unknown paths under /api/ used to fall through to Wagtail's page serving (an HTML 404, or an
HTML CSRF 403 for a POST); v3's 405s were text/html; an oversized body was an HTML 400.
"""

import asyncio
import io
import json
from contextlib import contextmanager
from wsgiref.util import setup_testing_defaults

import pytest
from asgiref.sync import async_to_sync
from django.core.handlers.asgi import ASGIHandler
from django.core.handlers.wsgi import WSGIHandler
from django.core.signals import request_finished, request_started
from django.db import close_old_connections
from wagtail.models import APIToken

pytestmark = pytest.mark.django_db

METHODS = ["GET", "POST", "PUT", "PATCH", "DELETE", "OPTIONS", "HEAD"]


@pytest.fixture
def client(client):
    client.raise_request_exception = False
    return client


@pytest.fixture
def auth(moderator):
    _, token = APIToken.create_token(user=moderator, name="envelope")
    return {"HTTP_AUTHORIZATION": f"Bearer {token}"}


def is_problem(response, status):
    assert response.status_code == status, response.content[:300]
    assert response["Content-Type"].startswith("application/problem+json")
    return response.content == b"" or response.json()["status"] == status


UNKNOWN = ["/api/v3/locales/", "/api/v4/", "/api/nonsense/", "/api/v3/pages/1/nope/", "/api/"]
WRONG_METHOD = [
    ("PUT", "/api/v3/pages/"),
    ("DELETE", "/api/v3/comparison/"),
    ("POST", "/api/v3/module/"),
]


def test_unknown_api_paths_are_a_json_404_for_every_method(client, module):
    for path in UNKNOWN:
        for method in METHODS:
            response = client.generic(method, path, data=b"{}", content_type="application/json")
            assert is_problem(response, 404), (method, path)


def test_a_known_path_with_the_wrong_method_is_a_json_405(client, module):
    for method, path in WRONG_METHOD:
        response = client.generic(method, path)
        assert is_problem(response, 405), (method, path)
        assert "GET" in response["Allow"]
    v2 = client.post("/api/v2/pages/")  # v2 errors are its own JSON ({"detail": ...})
    assert v2.status_code == 405 and v2["Content-Type"].startswith("application/json")


def test_v2_errors_for_a_browser_are_json_too(client, module):
    # DRF renders v2's errors as its HTML browsable API when the client accepts HTML.
    response = client.get("/api/v2/pages/?limit=abc", HTTP_ACCEPT="text/html")
    assert is_problem(response, 400)
    assert response.json()["detail"] == "limit must be a positive integer"


def test_a_missing_trailing_slash_still_redirects(client, module):
    response = client.get("/api/v3/pages?limit=1")
    assert response.status_code == 301
    assert response["Location"] == "/api/v3/pages/?limit=1"
    assert client.post("/api/v3/pages").status_code == 308  # keeps the method and body


def patch_title(client, auth, module, body):
    aspect = module.aspects[0]
    return client.patch(
        f"/api/v3/pages/{aspect.pk}/", data=body, content_type="application/json", **auth
    )


def test_a_body_over_the_limit_is_a_json_413(client, module, auth, settings):
    thirty_mb = json.dumps({"title": "x" * 30_000_000})
    assert is_problem(patch_title(client, auth, module, thirty_mb), 413)
    created = client.post(
        "/api/v3/pages/", data=thirty_mb, content_type="application/json", **auth
    )
    assert is_problem(created, 413)
    limit = settings.DATA_UPLOAD_MAX_MEMORY_SIZE
    just_over = json.dumps({"title": "x" * limit})
    assert is_problem(patch_title(client, auth, module, just_over), 413)
    ordinary = patch_title(client, auth, module, json.dumps({"title": "Retitled"}))
    assert ordinary.status_code == 200, ordinary.content[:300]


@contextmanager
def keeping_the_test_transaction():
    """As Django's test client does: a handler called directly would close the connection
    at the request's start and end, and with it the test's transaction (on PostgreSQL)."""
    for signal in (request_started, request_finished):
        signal.disconnect(close_old_connections)
    try:
        yield
    finally:
        for signal in (request_started, request_finished):
            signal.connect(close_old_connections)


def wsgi(method, path, body, **headers):
    """Call the WSGI application directly, as gunicorn would: the test client always sets a
    correct Content-Length, so it cannot send a chunked or mislabelled body."""
    environ = {"REQUEST_METHOD": method, "PATH_INFO": path, "wsgi.input": io.BytesIO(body)}
    environ.update({"CONTENT_TYPE": "application/json", **headers})
    setup_testing_defaults(environ)  # sets no CONTENT_LENGTH: only the headers given
    answer = {}

    def start_response(status, response_headers, exc_info=None):
        answer["status"] = int(status.split()[0])
        answer["headers"] = dict(response_headers)

    with keeping_the_test_transaction():
        answer["body"] = b"".join(WSGIHandler()(environ, start_response))
    return answer


def test_a_chunked_body_without_content_length_is_a_json_411(module, auth):
    # Django reads no body at all under WSGI without a Content-Length, so the API would act
    # on an empty body; 411 asks the client to say how long it is.
    page = f"/api/v3/pages/{module.aspects[0].pk}/"
    big = b'{"title": "' + b"x" * 30_000_000 + b'"}'
    answer = wsgi("PATCH", page, big, HTTP_TRANSFER_ENCODING="chunked", **auth)
    assert answer["status"] == 411
    assert answer["headers"]["Content-Type"].startswith("application/problem+json")


@pytest.mark.parametrize("length", ["abc", "-1", "1e3", "²"])
def test_a_content_length_that_is_not_a_number_is_a_400(module, auth, length):
    page = f"/api/v3/pages/{module.aspects[0].pk}/"
    answer = wsgi("PATCH", page, b"{}", CONTENT_LENGTH=length, **auth)
    assert answer["status"] == 400
    assert answer["headers"]["Content-Type"].startswith("application/problem+json")
    site = wsgi("POST", "/", b"a=1", CONTENT_LENGTH=length, CONTENT_TYPE="text/plain")
    assert site["status"] == 400


def test_a_body_found_too_big_while_reading_is_a_json_413(module, auth):
    # Under ASGI (HTTP/2 needs neither Content-Length nor chunking) Django learns the size
    # only by reading the body; Ninja re-raises its RequestDataTooBig, Django answered 400.
    headers = [(b"content-type", b"application/json"), (b"host", b"localhost")]
    headers.append((b"authorization", auth["HTTP_AUTHORIZATION"].encode()))
    scope = {"type": "http", "method": "PATCH", "path": f"/api/v3/pages/{module.aspects[0].pk}/"}
    scope.update(headers=headers, query_string=b"", http_version="2", scheme="http")
    body = b'{"title": "' + b"x" * 3_000_000 + b'"}'
    incoming = [{"type": "http.request", "body": body, "more_body": False}]
    sent = []

    async def receive():
        if incoming:
            return incoming.pop(0)
        await asyncio.Event().wait()  # the client stays: Django cancels this when done

    async def send(message):
        sent.append(message)

    with keeping_the_test_transaction():
        async_to_sync(ASGIHandler())(scope, receive, send)
    start = sent[0]
    assert start["status"] == 413, sent[1].get("body", b"")[:300]
    assert dict(start["headers"])[b"Content-Type"] == b"application/problem+json"
