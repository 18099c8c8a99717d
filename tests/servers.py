"""Servers of a test's own, so a test can stop and start them without harming anything else:
a Redis server and a PostgreSQL cluster in a temporary directory."""

import os
import shutil
import socket
import subprocess
import time
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
