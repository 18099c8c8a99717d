"""gunicorn's settings for the module as deployed: ``gunicorn -c deploy/gunicorn.conf.py``.

gunicorn reads this file first, then GUNICORN_CMD_ARGS, then its command line, each
overriding the one before: GUNICORN_CMD_ARGS="--max-requests 0" (the soak) turns recycling
off without editing this file. Where each server listens and how many workers it runs stay on
the command line (README, "Production"), as they differ between machines.
"""

import gc
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]

# The project package (tpmsite) lives in site/, the learning module (roles) at the root.
# Absolute, so the server starts the same from any directory.
chdir = str(ROOT)
pythonpath = str(ROOT / "site")
wsgi_app = "tpmsite.wsgi"

# A worker is replaced after about this many requests: a safety net against slow growth
# (memory a library keeps, a cache that never shrinks) that a week of traffic would turn into
# an out-of-memory kill. Not instead of fixing a leak: the soak turns it off to see one. The
# jitter spreads the replacements, so a server's workers do not all restart together; a
# restart costs a worker's start-up (a few seconds of CPU) while the other workers answer.
max_requests = 5000
max_requests_jitter = 500

# Django, Wagtail and the module are loaded once, in the master, and every worker is forked
# from it: the pages holding the code are shared instead of each worker reading it all again
# (worker RSS after warm-up 130 -> 117 MB, each worker's own memory 101 -> 49 MB, measured
# with the requirements.txt install; docs/benchmarks.md), and a replaced worker starts with a
# fork instead of an import. The cost: `kill -HUP` forks new workers from the code already
# loaded, so a deploy restarts gunicorn (README, "Production"). Nothing connects to the
# database or Redis while loading, so no connection is shared between workers.
preload_app = True


def when_ready(server):
    """Everything loaded so far lives as long as the master: keep the garbage collector's
    bookkeeping off it, so a worker's collections do not copy the shared pages it sits on."""
    gc.freeze()


def post_worker_init(worker):
    """Each worker can trace its own memory for a leak hunt (site/tpmsite/ops/memwatch.py; off
    unless TPM_TRACEMALLOC_DIR is set). After the application is loaded, not at the fork:
    loading under tracing is many times slower."""
    from tpmsite.ops.memwatch import start_from_env

    start_from_env()
