"""The production stack as real processes, for the tests that need more than one: two gunicorn
app servers on one database and one Redis, with Varnish in front of the first.

Each stack gets its own database (a temporary SQLite file, or a temporary PostgreSQL database
when the suite runs on PostgreSQL) and its own Redis database, loaded with the seed content.
"""

import json
import os
import shutil
import socket
import subprocess
import sys
import tempfile
import time
import urllib.error
import urllib.request
import uuid
from pathlib import Path

import dj_database_url
import pytest

from tests.servers import free_port

ROOT = Path(__file__).resolve().parents[1]
BIN = Path(sys.executable).parent
REDIS_DB = 13  # apart from the suite's own (CI uses 15) and the benchmark's (14)


def redis_up():
    try:
        with socket.create_connection(("127.0.0.1", 6379), timeout=1) as s:
            s.sendall(b"PING\r\n")
            return s.recv(16).startswith(b"+PONG")
    except OSError:
        return False


def require_services():
    """Skip where the services are missing (a laptop), but fail in CI, which installs them."""
    missing = [
        name
        for name, ok in (("redis", redis_up()), ("varnishd", bool(shutil.which("varnishd"))))
        if not ok
    ]
    if missing:
        reason = f"needs {' and '.join(missing)}: Redis on 127.0.0.1:6379, Debian's varnish"
        if os.environ.get("CI") == "true":
            pytest.fail(reason)
        pytest.skip(reason)


def wait_for(url, timeout=30):
    deadline = time.monotonic() + timeout
    while True:
        try:
            urllib.request.urlopen(url, timeout=2)  # noqa: S310 - loopback test URL
            return
        except urllib.error.HTTPError:
            return  # it answers
        except OSError:
            if time.monotonic() > deadline:
                raise RuntimeError(f"{url} did not come up in {timeout} s") from None
            time.sleep(0.2)


class Response:
    def __init__(self, status, headers, body):
        self.status, self.headers, self.body = status, headers, body

    @property
    def text(self):
        return self.body.decode()

    def json(self):
        return json.loads(self.body)


def request(url, method="GET", data=None, headers=None):
    body = json.dumps(data).encode() if data is not None else None
    headers = {**({"Content-Type": "application/json"} if body else {}), **(headers or {})}
    req = urllib.request.Request(url, data=body, method=method, headers=headers)  # noqa: S310
    try:
        with urllib.request.urlopen(req, timeout=30) as r:  # noqa: S310 - loopback test URL
            return Response(r.status, r.headers, r.read())
    except urllib.error.HTTPError as e:
        return Response(e.code, e.headers, e.read())


class Stack:
    def __init__(
        self, workdir, database_url=None, redis_url=None, apps=2, workers=1, varnish=True
    ):
        self.workdir = Path(workdir)
        self.processes = []
        self.apps, self.workers, self.varnish = apps, workers, varnish
        self.varnish_port = free_port()
        if database_url:
            self.database_url, self.drop_database = database_url, lambda: None
        else:
            self.database_url, self.drop_database = self.make_database()
        self.redis_url = redis_url or f"redis://127.0.0.1:6379/{REDIS_DB}"
        self.env = {
            **os.environ,
            "DJANGO_SETTINGS_MODULE": "tpmsite.settings.production",
            "SECRET_KEY": "stack-test-secret-key",
            "ALLOWED_HOSTS": "127.0.0.1,localhost",
            "HTTPS": "false",
            "DATABASE_URL": self.database_url,
            "REDIS_URL": self.redis_url,
            "FRONTEND_CACHE_URL": f"http://127.0.0.1:{self.varnish_port}",
        }

    def make_database(self):
        """A database of the stack's own: the suite's test database is not visible to other
        processes (in-memory SQLite, or uncommitted transactions on PostgreSQL)."""
        url = os.environ.get("DATABASE_URL", "")
        if not url.startswith("postgres"):
            return f"sqlite:///{self.workdir / 'stack.sqlite3'}", lambda: None
        import psycopg

        config = dj_database_url.parse(url)
        name = f"tpm_stack_{uuid.uuid4().hex[:8]}"
        admin = {
            k: v
            for k, v in (
                ("host", config["HOST"]),
                ("port", config["PORT"]),
                ("user", config["USER"]),
                ("password", config["PASSWORD"]),
            )
            if v
        }

        def run(sql):
            with psycopg.connect(dbname="postgres", autocommit=True, **admin) as conn:
                conn.execute(sql)

        run(f'CREATE DATABASE "{name}"')
        return url.rsplit("/", 1)[0] + f"/{name}", lambda: run(
            f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'
        )

    def manage(self, *args, **kwargs):
        return subprocess.run(
            [BIN / "python", "manage.py", *args],
            cwd=ROOT,
            env=self.env,
            check=True,
            capture_output=True,
            text=True,
            **kwargs,
        ).stdout

    def shell(self, code):
        """Run Python in a fresh process with the stack's settings; returns what it prints."""
        return self.manage("shell", "--no-imports", "-c", code).strip()

    def start(self):
        self.flush_redis()
        self.manage("migrate", "--noinput")
        self.manage("load_module")
        self.manage("collectstatic", "--noinput", "-v0")
        self.app_ports = [free_port() for _ in range(self.apps)]
        self.gunicorns = [self.spawn(*self.gunicorn(port)) for port in self.app_ports]
        if self.varnish:
            self.start_varnish()
        for base in self.app_urls + ([self.varnish_url] if self.varnish else []):
            wait_for(base + "/healthz")
        self.token = self.shell(
            "from django.contrib.auth import get_user_model; from wagtail.models import APIToken;"
            "u = get_user_model().objects.create_superuser('stack', 's@example.com', 'x');"
            "print(APIToken.create_token(user=u, name='stack')[1])"
        )
        return self

    def gunicorn(self, port):
        address = f"127.0.0.1:{port}"
        options = ["--bind", address, "--workers", self.workers, "--no-control-socket"]
        return BIN / "gunicorn", "--pythonpath", "site", "tpmsite.wsgi", *options

    def start_varnish(self):
        vcl = self.workdir / "varnish.vcl"
        source = (ROOT / "deploy" / "varnish.vcl").read_text()
        vcl.write_text(source.replace('.port = "8000";', f'.port = "{self.app_ports[0]}";'))
        # varnishd compiles the VCL as its own unprivileged user.
        self.workdir.chmod(0o755)
        vcl.chmod(0o644)
        address = f"127.0.0.1:{self.varnish_port}"
        workdir = self.workdir / "varnish"
        self.spawn("varnishd", "-F", "-n", workdir, "-a", address, "-f", vcl, "-s", "malloc,64m")

    def flush_redis(self):
        subprocess.run(["redis-cli", "-u", self.redis_url, "flushdb"], capture_output=True)

    def spawn(self, *command):
        log = open(self.workdir / f"{len(self.processes)}.log", "wb")  # noqa: SIM115 - kept open for the process
        command = [str(c) for c in command]
        process = subprocess.Popen(command, cwd=ROOT, env=self.env, stdout=log, stderr=log)
        self.processes.append(process)
        return process

    def worker_pids(self, app=0):
        """The gunicorn workers of one app server (children of its master)."""
        master = self.gunicorns[app].pid
        return [
            int(pid) for pid in Path(f"/proc/{master}/task/{master}/children").read_text().split()
        ]

    def stop(self):
        for process in self.processes:
            process.terminate()
        for process in self.processes:
            try:
                process.wait(10)
            except subprocess.TimeoutExpired:
                process.kill()
        self.flush_redis()
        self.drop_database()

    @property
    def app_urls(self):
        return [f"http://127.0.0.1:{port}" for port in self.app_ports]

    @property
    def varnish_url(self):
        return f"http://127.0.0.1:{self.varnish_port}"

    def api(self, method, path, data=None):
        """Call the v3 API on the first app server as a superuser with a token."""
        return request(
            self.app_urls[0] + path, method, data, {"Authorization": f"Bearer {self.token}"}
        )


def start_stack():
    require_services()
    workdir = tempfile.mkdtemp(prefix="tpm-stack-")
    stack = Stack(workdir)
    try:
        return stack.start()
    except BaseException:
        stack.stop()
        raise
