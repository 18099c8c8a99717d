"""The production stack as real processes, for the tests that need more than one: two gunicorn
app servers on one database and one Redis, with Varnish in front of the first.

Each stack gets its own database (a temporary SQLite file, or a temporary PostgreSQL database
when the suite runs on PostgreSQL) and its own Redis database, loaded with the seed content.
"""

import json
import os
import re
import shutil
import socket
import subprocess
import sys
import tempfile
import urllib.error
import urllib.request
import uuid
from pathlib import Path

import dj_database_url
import pytest

from tests.servers import Processes, child_pids, free_port

ROOT = Path(__file__).resolve().parents[1]
BIN = Path(sys.executable).parent
REDIS_DB = 13  # apart from the suite's own (CI uses 15) and the benchmark's (14)
DEPLOY_VCL = ROOT / "deploy" / "varnish.vcl"
PORT_LINE = re.compile(r'(\.port\s*=\s*")\d+(")')


def gunicorn_command(port, workers):
    """The production app server as deployed, on 127.0.0.1:``port``. Its settings file
    (worker recycling) can be overridden through GUNICORN_CMD_ARGS in the environment."""
    return [
        BIN / "gunicorn",
        *("-c", ROOT / "deploy" / "gunicorn.conf.py"),
        *("--pythonpath", "site", "tpmsite.wsgi"),
        *("--bind", f"127.0.0.1:{port}", "--workers", workers),
        # gunicorn 27's control socket defaults to one path per user (~/.gunicorn), which
        # another gunicorn on this machine (`make serve`) would be using.
        "--no-control-socket",
    ]


def write_vcl(workdir, backend_port):
    """deploy/varnish.vcl pointed at ``backend_port``, written into ``workdir``."""
    text, replaced = PORT_LINE.subn(rf"\g<1>{backend_port}\g<2>", DEPLOY_VCL.read_text())
    if not replaced:
        raise RuntimeError(f'{DEPLOY_VCL}: no `.port = "NNNN";` line to repoint')
    path = Path(workdir) / "varnish.vcl"
    path.write_text(text)
    # varnishd compiles the VCL as its own unprivileged user.
    Path(workdir).chmod(0o755)
    path.chmod(0o644)
    return path


def varnish_command(workdir, port, backend_port, storage="malloc,64m"):
    """varnishd in the foreground on 127.0.0.1:``port`` with no management port, its working
    directory ``workdir``/varnish (for varnishstat -n)."""
    return [
        shutil.which("varnishd") or "/usr/sbin/varnishd",
        *("-F", "-n", Path(workdir) / "varnish", "-a", f"127.0.0.1:{port}", "-T", "none"),
        *("-f", write_vcl(workdir, backend_port), "-s", storage),
    ]


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
        self, workdir, database_url=None, redis_url=None, apps=2, workers=1, varnish=True, env=None
    ):
        """``env``: more variables for every process the stack starts, over the others."""
        self.workdir = Path(workdir)
        self.procs = Processes(self.workdir)
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
            **(env or {}),
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
        done = subprocess.run(
            [BIN / "python", "manage.py", *args],
            cwd=ROOT,
            env=self.env,
            check=False,
            capture_output=True,
            text=True,
            **kwargs,
        )
        if done.returncode:  # say why: a bare CalledProcessError hides the traceback
            raise RuntimeError(f"manage.py {args[0]} failed:\n{done.stderr[-3000:]}")
        return done.stdout

    def shell(self, code):
        """Run Python in a fresh process with the stack's settings; returns what it prints."""
        return self.manage("shell", "--no-imports", "-c", code).strip()

    def start(self):
        self.flush_redis()
        # migrate, load_module and collectstatic in one Django start-up
        self.manage("prepare_site", "--collectstatic", "--no-admin", "-v0")
        self.app_ports = [free_port() for _ in range(self.apps)]
        self.gunicorns = [
            self.spawn(f"gunicorn-{i}", gunicorn_command(port, self.workers))
            for i, port in enumerate(self.app_ports)
        ]
        if self.varnish:
            command = varnish_command(self.workdir, self.varnish_port, self.app_ports[0])
            self.spawn("varnishd", command)
        for name, proc, _ in self.procs.running:
            base = f"http://127.0.0.1:{self.port_of[name]}"
            self.procs.wait_until_up(name, proc, base + "/healthz", timeout=30, ok=None)
        self.token = self.shell(
            "from django.contrib.auth import get_user_model; from wagtail.models import APIToken;"
            "u = get_user_model().objects.create_superuser('stack', 's@example.com', 'x');"
            "print(APIToken.create_token(user=u, name='stack')[1])"
        )
        return self

    def flush_redis(self):
        subprocess.run(["redis-cli", "-u", self.redis_url, "flushdb"], capture_output=True)

    def spawn(self, name, command):
        return self.procs.start(name, command, cwd=ROOT, env=self.env)

    @property
    def port_of(self):
        names = {f"gunicorn-{i}": port for i, port in enumerate(self.app_ports)}
        return {**names, "varnishd": self.varnish_port}

    def worker_pids(self, app=0):
        """The gunicorn workers of one app server (children of its master)."""
        return child_pids(self.gunicorns[app].pid)

    def stop(self):
        self.procs.stop_all()
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
