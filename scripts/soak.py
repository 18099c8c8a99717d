"""A bounded soak: 64 connections for 5 minutes against gunicorn on PostgreSQL + Redis while
an editor publishes a change every few seconds.

    make soak                       # SOAK_SECONDS=300 SOAK_CONNECTIONS=64 by default

Passes when there are no 5xx answers and no socket errors, worker memory grows by less than
10 %, and every table it reads is whole and from one revision: each publish rewords both
statements of one aspect with the same marker, so a row whose cells carry different markers
would be a mix of two revisions. Uses its own PostgreSQL database and Redis database.
"""

import http.client
import json
import os
import re
import sys
import tempfile
import threading
import time
from collections import Counter
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from tests.servers import rss_mb  # noqa: E402
from tests.stack import Stack, request  # noqa: E402

SECONDS = int(os.environ.get("SOAK_SECONDS", "300"))
CONNECTIONS = int(os.environ.get("SOAK_CONNECTIONS", "64"))
PUBLISH_EVERY = float(os.environ.get("SOAK_PUBLISH_EVERY", "3"))
PATHS = ["/", "/comparison/", "/api/v3/comparison/", "/overview/", "/comparison/infographic/"]
MARKER = re.compile(r"\[soak (\d+)\]")


def markers_in_rows(path, body):
    """The markers found in each row of the table (HTML) or each aspect (API)."""
    if path.startswith("/api/"):
        aspects = json.loads(body)["aspects"]
        return [
            {m for s in a["statements"] for m in MARKER.findall(s["statement"])} for a in aspects
        ]
    rows = re.findall(r"<tr>(.*?)</tr>", body, re.S)
    return [set(MARKER.findall(row)) for row in rows]


class Load:
    def __init__(self, port):
        self.port, self.stop = port, threading.Event()
        self.counts, self.problems, self.lock = Counter(), [], threading.Lock()

    def note(self, kind, detail=None):
        with self.lock:
            self.counts[kind] += 1
            if detail and len(self.problems) < 20:
                self.problems.append(detail)

    def reader(self, n):
        conn = None
        i = n
        while not self.stop.is_set():
            path = PATHS[i % len(PATHS)]
            i += 1
            try:
                conn = conn or http.client.HTTPConnection("127.0.0.1", self.port, timeout=30)
                conn.request("GET", path)
                response = conn.getresponse()
                body = response.read().decode()
                if response.getheader("Connection", "").lower() == "close":
                    conn.close()
                    conn = None
            except OSError as e:
                self.note("socket error", f"{path}: {e!r}")
                conn = None
                continue
            self.check(path, response.status, body)

    def check(self, path, status, body):
        if status >= 500:
            return self.note("5xx", f"{path}: {status}")
        self.note(f"{status}")
        whole = body.rstrip().endswith("</html>") or path.endswith(("infographic/",))
        if path.startswith("/api/"):
            whole = body.rstrip().endswith("}")
        if not whole:
            return self.note("cut short", f"{path}: ends {body[-40:]!r}")
        if path in ("/comparison/", "/api/v3/comparison/"):
            mixed = [m for m in markers_in_rows(path, body) if len(m) > 1]
            if mixed:
                self.note("mixed revisions", f"{path}: row with markers {sorted(mixed[0])}")


def editor(stack, load, published):
    """Publish a rewording of one aspect (both statements, one marker) every few seconds."""
    aspects = request(stack.app_urls[0] + "/api/v3/comparison/").json()["aspects"]
    n = 0
    while not load.stop.wait(PUBLISH_EVERY):
        n += 1
        aspect = aspects[n % len(aspects)]
        detail = stack.api("GET", f"/api/v3/pages/{aspect['id']}/").json()
        rows = [
            {
                "id": r["id"],
                "role_id": r["role"]["id"],
                "statement": MARKER.sub("", r["statement"]).strip() + f" [soak {n}]",
            }
            for r in detail["statements"]
        ]
        saved = stack.api("PATCH", f"/api/v3/pages/{aspect['id']}/", {"statements": rows})
        done = stack.api("POST", f"/api/v3/pages/{aspect['id']}/actions/publish/")
        if saved.status != 200 or done.status != 200:
            load.note("publish failed", f"{saved.status}/{done.status}")
        else:
            published.append(n)


def main():
    workdir = tempfile.mkdtemp(prefix="tpm-soak-")
    # The stack makes a database of its own on this server and drops it afterwards.
    os.environ["DATABASE_URL"] = os.environ.get(
        "SOAK_POSTGRES", "postgres://postgres@127.0.0.1:5432/postgres"
    )
    stack = Stack(workdir, redis_url="redis://127.0.0.1:6379/11", apps=1, workers=2, varnish=False)
    print(f"Starting gunicorn (2 workers) on PostgreSQL + Redis in {workdir} …", flush=True)
    stack.start()
    try:
        load = Load(stack.app_ports[0])
        for path in PATHS:
            request(stack.app_urls[0] + path)
        workers = stack.worker_pids()
        before = {pid: rss_mb(pid) for pid in workers}
        threads = [threading.Thread(target=load.reader, args=(n,)) for n in range(CONNECTIONS)]
        published = []
        threads.append(threading.Thread(target=editor, args=(stack, load, published)))
        started = time.monotonic()
        for t in threads:
            t.start()
        while time.monotonic() - started < SECONDS:
            time.sleep(min(30, SECONDS))
            print(f"[{time.monotonic() - started:5.0f} s] {dict(load.counts)}", flush=True)
        load.stop.set()
        for t in threads:
            t.join(60)
        after = {pid: rss_mb(pid) for pid in stack.worker_pids()}
    finally:
        stack.stop()
    return report(load, published, before, after, time.monotonic() - started)


def report(load, published, before, after, elapsed):
    total = sum(v for k, v in load.counts.items() if k.isdigit())
    growth = {pid: (after[pid] - mb) / mb * 100 for pid, mb in before.items() if pid in after}
    replaced = set(before) - set(after)
    print(
        f"\nSoak: {elapsed:.0f} s, {CONNECTIONS} connections, {total:,} responses "
        f"({total / elapsed:,.0f}/s), {len(published)} publishes"
    )
    print(f"Answers: {dict(load.counts)}")
    for pid, mb in before.items():
        print(f"Worker {pid}: {mb:.1f} MB → {after.get(pid, float('nan')):.1f} MB")
    for problem in load.problems:
        print("  problem:", problem)
    failures = [
        k
        for k in ("5xx", "socket error", "cut short", "mixed revisions", "publish failed")
        if load.counts[k]
    ]
    if replaced:
        failures.append(f"workers replaced: {sorted(replaced)}")
    if any(g >= 10 for g in growth.values()):
        failures.append(f"memory growth {max(growth.values()):.1f} %")
    if not published:
        failures.append("no publish happened")
    print("PASS" if not failures else f"FAIL: {', '.join(failures)}")
    return 1 if failures else 0


if __name__ == "__main__":
    sys.exit(main())
