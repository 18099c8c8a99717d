"""Faults with real servers: Redis and PostgreSQL stopped and started again under a running
gunicorn, and a worker killed while it writes. The servers are the test's own (a Redis and a
PostgreSQL cluster in a temporary directory), so stopping them harms nothing else."""

import http.client
import os
import shutil
import signal
import tempfile
import threading
import time

import pytest

from tests.servers import OwnPostgres, OwnRedis
from tests.stack import Stack, redis_up, request

PAGES = ["/", "/comparison/", "/api/v3/comparison/"]


@pytest.fixture(scope="module")
def stack():
    if not (redis_up() and shutil.which("redis-server") and os.geteuid() == 0):
        reason = "needs redis-server and root (to run a PostgreSQL cluster as postgres)"
        if os.environ.get("CI") == "true":
            pytest.fail(reason)
        pytest.skip(reason)
    workdir = tempfile.mkdtemp(prefix="tpm-faults-")
    postgres, redis = OwnPostgres(workdir), OwnRedis()
    postgres.start()
    redis.start()
    # One app server with two workers: one can be killed while the other answers.
    stack = Stack(workdir, postgres.url, redis.url, apps=1, workers=2, varnish=False)
    stack.postgres, stack.redis = postgres, redis
    try:
        yield stack.start()
    finally:
        stack.stop()
        redis.stop()
        postgres.stop()


def get(stack, path):
    return request(stack.app_urls[0] + path)


def until(check, limit=15):
    deadline = time.monotonic() + limit
    while not check():
        if time.monotonic() > deadline:
            pytest.fail(f"not so after {limit} s")
        time.sleep(0.2)


def test_without_redis_the_site_serves_from_the_database_then_caches_again(stack):
    stack.redis.stop()
    try:
        for path in PAGES:
            for _ in range(2):
                response = get(stack, path)
                assert response.status == 200, path
                assert response.headers["X-Page-Cache"] == "miss"  # nothing could be kept
        health = get(stack, "/healthz")
        assert health.status == 503 and health.json()["cache"].startswith("down")
        assert health.json()["database"] == "ok"
    finally:
        stack.redis.start()
    # No restart: the next requests find Redis again and keep pages in it.
    until(lambda: get(stack, "/healthz").status == 200)
    for path in PAGES:
        get(stack, path)
        assert get(stack, path).headers["X-Page-Cache"] == "hit"


def test_without_postgresql_cached_pages_are_served_and_others_get_a_friendly_503(stack):
    for path in PAGES:
        get(stack, path), get(stack, path)  # now in the page cache
    stack.postgres.stop()
    try:
        for path in PAGES:
            response = get(stack, path)
            assert response.status == 200 and response.headers["X-Page-Cache"] == "hit", path
        uncached = get(stack, "/roles/")
        assert uncached.status == 503
        assert "Back in a moment" in uncached.text and "Traceback" not in uncached.text
        assert uncached.headers["Retry-After"] == "30"
        health = get(stack, "/healthz")
        assert health.status == 503 and health.json()["database"].startswith("down")
    finally:
        stack.postgres.start()
    until(lambda: get(stack, "/roles/").status == 200)
    assert get(stack, "/healthz").json() == {"status": "ok", "database": "ok", "cache": "ok"}


def test_a_worker_killed_while_publishing_leaves_no_half_written_revision(stack):
    aspect_id = get(stack, "/api/v3/comparison/").json()["aspects"][0]["id"]
    detail = stack.api("GET", f"/api/v3/pages/{aspect_id}/").json()
    rows = [
        {"id": row["id"], "role_id": row["role"]["id"], "statement": row["statement"]}
        for row in detail["statements"]
    ]
    stop = threading.Event()

    def edit_and_publish():
        n = 0
        while not stop.is_set():
            n += 1
            words = [{**row, "statement": f"Edit {n} of {row['statement'][:40]}"} for row in rows]
            try:
                stack.api("PATCH", f"/api/v3/pages/{aspect_id}/", {"statements": words})
                stack.api("POST", f"/api/v3/pages/{aspect_id}/actions/publish/")
            except (OSError, http.client.HTTPException):
                pass  # the worker serving it was killed: that is the point

    editor = threading.Thread(target=edit_and_publish)
    editor.start()
    try:
        for _ in range(3):
            time.sleep(0.7)
            workers = stack.worker_pids()
            for pid in workers:
                os.kill(pid, signal.SIGKILL)
            # gunicorn's master replaces them.
            until(lambda w=set(workers): len(set(stack.worker_pids()) - w) == 2)
    finally:
        stop.set()
        editor.join(30)
    # Every revision is whole and the page's pointers name existing, whole revisions.
    report = stack.shell(
        "from roles.models import AspectPage;"
        f"page = AspectPage.objects.get(pk={aspect_id});"
        "revisions = list(page.revisions.all());"
        "whole = all(len(r.content['statements']) == 2 and all(s['statement'] "
        "for s in r.content['statements']) for r in revisions);"
        "ids = {r.pk for r in revisions};"
        "live = page.live_revision_id in ids and page.latest_revision_id in ids;"
        "edits = {s.statement.split()[1] for s in page.statements.all()};"
        "print(len(revisions), whole, live, len(edits) == 1)"
    )
    count, whole, pointers, same_edit = report.split()
    assert int(count) > 3  # the editor got through several publishes
    assert whole == "True" and pointers == "True"
    assert same_edit == "True", "the live statements come from two different edits"
    assert all(get(stack, path).status == 200 for path in PAGES)
