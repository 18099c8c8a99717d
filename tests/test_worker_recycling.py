"""Worker recycling (deploy/gunicorn.conf.py): each gunicorn worker is replaced after a few
thousand requests, and a worker replaced under load loses no request. A worker starts without
the editors' own screens, which only the admin needs.

What a client sees at a replacement: gunicorn's sync worker answers every request with
``Connection: close``, so no connection outlives its request and a worker that ends after
its last answer cuts nothing in flight. Were a worker class that keeps connections alive
used, a worker ending could close an idle kept connection; Varnish, in front in production,
then retries the request once on a new connection. The client below does what Varnish does
and nothing more: a failure on a fresh connection, or a second failure, counts as lost.
"""

import http.client
import json
import os
import re
import subprocess
import tempfile
import threading

import pytest

from tests.stack import BIN, ROOT, Stack, gunicorn_command, redis_up

REDIS_URL = "redis://127.0.0.1:6379/12"  # apart from the cache stack's (13) and the soak's (11)
# A worker is replaced after 30 to 60 requests: the load below (204 requests, so at least four
# workers in turn) replaces at least two. Each replacement costs a worker's start-up, seconds.
RECYCLE_OFTEN = "--max-requests 30 --max-requests-jitter 30"
PATHS = ["/", "/comparison/", "/overview/", "/api/v3/comparison/", "/api/v2/pages/"]
CLIENTS = 6  # half keep their connection open, half close it after each request
REQUESTS_EACH = 34
BOOTED = re.compile(r"Booting worker with pid: (\d+)")

SETTINGS = (
    # gunicorn reads its settings as the server would (argv, GUNICORN_CMD_ARGS, the -c file)
    # without starting it.
    "from gunicorn.app.wsgiapp import WSGIApplication; "
    "cfg = WSGIApplication().cfg; "
    "print(cfg.max_requests, cfg.max_requests_jitter, cfg.preload_app)"
)


def python_prints(code, args, env):
    """The words a fresh interpreter running ``code`` with ``args`` prints, from the project."""
    done = subprocess.run(
        [BIN / "python", "-c", code, *args],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        check=True,
    )
    return done.stdout.split()


def recycling_settings(environment_args=None):
    env = {k: v for k, v in os.environ.items() if k != "GUNICORN_CMD_ARGS"}
    if environment_args is not None:
        env["GUNICORN_CMD_ARGS"] = environment_args
    command = [str(arg) for arg in gunicorn_command(8000, 2)[1:]]
    *recycling, preload = python_prints(SETTINGS, command, env)
    return (*map(int, recycling), preload == "True")


def test_the_deployed_server_replaces_its_workers_unless_the_environment_says_not():
    # Workers forked from a master that loaded the application (leaner workers, fast restarts).
    assert recycling_settings() == (5000, 500, True)
    # The soak turns recycling off to see growth; a test turns it up.
    assert recycling_settings("--max-requests 0")[0] == 0
    assert recycling_settings(RECYCLE_OFTEN)[:2] == (30, 30)


EDITOR_ONLY = ["roles.admin_views", "roles.matrix_editing", "roles.lms.views", "roles.lms.export"]
LOADED_AT_START = (
    # What a worker has loaded once Django is set up and the URLs are built (as for a request;
    # _populate is Django 5.2's private builder of the resolver, which a first request runs).
    "import sys, django; django.setup(); from django.urls import get_resolver; "
    "get_resolver()._populate(); print(*[m for m in sys.argv[1:] if m in sys.modules])"
)


def test_a_worker_starts_without_the_editors_matrix_and_lms_export():
    env = {**os.environ, "DJANGO_SETTINGS_MODULE": "tpmsite.settings.test", "PYTHONPATH": "site"}
    assert python_prints(LOADED_AT_START, EDITOR_ONLY, env) == []


@pytest.fixture(scope="module")
def server():
    if not redis_up():
        reason = "needs Redis on 127.0.0.1:6379"
        if os.environ.get("CI") == "true":
            pytest.fail(reason)
        pytest.skip(reason)
    workdir = tempfile.mkdtemp(prefix="tpm-recycle-")
    stack = Stack(workdir, redis_url=REDIS_URL, apps=1, workers=2, varnish=False)
    stack.env["GUNICORN_CMD_ARGS"] = RECYCLE_OFTEN
    try:
        yield stack.start()
    finally:
        stack.stop()


class Client:
    """One client connection: kept open between requests when ``keep_alive`` and the server
    allows it, retried once (as Varnish does) only when a reused connection is closed before
    it answers."""

    def __init__(self, port, keep_alive):
        self.port, self.keep_alive = port, keep_alive
        self.conn = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
        self.retries = 0

    def get(self, path):
        reused = self.conn.sock is not None  # http.client closes it after Connection: close
        try:
            return self._get(path)
        except (http.client.RemoteDisconnected, ConnectionResetError, BrokenPipeError):
            if not reused:
                raise
            self.retries += 1
            self.conn.close()
            return self._get(path)

    def _get(self, path):
        headers = {"Connection": "keep-alive" if self.keep_alive else "close"}
        self.conn.request("GET", path, headers=headers)
        response = self.conn.getresponse()
        return response.status, response.getheader("Content-Type", ""), response.read()


def whole(content_type, body):
    """An answer that arrived entire: a page up to its closing tag, JSON that parses."""
    if content_type.startswith("text/html"):
        return body.rstrip().endswith(b"</html>")
    try:
        json.loads(body)
    except ValueError:
        return False
    return True


def load(port, keep_alive, outcomes, retries):
    client = Client(port, keep_alive)
    for i in range(REQUESTS_EACH):
        path = PATHS[i % len(PATHS)]
        try:
            status, content_type, body = client.get(path)
        except (OSError, http.client.HTTPException) as error:
            outcomes.append((path, repr(error)))
            client = Client(port, keep_alive)
            continue
        outcomes.append((path, status if whole(content_type, body) else "cut short"))
    retries.append(client.retries)


def test_workers_replaced_under_load_lose_no_request(server):
    first_workers = set(server.worker_pids())
    outcomes, retries = [], []
    port = server.app_ports[0]
    clients = [
        threading.Thread(target=load, args=(port, i % 2 == 0, outcomes, retries))
        for i in range(CLIENTS)
    ]
    for client in clients:
        client.start()
    for client in clients:
        client.join(120)

    assert len(outcomes) == CLIENTS * REQUESTS_EACH
    failed = [outcome for outcome in outcomes if outcome[1] != 200]
    assert not failed, f"{len(failed)} of {len(outcomes)} requests failed: {failed[:5]}"
    # Workers were replaced during the load, more than once.
    booted = set(map(int, BOOTED.findall(server.procs.log_tail("gunicorn-0", lines=10_000))))
    assert len(booted - first_workers) >= 2, f"workers booted: {sorted(booted)}"
