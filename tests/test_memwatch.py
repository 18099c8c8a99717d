"""The tracemalloc switch of a gunicorn worker (tpmsite.ops.memwatch): with TPM_TRACEMALLOC_DIR
set it writes snapshots a developer can load and compare; without it, nothing runs."""

import os
import re
import threading
import time
import tracemalloc
from pathlib import Path

import pytest
from tpmsite.ops.memwatch import start_from_env

HERE = Path(__file__).resolve()


def wait_for_snapshots(directory, count, timeout=15):
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        found = sorted(directory.glob("*.snapshot"))
        if len(found) >= count:
            return found
        time.sleep(0.1)
    raise AssertionError(f"{count} snapshots expected in {directory}, found {found}")


@pytest.fixture
def watcher(tmp_path, monkeypatch):
    if tracemalloc.is_tracing():
        pytest.skip("tracemalloc is already on in this process (python -X tracemalloc)")
    monkeypatch.setenv("TPM_TRACEMALLOC_DIR", str(tmp_path / "snapshots"))
    monkeypatch.setenv("TPM_TRACEMALLOC_EVERY", "1")
    monkeypatch.setenv("TPM_TRACEMALLOC_FRAMES", "3")
    monkeypatch.setenv("TPM_TRACEMALLOC_DELAY", "0")
    writer = start_from_env()
    yield writer
    writer.stop()


def test_snapshots_show_what_grew_between_them(watcher, tmp_path):
    first = wait_for_snapshots(tmp_path / "snapshots", 1)[0]
    grown = [bytes(1000) + bytes([i % 256]) for i in range(4000)]  # about 4 MB, kept alive
    later = wait_for_snapshots(tmp_path / "snapshots", 2)[-1]

    for path in (first, later):
        assert re.fullmatch(rf"{os.getpid()}-\d{{6}}\.snapshot", path.name)
    assert int(later.stem.split("-")[1]) > int(first.stem.split("-")[1])
    old, new = tracemalloc.Snapshot.load(str(first)), tracemalloc.Snapshot.load(str(later))
    assert new.traceback_limit == 3
    growth = {
        stat.traceback[0].filename: stat.size_diff for stat in new.compare_to(old, "filename")
    }
    assert growth[str(HERE)] > 4_000_000
    # tracemalloc's own and the import machinery's allocations are left out
    assert not any("tracemalloc" in name or "importlib" in name for name in growth)
    assert len(grown) == 4000


def test_stop_ends_the_writer_and_tracing(watcher, tmp_path):
    wait_for_snapshots(tmp_path / "snapshots", 1)
    watcher.stop()
    assert not tracemalloc.is_tracing()
    written = sorted((tmp_path / "snapshots").iterdir())
    time.sleep(1.5)
    assert sorted((tmp_path / "snapshots").iterdir()) == written


def test_tracing_waits_for_the_delay_so_the_worker_boots_at_full_speed(tmp_path, monkeypatch):
    if tracemalloc.is_tracing():
        pytest.skip("tracemalloc is already on in this process (python -X tracemalloc)")
    monkeypatch.setenv("TPM_TRACEMALLOC_DIR", str(tmp_path))
    monkeypatch.setenv("TPM_TRACEMALLOC_EVERY", "0.5")
    monkeypatch.setenv("TPM_TRACEMALLOC_DELAY", "1.5")
    writer = start_from_env()
    try:
        time.sleep(0.5)
        assert not tracemalloc.is_tracing()
        first = wait_for_snapshots(tmp_path, 1)[0]
        assert tracemalloc.is_tracing()
        assert int(first.stem.split("-")[1]) >= 2  # seconds since start_from_env
    finally:
        writer.stop()


def test_without_the_variable_nothing_starts(tmp_path, monkeypatch):
    monkeypatch.delenv("TPM_TRACEMALLOC_DIR", raising=False)
    monkeypatch.setenv("TPM_TRACEMALLOC_EVERY", "1")
    threads = set(threading.enumerate())

    assert start_from_env() is None
    assert not tracemalloc.is_tracing()
    assert set(threading.enumerate()) == threads


def test_an_empty_variable_is_off(monkeypatch):
    monkeypatch.setenv("TPM_TRACEMALLOC_DIR", "")
    assert start_from_env() is None
    assert not tracemalloc.is_tracing()
