"""The servers `make bench` measures (gunicorn, Varnish in front of it, nginx) and wrk.

Everything listens on 127.0.0.1 and keeps its configuration, logs and working files in the
run's temporary directory; Processes (tests/servers.py) stops whatever was started, however
the run ends.
"""

import socket
import subprocess
import sys
import urllib.request
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

# The test suite's process harness: the same gunicorn and Varnish command lines as the caching
# stack's tests, and one way of starting, waiting for and stopping a server.
from tests.servers import Processes, worker_rss_mb  # noqa: E402, F401 - bench.py imports these
from tests.stack import DEPLOY_VCL, gunicorn_command, varnish_command  # noqa: E402

NGINX_CONF = """daemon off;
worker_processes 2;
pid {tmp}/nginx.pid;
error_log {tmp}/nginx-error.log;
events {{ worker_connections 1024; }}
http {{
    access_log {tmp}/nginx-access.log combined buffer=64k;
    client_body_temp_path {tmp}/nginx-body;
    proxy_temp_path {tmp}/nginx-proxy;
    fastcgi_temp_path {tmp}/nginx-fastcgi;
    uwsgi_temp_path {tmp}/nginx-uwsgi;
    scgi_temp_path {tmp}/nginx-scgi;
    default_type text/html;
    sendfile on;
    keepalive_requests 100000;
    server {{
        listen 127.0.0.1:{port};
        root {tmp}/nginx-root;
        index index.html;
    }}
}}
"""


def ensure_free(*ports):
    """Refuse to start when a port is taken: the readiness check would talk to someone else."""
    for port in ports:
        with socket.socket() as sock:
            # Connections of a previous run linger in TIME_WAIT; only a listener should count.
            sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
            try:
                sock.bind(("127.0.0.1", port))
            except OSError as exc:
                raise RuntimeError(f"127.0.0.1:{port} is in use; set BENCH_PORT") from exc


def fetch(url):
    """(status, body, headers) of a GET without cookies, as wrk sends it."""
    with urllib.request.urlopen(url, timeout=30) as response:  # noqa: S310 - our own 127.0.0.1
        return response.status, response.read(), response.headers


def varnish_verdict(url):
    """Whether Varnish answers a second GET from its cache, and if not, the likely reason."""
    fetch(url)
    _, _, headers = fetch(url)
    # X-Varnish carries two transaction ids on a hit: this request's and the one that stored it.
    if len(headers.get("X-Varnish", "").split()) == 2:
        return "hit"
    reasons = [f"Cache-Control: {headers['Cache-Control']}"] if "Cache-Control" in headers else []
    # The cookie's name says which code set it; its value is noise.
    reasons += [f"sets cookie {c.split('=')[0]}" for c in headers.get_all("Set-Cookie") or []]
    return "not cached" + (f" ({'; '.join(reasons)})" if reasons else "")


def start_gunicorn(procs, env, port, workers):
    proc = procs.start("gunicorn", gunicorn_command(port, workers), cwd=ROOT, env=env)
    procs.wait_until_up("gunicorn", proc, f"http://127.0.0.1:{port}/")
    return proc


def start_varnish(procs, tmp, port, backend_port):
    proc = procs.start("varnishd", varnish_command(tmp, port, backend_port, "malloc,256m"))
    procs.wait_until_up("varnishd", proc, f"http://127.0.0.1:{port}/")
    return proc, tmp / "varnish", DEPLOY_VCL.relative_to(ROOT)


def varnish_backend_requests(workdir):
    """How many requests Varnish passed on to gunicorn (misses and passes), or None."""
    try:
        out = subprocess.run(  # noqa: S603
            ["varnishstat", "-n", str(workdir), "-1", "-f", "MAIN.backend_req"],  # noqa: S607
            capture_output=True,
            text=True,
            timeout=10,
            check=True,
        ).stdout
        return int(out.split()[1])
    except (OSError, subprocess.SubprocessError, IndexError, ValueError):
        return None


def start_nginx(procs, tmp, port, html):
    root = tmp / "nginx-root"
    root.mkdir(mode=0o755)
    (root / "index.html").write_bytes(html)
    conf = tmp / "nginx.conf"
    conf.write_text(NGINX_CONF.format(tmp=tmp, port=port))
    proc = procs.start(
        "nginx",
        ["/usr/sbin/nginx", "-c", str(conf), "-p", str(tmp), "-e", str(tmp / "nginx-error.log")],
    )
    procs.wait_until_up("nginx", proc, f"http://127.0.0.1:{port}/")
    return proc
