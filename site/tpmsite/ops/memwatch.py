"""Where a gunicorn worker's memory grows: tracemalloc snapshots written to disk on a timer.

Off unless ``TPM_TRACEMALLOC_DIR`` is set; the gunicorn config's ``post_fork`` hook calls
``start_from_env()`` in each worker. Then the worker starts tracing ``TPM_TRACEMALLOC_DELAY``
seconds after the call (default 30) and every ``TPM_TRACEMALLOC_EVERY`` seconds after that
(default 60) writes ``<dir>/<pid>-<seconds since the call, 6 digits>.snapshot``, which
``tracemalloc.Snapshot.load`` reads back and ``scripts/soak_memory.py diff <dir>`` compares.
Each allocation keeps ``TPM_TRACEMALLOC_FRAMES`` frames (default 10, not the 25 a deep
investigation might want): tracemalloc's cost in time and memory grows with the frames kept.

Why the delay: post_fork runs before the worker loads Django, and under tracing with 10
frames ``django.setup()`` took 79 s instead of 3.5 s here (2 busy cores), past gunicorn's
30 s worker timeout. What a leak hunt compares comes later anyway. Tracing then still slows
the worker (allocation-heavy code ran about 20 times slower) and adds to its memory (58 MB
for 75 MB traced): for soaks and investigations, not for serving readers.
"""

import os
import threading
import time
from pathlib import Path

# Allocations made by tracemalloc itself (its snapshots) and by the import machinery.
_LEFT_OUT = {
    os.path.join(os.path.dirname(os.__file__), "tracemalloc.py"),
    "<frozen importlib._bootstrap>",
    "<frozen importlib._bootstrap_external>",
}


def start_from_env():
    """Start the snapshot writer when TPM_TRACEMALLOC_DIR is set and return it (its
    ``stop()`` ends it and the tracing); otherwise do nothing and return None."""
    directory = os.environ.get("TPM_TRACEMALLOC_DIR")
    if not directory:
        return None
    return SnapshotWriter(
        Path(directory),
        every=float(os.environ.get("TPM_TRACEMALLOC_EVERY", "60")),
        frames=int(os.environ.get("TPM_TRACEMALLOC_FRAMES", "10")),
        delay=float(os.environ.get("TPM_TRACEMALLOC_DELAY", "30")),
    ).start()


class SnapshotWriter:
    def __init__(self, directory, every, frames, delay):
        self.directory, self.every, self.frames, self.delay = directory, every, frames, delay
        self.stopped = threading.Event()
        # daemon: a worker that exits does not wait for the next snapshot
        self.thread = threading.Thread(target=self.run, name="tpm-memwatch", daemon=True)
        self.started_tracing = False

    def start(self):
        self.directory.mkdir(parents=True, exist_ok=True)
        self.began = time.monotonic()
        self.thread.start()
        return self

    def run(self):
        # Imported here so that a worker without the switch never loads it.
        import tracemalloc

        if self.stopped.wait(self.delay):
            return
        if not tracemalloc.is_tracing():
            tracemalloc.start(self.frames)
            self.started_tracing = True
        while not self.stopped.wait(self.every):
            self.write()

    def write(self):
        import tracemalloc

        snapshot = tracemalloc.take_snapshot()
        # What Snapshot.filter_traces with a Filter(False, name) per name does, without its
        # fnmatch call per trace: under tracing that took 88 s for a worker's 600,000 traces
        # here, this whole method 4.6 s. A trace's frames run from the most recent, the one a
        # Filter matches by default. ``_traces`` is private (Python 3.11's tracemalloc, the list
        # filter_traces itself reads); Snapshot(traces, limit) is the public way back.
        kept = [t for t in snapshot.traces._traces if t[2][0][0] not in _LEFT_OUT]
        snapshot = tracemalloc.Snapshot(kept, snapshot.traceback_limit)
        elapsed = round(time.monotonic() - self.began)
        path = self.directory / f"{os.getpid()}-{elapsed:06d}.snapshot"
        # Written aside and renamed, so a reader never loads half a file (a worker stopped
        # mid-write leaves only a .tmp behind).
        partial = path.with_suffix(".tmp")
        snapshot.dump(str(partial))
        partial.replace(path)
        return path

    def stop(self):
        import tracemalloc

        self.stopped.set()
        self.thread.join()
        if self.started_tracing:
            tracemalloc.stop()
