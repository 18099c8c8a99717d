"""Caching with real processes: two gunicorn app servers sharing a database and Redis, Varnish
in front of the first. A change published through one app server is what every reader gets
next, from the other app server and through Varnish, at once."""

import time
import uuid
from urllib.parse import urlsplit

import pytest

from tests.stack import request, start_stack

# Everything that shows aspect statements, so everything a statement change must reach.
SHOWS_STATEMENTS = [
    "/",
    "/comparison/",
    "/comparison/infographic/",
    "/api/v3/comparison/",
    "/api/v3/module/",
]


@pytest.fixture(scope="module")
def stack():
    stack = start_stack()
    yield stack
    stack.stop()


def first_aspect(stack):
    aspect = request(stack.app_urls[0] + "/api/v3/comparison/").json()["aspects"][0]
    return stack.api("GET", f"/api/v3/pages/{aspect['id']}/").json()


def publish_new_statement(stack):
    """Reword the first aspect's first statement through app server A; returns the wording."""
    aspect = first_aspect(stack)
    wording = f"Reworded {uuid.uuid4().hex[:8]}"
    rows = [
        {"id": row["id"], "role_id": row["role"]["id"], "statement": row["statement"]}
        for row in aspect["statements"]
    ]
    rows[0]["statement"] = wording
    saved = stack.api("PATCH", f"/api/v3/pages/{aspect['id']}/", {"statements": rows})
    assert saved.status == 200, saved.text
    published = stack.api("POST", f"/api/v3/pages/{aspect['id']}/actions/publish/")
    assert published.status == 200, published.text
    return aspect, wording


def warm(base, paths):
    """Fetch twice, so the second answer comes from the cache."""
    for path in paths:
        request(base + path)
    return [request(base + path) for path in paths]


def wait_until_shown(url, text, limit=1.0):
    """Seconds until a request for ``url`` shows ``text``, counted to when that request was
    sent: after a purge Varnish renders the page afresh, and how long a render takes on a busy
    machine is no measure of how soon the purge arrived. Fails after ``limit`` seconds."""
    start = time.monotonic()
    while True:
        sent = time.monotonic()
        if text in request(url).text:
            return sent - start
        if time.monotonic() - start > limit:
            pytest.fail(f"{url} still lacks {text!r} after {limit} s")
        time.sleep(0.05)


def test_both_app_servers_and_varnish_answer_public_pages_from_their_caches(stack):
    for base in stack.app_urls:
        for response in warm(base, SHOWS_STATEMENTS):
            assert response.status == 200
            assert response.headers["X-Page-Cache"] == "hit"
            assert "s-maxage" in response.headers["Cache-Control"]
    for response in warm(stack.varnish_url, SHOWS_STATEMENTS):
        assert response.headers["X-Cache"] == "HIT"


def test_a_publish_through_one_app_server_is_served_by_the_other_and_varnish_at_once(stack):
    aspect_id = first_aspect(stack)["id"]
    # The aspect's API details too: a purge of an API list drops the details under it.
    paths = [*SHOWS_STATEMENTS, f"/api/v2/pages/{aspect_id}/", f"/api/v3/pages/{aspect_id}/"]
    warm(stack.app_urls[1], paths)
    warm(stack.varnish_url, paths)
    _, wording = publish_new_statement(stack)
    for path in paths:
        # The other app server: immediately, no waiting allowed.
        assert wording in request(stack.app_urls[1] + path).text, path
        # Varnish: the purge is sent during the publish, so within a second at most.
        assert wait_until_shown(stack.varnish_url + path, wording) < 1.0


def test_unpublish_and_republish_reach_every_layer(stack):
    aspect = first_aspect(stack)
    path = urlsplit(aspect["meta"]["html_url"]).path
    warm(stack.app_urls[1], [path])
    warm(stack.varnish_url, [path])
    assert stack.api("POST", f"/api/v3/pages/{aspect['id']}/actions/unpublish/", {}).status == 200
    assert request(stack.app_urls[1] + path).status == 404
    assert request(stack.varnish_url + path).status == 404
    table = request(stack.app_urls[1] + "/api/v3/comparison/").json()
    assert aspect["id"] not in [row["id"] for row in table["aspects"]]
    assert stack.api("POST", f"/api/v3/pages/{aspect['id']}/actions/publish/").status == 200
    assert request(stack.app_urls[1] + path).status == 200
    assert request(stack.varnish_url + path).status == 200


def test_a_revert_is_served_everywhere_at_once(stack):
    aspect, wording = publish_new_statement(stack)
    revisions = stack.api("GET", f"/api/v3/pages/{aspect['id']}/revisions/").json()["items"]
    older = sorted(revisions, key=lambda r: r["id"])[-2]
    warm(stack.app_urls[1], ["/comparison/"])
    warm(stack.varnish_url, ["/comparison/"])
    assert (
        stack.api(
            "POST", f"/api/v3/pages/{aspect['id']}/actions/revert/", {"revision_id": older["id"]}
        ).status
        == 200
    )
    assert stack.api("POST", f"/api/v3/pages/{aspect['id']}/actions/publish/").status == 200
    assert wording not in request(stack.app_urls[1] + "/comparison/").text
    assert wording not in request(stack.varnish_url + "/comparison/").text


def test_a_scheduled_publish_by_the_scheduler_process_reaches_every_layer(stack):
    aspect = first_aspect(stack)
    wording = f"Scheduled {uuid.uuid4().hex[:8]}"
    warm(stack.app_urls[1], ["/comparison/"])
    warm(stack.varnish_url, ["/comparison/"])
    # An editor schedules the change a moment ahead; then the scheduler (another process) runs.
    stack.shell(
        "from datetime import timedelta; from django.utils import timezone;"
        "from roles.models import AspectPage;"
        f"page = AspectPage.objects.get(pk={aspect['id']});"
        "row = page.statements.order_by('sort_order')[0];"
        f"row.statement = {wording!r};"
        "page.statements = [row, *page.statements.order_by('sort_order')[1:]];"
        "page.go_live_at = timezone.now() + timedelta(seconds=1);"
        "page.save_revision().publish()"
    )
    assert wording not in request(stack.varnish_url + "/comparison/").text
    time.sleep(1.2)
    stack.manage("publish_scheduled")
    assert wording in request(stack.app_urls[1] + "/comparison/").text
    assert wait_until_shown(stack.varnish_url + "/comparison/", wording) < 1.0


@pytest.mark.parametrize(
    ("path", "headers"),
    [
        ("/admin/login/", {}),
        ("/", {"Cookie": "sessionid=someone"}),
        ("/api/v3/comparison/", {"Authorization": "Bearer not-a-token"}),
        ("/self-assessment/?q-x=0", {}),
        ("/final-check/?q-x=0", {}),
        ("/healthz", {}),
    ],
)
def test_admin_signed_in_visitors_tokens_and_forms_bypass_both_caches(stack, path, headers):
    for _ in range(2):
        through_varnish = request(stack.varnish_url + path, headers=headers)
        direct = request(stack.app_urls[1] + path, headers=headers)
    assert through_varnish.headers["X-Cache"] == "MISS"
    assert direct.headers.get("X-Page-Cache") is None
