"""Servers of a test's own, so a test can stop and start them without harming anything else:
a Redis server and a PostgreSQL cluster in a temporary directory. Also the process harness
that the caching stack (tests/stack.py) and the benchmarks (scripts/) start servers with.
"""

import os
import shutil
import socket
import subprocess
import time
import urllib.error
import urllib.request
from pathlib import Path


def free_port():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


class OwnRedis:
    """A Redis server of the test's own, so it can be stopped without harming anything."""

    def __init__(self):
        self.port = free_port()
        self.url = f"redis://127.0.0.1:{self.port}/0"
        self.process = None

    def start(self):
        self.process = subprocess.Popen(
            [
                "redis-server",
                "--port",
                str(self.port),
                "--bind",
                "127.0.0.1",
                "--save",
                "",
                "--appendonly",
                "no",
            ],
            stdout=subprocess.DEVNULL,
        )
        wait_for_port(self.port)

    def stop(self):
        if self.process:
            self.process.terminate()
            self.process.wait(10)
            self.process = None


class OwnPostgres:
    """A PostgreSQL cluster of the test's own (initdb into a temporary directory), run as the
    postgres user as PostgreSQL requires; stopping it harms no other test or service."""

    def __init__(self, workdir):
        self.bin = Path(sorted(Path("/usr/lib/postgresql").glob("*/bin"))[-1])
        self.data = Path(workdir) / "pgdata"
        self.port = free_port()
        self.url = f"postgres://postgres@127.0.0.1:{self.port}/postgres"
        Path(workdir).chmod(0o755)  # the postgres user must reach its data directory
        self.data.mkdir()
        shutil.chown(self.data, "postgres")
        self.as_postgres(self.bin / "initdb", "-D", self.data, "-U", "postgres", "--auth=trust")

    def as_postgres(self, *command):
        user = [] if os.geteuid() != 0 else ["runuser", "-u", "postgres", "--"]
        result = subprocess.run([*user, *map(str, command)], capture_output=True, text=True)
        if result.returncode:
            raise RuntimeError(f"{command[0]} failed: {result.stderr or result.stdout}")

    def start(self):
        options = f"-p {self.port} -k {self.data} -c listen_addresses=127.0.0.1 -c fsync=off"
        self.as_postgres(
            self.bin / "pg_ctl",
            "-D",
            self.data,
            "-l",
            self.data / "log",
            "-o",
            options,
            "-w",
            "start",
        )

    def stop(self):
        self.as_postgres(self.bin / "pg_ctl", "-D", self.data, "-m", "immediate", "-w", "stop")


def wait_for_port(port, timeout=20):
    deadline = time.monotonic() + timeout
    while True:
        try:
            socket.create_connection(("127.0.0.1", port), timeout=1).close()
            return
        except OSError:
            if time.monotonic() > deadline:
                raise RuntimeError(f"nothing listens on {port} after {timeout} s") from None
            time.sleep(0.1)


class Processes:
    """Every server a stack or a benchmark starts, each logging to ``<name>.log`` in ``workdir``,
    stopped in reverse order of starting (terminate, then kill after ``grace`` seconds)."""

    def __init__(self, workdir, grace=10):
        self.workdir = Path(workdir)
        self.grace = grace
        self.running = []

    def start(self, name, args, **kwargs):
        log = open(self.workdir / f"{name}.log", "wb")  # noqa: SIM115 - closed in stop_all
        args = [str(a) for a in args]
        proc = subprocess.Popen(args, stdout=log, stderr=subprocess.STDOUT, **kwargs)  # noqa: S603
        self.running.append((name, proc, log))
        return proc

    def log_tail(self, name, lines=20):
        path = self.workdir / f"{name}.log"
        return "\n".join(path.read_text(errors="replace").splitlines()[-lines:])

    def stop(self, proc):
        if proc.poll() is None:
            proc.terminate()
            try:
                proc.wait(timeout=self.grace)
            except subprocess.TimeoutExpired:
                proc.kill()
                proc.wait()

    def stop_all(self):
        while self.running:
            _, proc, log = self.running.pop()
            self.stop(proc)
            log.close()

    def wait_until_up(self, name, proc, url, timeout=60, ok=(200,)):
        """Wait until ``url`` answers with a status in ``ok`` (any status when ``ok`` is None);
        fail at once, with the end of its log, if the process exits first."""
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if proc.poll() is not None:
                raise RuntimeError(f"{name} exited ({proc.returncode}):\n{self.log_tail(name)}")
            try:
                with urllib.request.urlopen(url, timeout=5) as response:  # noqa: S310 - loopback
                    if ok is None or response.status in ok:
                        return
            except urllib.error.HTTPError as error:
                if ok is None or error.code in ok:
                    return
            except (urllib.error.URLError, ConnectionError, TimeoutError):
                pass
            time.sleep(0.2)
        raise RuntimeError(f"{name} did not answer {url} within {timeout} s")


def child_pids(pid):
    """The processes started by ``pid`` (a gunicorn master's workers, say)."""
    return [int(child) for child in Path(f"/proc/{pid}/task/{pid}/children").read_text().split()]


def rss_mb(pid):
    """Resident memory of one process, in MB."""
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith("VmRSS:"):
            return int(line.split()[1]) / 1024
    return 0.0


def worker_rss_mb(master_pid):
    """Resident memory of each child of a gunicorn master, in MB."""
    sizes = {}
    for pid in child_pids(master_pid):
        try:
            sizes[pid] = rss_mb(pid)
        except OSError:
            continue  # the worker ended while we looked
    return sizes
