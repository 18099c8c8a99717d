"""The page cache's rules, each on its own and fast: which requests and answers are shared,
what a stored page keeps, and which changes drop it from both caches (site/tpmsite/ops/cache.py).

Small trees and a stand-in view, so each check costs little; test_cache.py has the same
rules on a whole module."""

import time

import pytest
from django.core.cache import caches
from django.http import HttpResponse, JsonResponse, StreamingHttpResponse
from django.test import override_settings
from tpmsite.ops.cache import entry_key as key_of
from tpmsite.ops.cache import (
    is_public_request,
    is_shareable_response,
)

from tests.page_cache import PURGED, View, page_cache, rf, serve, small_tree  # noqa: F401

pytestmark = pytest.mark.django_db


@pytest.fixture
def module_tree(db):
    return small_tree()


# Which requests are the same for every visitor ---------------------------------------------


@pytest.mark.parametrize(
    "request_",
    [
        rf.get("/lesson/"),
        rf.head("/lesson/"),
        rf.get("/api/v3/comparison/?as_of=2025-01-01"),  # query strings are the API's contract
    ],
    ids=["get", "head", "api-query"],
)
def test_anonymous_reads_of_public_paths_are_shared(request_):
    assert is_public_request(request_)


@pytest.mark.parametrize(
    "request_",
    [
        rf.post("/lesson/"),
        rf.get("/lesson/", HTTP_AUTHORIZATION="Bearer token"),
        rf.get("/lesson/", HTTP_ORIGIN="https://elsewhere.example"),
        rf.get("/lesson/", HTTP_COOKIE="sessionid=someone"),
        rf.get("/lesson/", HTTP_COOKIE="messages=saved"),
        rf.get("/lesson/?q=roadmap"),
        rf.get("/admin/pages/"),
        rf.get("/django-admin/"),
        rf.get("/api/v3/preview/abc/"),
        rf.get("/documents/1/ladder.pdf"),
        rf.get("/healthz"),
        rf.get("/_util/login/"),
    ],
    ids=[
        "post",
        "authorization",
        "cross-origin",
        "signed-in",
        "messages",
        "page-query",
        "admin",
        "django-admin",
        "preview",
        "documents",
        "health",
        "password-form",
    ],
)
def test_per_visitor_requests_and_private_paths_are_not_shared(request_):
    assert not is_public_request(request_)


# Which answers may be kept -----------------------------------------------------------------


def test_a_plain_page_and_a_json_api_answer_may_be_kept():
    assert is_shareable_response(rf.get("/lesson/"), HttpResponse(b"page"))
    assert is_shareable_response(rf.get("/api/v3/module/"), JsonResponse({"a": 1}))


@pytest.mark.parametrize(
    "path, response",
    [
        ("/missing/", HttpResponse(b"gone", status=404)),
        ("/lesson/", StreamingHttpResponse(iter([b"a"]))),
        ("/api/v3/module/", HttpResponse(b"<html>browsable</html>")),
        *[
            ("/lesson/", HttpResponse(b"page", headers={"Cache-Control": word}))
            for word in ("private", "no-cache", "no-store, max-age=0")
        ],
    ],
    ids=["error", "streaming", "api-html", "private", "no-cache", "no-store"],
)
def test_errors_streams_api_html_and_private_answers_are_not_kept(path, response):
    assert not is_shareable_response(rf.get(path), response)


def test_an_api_answer_without_a_content_type_is_not_kept():
    response = JsonResponse({"a": 1})
    assert is_shareable_response(rf.get("/api/v3/module/"), response)
    del response["Content-Type"]
    assert not is_shareable_response(rf.get("/api/v3/module/"), response)


def test_an_answer_setting_a_cookie_is_not_kept():
    response = HttpResponse(b"page")
    assert is_shareable_response(rf.get("/lesson/"), response)
    response.set_cookie("csrftoken", "x")
    assert not is_shareable_response(rf.get("/lesson/"), response)


def test_html_and_json_of_one_url_are_kept_apart_and_urls_each_their_own():
    html = key_of(rf.get("/api/v3/module/", HTTP_ACCEPT="text/html,*/*"))
    assert html == key_of(rf.get("/api/v3/module/", HTTP_ACCEPT="text/html,*/*"))
    assert html != key_of(rf.get("/api/v3/module/", HTTP_ACCEPT="application/json"))
    assert key_of(rf.get("/a/")) != key_of(rf.get("/b/"))


# What the middleware serves and keeps ------------------------------------------------------


def test_a_page_is_rendered_once_then_served_with_its_headers():
    view = View()
    first = serve(view)
    assert first["X-Page-Cache"] == "miss" and view.calls == 1
    control = first["Cache-Control"].replace(" ", "").split(",")
    assert sorted(control) == ["max-age=0", "public", "s-maxage=600"]
    second = serve(view)
    assert second["X-Page-Cache"] == "hit" and view.calls == 1
    assert second.content == b"rendered" and second["X-Kept"] == "yes"
    assert second["Content-Type"] == first["Content-Type"]


def test_a_json_answer_is_served_again_as_json():
    view = View(lambda: JsonResponse({"roles": 2}))
    serve(view, "/api/v3/module/")
    hit = serve(view, "/api/v3/module/")
    assert hit["X-Page-Cache"] == "hit" and hit["Content-Type"] == "application/json"


def test_each_url_is_kept_apart():
    view = View(lambda: HttpResponse(view.paths[-1].encode()))
    assert serve(view, "/a/").content == b"/a/"
    other = serve(view, "/b/")
    assert other["X-Page-Cache"] == "miss" and other.content == b"/b/"
    assert serve(view, "/a/").content == b"/a/" and view.calls == 2


def test_a_kept_page_expires_after_the_configured_time(settings):
    settings.PAGE_CACHE_SECONDS = 1
    view = View()
    serve(view)
    assert serve(view)["X-Page-Cache"] == "hit"
    time.sleep(1.1)
    assert serve(view)["X-Page-Cache"] == "miss" and view.calls == 2


def test_per_response_headers_are_not_replayed_on_a_hit():
    per_response = {"Date": "Mon, 01 Jan 2024", "Expires": "0", "Set-Cookie": "a=b"}
    view = View(lambda: HttpResponse(b"page", headers={**per_response, "X-Kept": "yes"}))
    first = serve(view)
    assert all(first[name] == value for name, value in per_response.items())
    hit = serve(view)
    assert hit["X-Page-Cache"] == "hit" and hit["X-Kept"] == "yes"
    assert not any(name in hit for name in per_response)


def test_what_is_not_shareable_is_rendered_every_time_and_unmarked():
    view = View(lambda: HttpResponse(b"nope", status=404))
    for _ in range(2):
        assert "X-Page-Cache" not in serve(view)
    assert view.calls == 2


def test_a_per_visitor_request_is_neither_served_from_nor_kept_in_the_cache():
    view = View()
    serve(view)  # a shared copy exists
    for _ in range(2):
        assert "X-Page-Cache" not in serve(view, HTTP_COOKIE="sessionid=someone")
        assert "X-Page-Cache" not in serve(view, method="post")
    assert view.calls == 5
    assert serve(view)["X-Page-Cache"] == "hit"  # the shared copy is still there


def test_nothing_is_cached_when_the_page_cache_is_off(settings):
    settings.PAGE_CACHE_SECONDS = 0
    view = View()
    for _ in range(2):
        assert "X-Page-Cache" not in serve(view)
    assert view.calls == 2


def test_a_bad_host_is_answered_by_django_not_the_cache(client):
    response = client.get("/", HTTP_HOST="not a host name")
    assert response.status_code == 400 and "X-Page-Cache" not in response


# With Redis, as production has it ------------------------------------------------------------


@pytest.fixture
def redis_cache():
    """The shared cache as production has it: Redis, through django-redis."""
    location = "redis://127.0.0.1:6379/11"
    params = {
        "BACKEND": "tpmsite.ops.redis_cache.RedisCache",
        "LOCATION": location,
        "OPTIONS": {"IGNORE_EXCEPTIONS": True},
    }
    with override_settings(CACHES={"default": {**params, "KEY_PREFIX": "cache-rules"}}):
        shared = caches["default"]
        shared.clear()
        shared.set("probe", 1)
        assert shared.get("probe") == 1, "needs Redis on 127.0.0.1:6379"
        yield shared
        shared.clear()


def test_a_page_is_served_from_redis_and_only_from_there(redis_cache):
    view = View()
    assert serve(view)["X-Page-Cache"] == "miss"
    hit = serve(view)
    assert hit["X-Page-Cache"] == "hit" and hit.content == b"rendered" and view.calls == 1
    assert hit["X-Kept"] == "yes"
    redis_cache.delete(key_of(rf.get("/lesson/")))  # no copy is left anywhere else
    assert serve(view)["X-Page-Cache"] == "miss" and view.calls == 2


def test_a_change_makes_the_pages_in_redis_stale(redis_cache, module_tree):
    view = View()
    serve(view), serve(view)
    module_tree.lesson.save_revision().publish()
    assert serve(view)["X-Page-Cache"] == "miss" and view.calls == 2


def test_after_a_clear_the_next_render_is_kept(redis_cache):
    """A page rendered just after a clear is cached under the new generation, so the next
    request is a hit (with a per-worker copy this once made a test flaky under load)."""
    view = View()
    serve(view), serve(view)
    redis_cache.clear()
    assert serve(view)["X-Page-Cache"] == "miss"
    assert serve(view)["X-Page-Cache"] == "hit" and view.calls == 2


def test_the_site_keeps_serving_when_redis_is_away():
    away = {
        "BACKEND": "tpmsite.ops.redis_cache.RedisCache",
        "OPTIONS": {"IGNORE_EXCEPTIONS": True},
        "LOCATION": "redis://127.0.0.1:1/0",
    }
    with override_settings(CACHES={"default": away}):
        view = View()
        for _ in range(2):
            response = serve(view)
            assert response["X-Page-Cache"] == "miss" and response.content == b"rendered"
        assert view.paths == ["/lesson/", "/lesson/"]  # rendered each time: nothing is kept
        missing = View(lambda: HttpResponse(b"gone", status=404))
        assert "X-Page-Cache" not in serve(missing)
