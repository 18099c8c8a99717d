"""gunicorn's settings for the module as deployed: ``gunicorn -c deploy/gunicorn.conf.py``.

gunicorn reads this file first, then GUNICORN_CMD_ARGS, then its command line, each
overriding the one before: GUNICORN_CMD_ARGS="--max-requests 0" (the soak) turns recycling
off without editing this file. Where each server listens and how many workers it runs stay on
the command line (README, "Production"), as they differ between machines.
"""

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


def post_fork(server, worker):
    """Each worker watches its own memory (site/tpmsite/ops/memwatch.py)."""
    try:
        from tpmsite.ops.memwatch import start_from_env
    except ModuleNotFoundError as missing:
        # memwatch is written on another branch; this guard goes when the two are merged.
        if missing.name != "tpmsite.ops.memwatch":
            raise
        return
    start_from_env()
