"""The servers `make bench` measures (gunicorn, Varnish in front of it, nginx) and wrk.

Everything listens on 127.0.0.1 and keeps its configuration, logs and working files in the
run's temporary directory; Processes stops whatever was started, however the run ends.
"""

import re
import shutil
import socket
import subprocess
import time
import urllib.error
import urllib.request
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
DEPLOY_VCL = ROOT / "deploy" / "varnish.vcl"
PORT_LINE = re.compile(r'(\.port\s*=\s*")\d+(")')

# Until deploy/varnish.vcl lands: cache cookie-less GETs, honour the backend's Cache-Control
# (Varnish's built-in VCL reads s-maxage/max-age and refuses Set-Cookie responses), and keep
# responses that say nothing about caching for 60 s.
DEV_VCL = """vcl 4.1;

backend default {
    .host = "127.0.0.1";
    .port = "8000";
}

sub vcl_recv {
    if (req.method != "GET" && req.method != "HEAD") {
        return (pass);
    }
    if (req.http.Cookie || req.http.Authorization) {
        return (pass);
    }
    return (hash);
}

sub vcl_backend_response {
    if (!beresp.http.Cache-Control && !beresp.http.Expires) {
        set beresp.ttl = 60s;
    }
}
"""

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


class Processes:
    """Every server the run starts, stopped in reverse order of starting."""

    def __init__(self, tmp):
        self.tmp = tmp
        self.running = []

    def start(self, name, args, **kwargs):
        log = open(self.tmp / f"{name}.log", "w")  # noqa: SIM115 - closed in stop_all
        proc = subprocess.Popen(args, stdout=log, stderr=subprocess.STDOUT, **kwargs)  # noqa: S603
        self.running.append((name, proc, log))
        return proc

    def log_tail(self, name, lines=20):
        path = self.tmp / f"{name}.log"
        return "\n".join(path.read_text(errors="replace").splitlines()[-lines:])

    def stop(self, proc):
        if proc.poll() is None:
            proc.terminate()
            try:
                proc.wait(timeout=15)
            except subprocess.TimeoutExpired:
                proc.kill()
                proc.wait()

    def stop_all(self):
        while self.running:
            name, proc, log = self.running.pop()
            self.stop(proc)
            log.close()

    def wait_until_up(self, name, proc, url, timeout=60):
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if proc.poll() is not None:
                raise RuntimeError(f"{name} exited ({proc.returncode}):\n{self.log_tail(name)}")
            try:
                with urllib.request.urlopen(url, timeout=5) as response:  # noqa: S310
                    if response.status == 200:
                        return
            except (urllib.error.URLError, ConnectionError, TimeoutError):
                pass
            time.sleep(0.3)
        raise RuntimeError(f"{name} did not answer {url} within {timeout}s")


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
    proc = procs.start(
        "gunicorn",
        [
            str(ROOT / ".venv" / "bin" / "gunicorn"),
            "--pythonpath",
            "site",
            "tpmsite.wsgi",
            "--bind",
            f"127.0.0.1:{port}",
            "--workers",
            str(workers),
            # gunicorn 27's control socket defaults to one path per user (~/.gunicorn), which
            # another gunicorn on this machine (`make serve`) would be using.
            "--no-control-socket",
        ],
        cwd=ROOT,
        env=env,
    )
    procs.wait_until_up("gunicorn", proc, f"http://127.0.0.1:{port}/")
    return proc


def write_vcl(tmp, backend_port):
    """The project's VCL when it exists (else the stand-in), pointed at the bench's gunicorn."""
    source = DEPLOY_VCL if DEPLOY_VCL.exists() else None
    text = source.read_text() if source else DEV_VCL
    text, replaced = PORT_LINE.subn(rf"\g<1>{backend_port}\g<2>", text)
    if not replaced:
        raise RuntimeError(f'{source or "the dev VCL"}: no `.port = "NNNN";` line to repoint')
    path = tmp / "varnish.vcl"
    path.write_text(text)
    return path, (source.relative_to(ROOT) if source else "built-in development VCL")


def start_varnish(procs, tmp, port, backend_port):
    vcl, origin = write_vcl(tmp, backend_port)
    workdir = tmp / "varnish"
    proc = procs.start(
        "varnishd",
        [
            shutil.which("varnishd") or "/usr/sbin/varnishd",
            "-F",
            "-n",
            str(workdir),
            "-a",
            f"127.0.0.1:{port}",
            "-T",
            "none",  # no management port: nothing listens but the HTTP one
            "-f",
            str(vcl),
            "-s",
            "malloc,256m",
        ],
    )
    procs.wait_until_up("varnishd", proc, f"http://127.0.0.1:{port}/")
    return proc, workdir, origin


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


def worker_rss_mb(master_pid):
    """Resident memory of each child of the gunicorn master, in MB."""
    sizes = {}
    for status in Path("/proc").glob("[0-9]*/status"):
        try:
            fields = dict(line.split(":", 1) for line in status.read_text().splitlines())
        except (OSError, ValueError):
            continue  # the process ended while we looked
        if fields.get("PPid", "").strip() == str(master_pid) and "VmRSS" in fields:
            sizes[int(status.parent.name)] = int(fields["VmRSS"].split()[0]) / 1024
    return sizes
