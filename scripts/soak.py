"""A bounded soak: 64 connections for 5 minutes against gunicorn on PostgreSQL + Redis while
an editor publishes a change every few seconds.

    make soak                       # SOAK_SECONDS=300 SOAK_CONNECTIONS=64 by default
    SOAK_SECONDS=1800 make soak     # the 30-minute run that tells a plateau from a leak

Passes when there are no 5xx answers and no socket errors, every table it reads is whole and
from one revision (each publish rewords both statements of one aspect with the same marker,
so a row whose cells carry different markers would be a mix of two revisions), no worker was
replaced, and each worker's memory has stopped growing: its RSS, sampled every
SOAK_SAMPLE_EVERY seconds (30), rises by less than SOAK_LATE_LIMIT % (1.0) over the last third
of the run (scripts/soak_memory.py says how). The first third's growth (warm-up) and start to
end are printed but do not decide. The samples are also written as JSON to SOAK_REPORT
(default soak-report.json in the soak's working directory).

Workers are measured as they are: GUNICORN_CMD_ARGS="--max-requests 0" overrides any
recycling in the gunicorn config. SOAK_TRACEMALLOC=1 sets TPM_TRACEMALLOC_DIR for the workers
(tpmsite.ops.memwatch, started by the config's post_fork hook) and at the end prints, per
worker, the 15 allocation sites that grew most from the snapshot nearest minute 2 (the first
after warm-up in a shorter run) to the last; `python scripts/soak_memory.py diff DIR` reads
them again. Such a run's memory is not judged: tracemalloc's own tables add to RSS, and it
slows the workers many times over. Uses its own PostgreSQL database and Redis database.
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

from soak_memory import diff_lines, judge_all, sample_table, verdict_lines, write_report  # noqa: E402

from tests.servers import rss_mb  # noqa: E402
from tests.stack import Stack, request  # noqa: E402

SECONDS = int(os.environ.get("SOAK_SECONDS", "300"))
CONNECTIONS = int(os.environ.get("SOAK_CONNECTIONS", "64"))
PUBLISH_EVERY = float(os.environ.get("SOAK_PUBLISH_EVERY", "3"))
SAMPLE_EVERY = float(os.environ.get("SOAK_SAMPLE_EVERY", "30"))
LATE_LIMIT = float(os.environ.get("SOAK_LATE_LIMIT", "1.0"))
TRACEMALLOC = os.environ.get("SOAK_TRACEMALLOC") == "1"
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


def sample(stack, workers, samples, elapsed):
    """Each worker's RSS now; returns the workers that have gone (replaced or died)."""
    gone = set(workers) - set(stack.worker_pids())
    for pid in set(workers) - gone:
        try:
            samples[pid].append((elapsed, rss_mb(pid)))
        except OSError:  # ended between the two looks
            gone.add(pid)
    return gone


def stack_env(workdir):
    # The production gunicorn config may recycle workers (--max-requests with jitter), which
    # would hide a leak and replace the workers being measured. GUNICORN_CMD_ARGS overrides a
    # config file; anything the caller put there is kept, and the last --max-requests wins.
    extra = os.environ.get("GUNICORN_CMD_ARGS", "")
    env = {"GUNICORN_CMD_ARGS": f"{extra} --max-requests 0".strip()}
    if TRACEMALLOC:
        env["TPM_TRACEMALLOC_DIR"] = str(Path(workdir) / "tracemalloc")
    return env


def main():
    workdir = tempfile.mkdtemp(prefix="tpm-soak-")
    # The stack makes a database of its own on this server and drops it afterwards.
    os.environ["DATABASE_URL"] = os.environ.get(
        "SOAK_POSTGRES", "postgres://postgres@127.0.0.1:5432/postgres"
    )
    env = stack_env(workdir)
    stack = Stack(
        workdir, redis_url="redis://127.0.0.1:6379/11", apps=1, workers=2, varnish=False, env=env
    )
    print(f"Starting gunicorn (2 workers, {env}) on PostgreSQL + Redis in {workdir} …", flush=True)
    try:
        stack.start()  # inside: a stack that fails to start still drops its database
        load = Load(stack.app_ports[0])
        for path in PATHS:
            request(stack.app_urls[0] + path)
        workers = stack.worker_pids()
        samples = {pid: [] for pid in workers}
        threads = [threading.Thread(target=load.reader, args=(n,)) for n in range(CONNECTIONS)]
        published = []
        threads.append(threading.Thread(target=editor, args=(stack, load, published)))
        started = time.monotonic()
        replaced = sample(stack, workers, samples, 0.0)
        for t in threads:
            t.start()
        due = 0.0
        while not replaced and due < SECONDS:  # a replaced worker fails the soak: stop there
            due = min(due + SAMPLE_EVERY, SECONDS)
            time.sleep(max(0.0, started + due - time.monotonic()))
            elapsed = time.monotonic() - started
            replaced = sample(stack, workers, samples, elapsed)
            rss = " / ".join(f"{points[-1][1]:.1f}" for points in samples.values())
            print(f"[{elapsed:5.0f} s] RSS {rss} MB {dict(load.counts)}", flush=True)
        load.stop.set()
        for t in threads:
            t.join(60)
        replaced |= set(workers) - set(stack.worker_pids())
    finally:
        stack.stop()
    return report(load, published, samples, replaced, time.monotonic() - started, workdir)


def report(load, published, samples, replaced, elapsed, workdir):
    total = sum(v for k, v in load.counts.items() if k.isdigit())
    judged = {pid: points for pid, points in samples.items() if len(points) >= 2}
    verdicts = judge_all(judged, LATE_LIMIT)
    print(
        f"\nSoak: {elapsed:.0f} s, {CONNECTIONS} connections, {total:,} responses "
        f"({total / elapsed:,.0f}/s), {len(published)} publishes"
    )
    print(f"Answers: {dict(load.counts)}")
    print(f"Worker RSS (MB) every {SAMPLE_EVERY:g} s:")
    print("\n".join(sample_table(samples)))
    print("\n".join(verdict_lines(verdicts, LATE_LIMIT)))
    if TRACEMALLOC:
        print("\n".join(diff_lines(Path(workdir) / "tracemalloc")))
    for problem in load.problems:
        print("  problem:", problem)
    failures = [
        k
        for k in ("5xx", "socket error", "cut short", "mixed revisions", "publish failed")
        if load.counts[k]
    ]
    if replaced:
        failures.append(f"workers replaced: {sorted(replaced)}")
    growing = [pid for pid, m in verdicts.items() if not m.passed]
    if TRACEMALLOC:
        # Tracing starts after the workers boot and its own tables grow with what it traces,
        # so RSS climbs for reasons of its own: judge memory on a run without it.
        print("Memory not judged: SOAK_TRACEMALLOC=1 adds tracemalloc's own memory to RSS.")
    elif growing:
        worst = max(verdicts[pid].late_pct for pid in growing)
        failures.append(f"memory still growing in the last third ({worst:+.2f} %): {growing}")
    if not published:
        failures.append("no publish happened")
    path = os.environ.get("SOAK_REPORT") or str(Path(workdir) / "soak-report.json")
    write_report(
        path,
        samples,
        verdicts,
        seconds=round(elapsed),
        sample_every=SAMPLE_EVERY,
        connections=CONNECTIONS,
        late_limit_pct=LATE_LIMIT,
        tracemalloc=TRACEMALLOC,
        memory_judged=not TRACEMALLOC,
        answers=dict(load.counts),
        publishes=len(published),
        failures=failures,
    )
    print(f"Samples written to {path}")
    print("PASS" if not failures else f"FAIL: {', '.join(failures)}")
    return 1 if failures else 0


if __name__ == "__main__":
    sys.exit(main())
