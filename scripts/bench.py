"""Measure the module as served: gunicorn, Varnish, in-process renders, worker memory.

    make bench        # about 4 minutes; writes docs/benchmarks.md and prints a summary

Needs PostgreSQL and Redis on 127.0.0.1 plus wrk, varnishd and nginx. It owns, and so drops
or flushes, only the databases BENCH_DB and BENCH_DB_LARGE and Redis db BENCH_REDIS_DB.
wrk's settings come from options or the environment (`make bench BENCH_DURATION=10`):
--duration / BENCH_DURATION (seconds per run, 5), --connections / BENCH_CONNECTIONS (32),
--threads / BENCH_THREADS (2); BENCH_PORT is gunicorn's port (8101), Varnish and nginx take the
next two.
"""

import argparse
import datetime
import json
import os
import re
import secrets
import shutil
import signal
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import psycopg
import redis
from bench_report import machine, markdown, summary
from bench_servers import (
    Processes,
    ensure_free,
    fetch,
    start_gunicorn,
    start_nginx,
    start_varnish,
    varnish_backend_requests,
    varnish_verdict,
    worker_rss_mb,
)
from psycopg import sql

ROOT = Path(__file__).resolve().parent.parent
PYTHON = str(ROOT / ".venv" / "bin" / "python")
CONFIG = {
    "duration": int(os.environ.get("BENCH_DURATION", "5")),
    "connections": int(os.environ.get("BENCH_CONNECTIONS", "32")),
    "threads": int(os.environ.get("BENCH_THREADS", "2")),
    "workers": 2,
}
PORT = int(os.environ.get("BENCH_PORT", "8101"))
DB = os.environ.get("BENCH_DB", "tpm_bench")
DB_LARGE = os.environ.get("BENCH_DB_LARGE", "tpm_bench_large")
REDIS_URL = f"redis://127.0.0.1:6379/{os.environ.get('BENCH_REDIS_DB', '14')}"
PG_URL = "postgres://postgres@127.0.0.1:5432"
PAGES = {
    "/": "module page",
    "/overview/": "lesson",
    "/comparison/": "table",
    "/api/v3/comparison/": "API v3 comparison",
    "/api/v2/pages/": "API v2 page list",
}
SIZES = {"seed": "6 aspects × 2 roles × 10 lessons", "large": "60 aspects × 10 roles × 30 lessons"}
MIN_REQUESTS = 10_000
TOP_UP_MAX_SECONDS = 90
STARTED = time.monotonic()
HAND_WRITTEN = "<!-- Written by hand from here on: make bench keeps it. -->\n"


def say(message):
    print(f"[{time.monotonic() - STARTED:6.1f}s] {message}", flush=True)


def django_env(db):
    # The page-cache middleware reads PAGE_CACHE_SECONDS; 0 must turn it off. The HTTP runs
    # leave it unset so they measure the site as deployed.
    return {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "tpmsite.settings.production",
        "SECRET_KEY": secrets.token_urlsafe(50),
        "ALLOWED_HOSTS": "127.0.0.1,localhost",
        "DATABASE_URL": f"{PG_URL}/{db}",
        "REDIS_URL": REDIS_URL,
        "HTTPS": "false",
    }


def run(args, env, capture=False):
    done = subprocess.run(  # noqa: S603 - fixed argument lists
        args, cwd=ROOT, env=env, check=False, capture_output=True, text=True
    )
    if done.returncode:
        raise RuntimeError(f"{' '.join(args)} failed:\n{done.stdout[-2000:]}{done.stderr[-3000:]}")
    return done.stdout if capture else None


def fresh_database(name, env, *options):
    """Drop and recreate one of the bench's own databases, then migrate and seed it."""
    with psycopg.connect(f"{PG_URL}/postgres", autocommit=True) as conn:
        conn.execute(
            sql.SQL("DROP DATABASE IF EXISTS {} WITH (FORCE)").format(sql.Identifier(name))
        )
        conn.execute(sql.SQL("CREATE DATABASE {}").format(sql.Identifier(name)))
    say(f"{name}: prepare_site (migrate, load_module) {' '.join(options)}".rstrip())
    run([PYTHON, "manage.py", "prepare_site", "--no-admin", "-v0", *options], env)


TIME_UNITS_MS = {"us": 0.001, "ms": 1.0, "s": 1000.0, "m": 60_000.0, "h": 3_600_000.0}


def to_ms(text):
    number, unit = re.fullmatch(r"([\d.]+)(us|ms|s|m|h)", text).groups()
    return float(number) * TIME_UNITS_MS[unit]


def parse_wrk(out):
    socket = re.search(
        r"Socket errors: connect (\d+), read (\d+), write (\d+), timeout (\d+)", out
    )
    non_2xx_3xx = re.search(r"Non-2xx or 3xx responses: (\d+)", out)
    return {
        "rps": float(re.search(r"Requests/sec:\s+([\d.]+)", out)[1]),
        "requests": int(re.search(r"(\d+) requests in", out)[1]),
        "p50": to_ms(re.search(r"^\s*50%\s+(\S+)", out, re.M)[1]),
        "p99": to_ms(re.search(r"^\s*99%\s+(\S+)", out, re.M)[1]),
        "errors": (sum(map(int, socket.groups())) if socket else 0)
        + (int(non_2xx_3xx[1]) if non_2xx_3xx else 0),
    }


def wrk(base, path, label, duration=None, script=None):
    duration = duration or CONFIG["duration"]
    args = ["wrk", f"-t{CONFIG['threads']}", f"-c{CONFIG['connections']}", f"-d{duration}s"]
    args += ["--latency", "--timeout", "10s", *(["-s", str(script)] if script else [])]
    say(f"wrk {duration}s {base}{path}")
    out = run([*args, base + path], os.environ, capture=True)
    result = {"label": label, "path": path, **parse_wrk(out)}
    say(f"  {result['rps']:,.0f} req/s, p99 {result['p99']:.1f} ms, errors {result['errors']}")
    return result


def with_ratios(rows, reference):
    return [{**r, "ratio": r["rps"] / reference["rps"]} for r in rows]


def measure_http(procs, tmp, data):
    env = {**django_env(DB), "PAGE_CACHE_SECONDS": os.environ.get("PAGE_CACHE_SECONDS", "")}
    if not env["PAGE_CACHE_SECONDS"]:
        del env["PAGE_CACHE_SECONDS"]  # the middleware's own default, as deployed
    say(f"starting gunicorn on 127.0.0.1:{PORT}")
    gunicorn = start_gunicorn(procs, env, PORT, CONFIG["workers"])
    direct = f"http://127.0.0.1:{PORT}"
    _, html, _ = fetch(direct + "/")
    css = re.search(rb'href="(/static/css/module\.[0-9a-f]+\.css)"', html)
    if not css:
        raise RuntimeError("no hashed module.css link in the module page: collectstatic?")
    static_path = css[1].decode()
    for path in [*PAGES, static_path]:
        status, _, _ = fetch(direct + path)
        say(f"warm {path}: {status}")
    data["rss_before"] = worker_rss_mb(gunicorn.pid)

    static = wrk(direct, static_path, "static CSS (WhiteNoise)")
    pages = [wrk(direct, path, label) for path, label in PAGES.items()]
    data["gunicorn_ref"], data["gunicorn"] = static, with_ratios(pages, static)
    sent = static["requests"] + sum(r["requests"] for r in pages)

    varnish_port, nginx_port = PORT + 1, PORT + 2
    say(f"starting varnishd on 127.0.0.1:{varnish_port}")
    _, workdir, data["vcl_origin"] = start_varnish(procs, tmp, varnish_port, PORT)
    say(f"starting nginx on 127.0.0.1:{nginx_port} with the module page's HTML")
    start_nginx(procs, tmp, nginx_port, html)
    cached = f"http://127.0.0.1:{varnish_port}"
    data["verdicts"] = {path: varnish_verdict(cached + path) for path in PAGES}
    for path, verdict in data["verdicts"].items():
        say(f"Varnish, {path}: {verdict}")
    reference = wrk(f"http://127.0.0.1:{nginx_port}", "/", "nginx, saved module page")
    through = [wrk(cached, path, label) for path, label in PAGES.items()]
    data["varnish_ref"], data["varnish"] = reference, with_ratios(through, reference)

    passed_on = varnish_backend_requests(workdir) or 0
    reached = sent + passed_on
    note = (
        f"{sent:,} direct, {static['requests']:,} of them for the static file; "
        f"{passed_on:,} passed on by Varnish"
    )
    if reached < MIN_REQUESTS:
        reached, note = top_up(direct, [*PAGES, static_path], tmp, reached, note, pages, static)
    data["requests_to_workers"], data["requests_note"] = reached, note
    data["rss"] = worker_rss_mb(gunicorn.pid)
    say(f"worker RSS: {', '.join(f'{mb:.1f} MB' for mb in data['rss'].values())}")


def top_up(base, paths, tmp, reached, note, pages, static):
    """Send gunicorn the requests still missing for the memory target, rotating the pages."""
    script = tmp / "rotate.lua"
    quoted = ", ".join(json.dumps(p) for p in paths)
    script.write_text(
        f"local paths = {{{quoted}}}\nlocal i = 0\n"
        "request = function()\n  i = i + 1\n"
        "  return wrk.format('GET', paths[(i % #paths) + 1])\nend\n"
    )
    # The rotation's rate is the harmonic mean of its addresses' rates.
    rates = [r["rps"] for r in pages] + [static["rps"]]
    rate = len(rates) / sum(1 / r for r in rates)
    seconds = min(TOP_UP_MAX_SECONDS, int((MIN_REQUESTS - reached) / rate * 1.2) + 1)
    extra = wrk(base, "/", "all addresses in turn", duration=seconds, script=script)
    return reached + extra["requests"], f"{note}, {extra['requests']:,} in a top-up run"


def measure_in_process(data):
    data["inprocess"] = {}
    for size, db in (("seed", DB), ("large", DB_LARGE)):
        env = {**django_env(db), "PAGE_CACHE_SECONDS": "0"}
        if size == "large":
            fresh_database(db, env)
            say(f"{db}: growing to {SIZES['large']}")
            counts = run([PYTHON, "scripts/bench_django.py", "grow"], env, capture=True)
            say(f"{db}: {counts.strip().splitlines()[-1]}")
        say(f"rendering each page in process at {SIZES[size]}")
        out = run([PYTHON, "scripts/bench_django.py", "measure"], env, capture=True)
        data["inprocess"][size] = json.loads(out.strip().splitlines()[-1])
        for r in data["inprocess"][size]:
            say(f"  {r['path']}: {r['median_ms']:.1f} ms, {r['queries']} queries")


def versions():
    with psycopg.connect(f"{PG_URL}/postgres") as conn:
        postgres = conn.execute("SHOW server_version").fetchone()[0]
    return postgres, redis.Redis.from_url(REDIS_URL).info("server")["redis_version"]


def parse_options():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    for name in ("duration", "connections", "threads"):
        parser.add_argument(f"--{name}", type=int, default=CONFIG[name])
    CONFIG.update(vars(parser.parse_args()))


def main():
    parse_options()
    load_at_start = os.getloadavg()[0]
    # `kill` and Ctrl-C both unwind through the finally that stops the servers; SIGINT is set
    # explicitly because a shell starting us in the background would have it ignored.
    signal.signal(signal.SIGTERM, lambda *_: sys.exit(143))
    signal.signal(signal.SIGINT, signal.default_int_handler)
    data = {"config": CONFIG, "sizes": SIZES}
    data["date"] = datetime.datetime.now(datetime.UTC).strftime("%Y-%m-%d %H:%M UTC")
    tmp = Path(tempfile.mkdtemp(prefix="tpm-bench-"))
    tmp.chmod(0o755)  # Varnish's and nginx's unprivileged workers read their files here
    say(f"working files in {tmp}; load average {load_at_start:.2f}")
    if load_at_start > 1:
        say("  the machine is busy: expect lower, noisier numbers than on an idle one")
    ensure_free(PORT, PORT + 1, PORT + 2)
    procs = Processes(tmp)
    try:
        env = django_env(DB)
        redis.Redis.from_url(REDIS_URL).flushdb()
        say(f"flushed {REDIS_URL}")
        fresh_database(DB, env, "--collectstatic")
        measure_http(procs, tmp, data)
        procs.stop_all()
        say("servers stopped")
        measure_in_process(data)
    except BaseException:
        say(f"stopped early; servers' logs are in {tmp}")
        raise
    finally:
        procs.stop_all()
    shutil.rmtree(tmp)
    data["machine"] = machine(*versions(), load_at_start)
    data["load_at_start"] = load_at_start
    minutes, seconds = divmod(int(time.monotonic() - STARTED), 60)
    data["elapsed"] = f"{minutes} min {seconds} s"
    report = ROOT / "docs" / "benchmarks.md"
    # What follows the marker is written by hand (decisions and their measurements): kept.
    kept = report.read_text().partition(HAND_WRITTEN)[2] if report.exists() else ""
    report.write_text(markdown(data) + (f"\n{HAND_WRITTEN}{kept}" if kept else ""))
    print(summary(data))
    say("wrote docs/benchmarks.md")


if __name__ == "__main__":
    main()
