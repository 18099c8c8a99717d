"""The soak's memory verdict (scripts/soak_memory.py): a worker that grows while warming up and
then holds still passes; one that keeps growing fails, even when its total growth is small."""

import importlib.util
import inspect
import tracemalloc
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
_spec = importlib.util.spec_from_file_location("soak_memory", ROOT / "scripts/soak_memory.py")
soak_memory = importlib.util.module_from_spec(_spec)
_spec.loader.exec_module(soak_memory)  # defines functions; runs nothing at import


def run(rss_at, seconds=1800, every=30):
    """Samples of one worker over a run: rss_at(seconds) in MB every ``every`` seconds."""
    return [(float(t), rss_at(t)) for t in range(0, seconds + 1, every)]


def plateau(t):
    """Grows 15 % in the first 8 minutes, then holds with a little noise."""
    return 120 + 18 * min(t, 480) / 480 + (0.3 if (t // 30) % 2 else 0)


def slow_leak(t):
    """Grows 0.2 MB a minute all along: 5 % in 30 minutes, 1.6 % in the last 10."""
    return 120 + 0.2 * t / 60


def test_a_warm_up_then_plateau_passes():
    memory = soak_memory.judge(run(plateau), late_limit=1.0)

    assert memory.passed
    assert memory.warmup_pct == pytest.approx(15)
    assert abs(memory.late_pct) < 0.2
    assert memory.start_end_pct > 10  # what the old start-to-end rule would have failed


def test_a_slow_steady_leak_fails():
    memory = soak_memory.judge(run(slow_leak), late_limit=1.0)

    assert not memory.passed
    assert memory.late_pct == pytest.approx(2 / 124 * 100, rel=0.01)
    assert memory.start_end_pct == pytest.approx(5, rel=0.01)  # under the old 10 % rule


def test_only_the_last_third_decides():
    def grows_in_the_middle(t):
        return 120 + 6 * min(max(t - 600, 0), 600) / 600

    def grows_at_the_end(t):
        return 120 + 6 * max(t - 1200, 0) / 600

    assert soak_memory.judge(run(grows_in_the_middle), late_limit=1.0).passed
    late = soak_memory.judge(run(grows_at_the_end), late_limit=1.0)
    assert not late.passed
    assert late.warmup_pct == 0
    assert late.late_pct == pytest.approx(5, rel=0.01)


def test_the_late_growth_is_a_fit_not_the_last_sample():
    samples = run(lambda t: 130.0)
    samples[-1] = (samples[-1][0], 132.0)  # one sample caught mid-collection: +1.5 %

    memory = soak_memory.judge(samples, late_limit=1.0)
    assert memory.passed
    assert 0 < memory.late_pct < 1


def test_the_limit_is_a_percentage_of_the_window_start():
    # 100 MB at the start, 120 MB when the last third begins, then +1.5 MB: 1.25 %
    samples = run(lambda t: 100 + 20 * min(t, 600) / 600 + 1.5 * max(t - 1200, 0) / 600)

    assert soak_memory.judge(samples, late_limit=1.3).passed
    assert not soak_memory.judge(samples, late_limit=1.2).passed


def test_each_worker_is_judged_on_its_own():
    verdicts = soak_memory.judge_all({101: run(plateau), 102: run(slow_leak)}, late_limit=1.0)

    assert verdicts[101].passed
    assert not verdicts[102].passed


@pytest.mark.parametrize(
    "seconds, window_start",
    [(150, 120), (60, 30)],  # two samples in the last third; one, so the one before it too
)
def test_a_short_run_with_few_samples_is_judged(seconds, window_start):
    memory = soak_memory.judge(run(slow_leak, seconds=seconds), late_limit=0.05)

    assert not memory.passed
    assert memory.late_pct == pytest.approx(0.1 / slow_leak(window_start) * 100, rel=0.01)
    assert memory.warmup_pct == pytest.approx(0.1 / 120 * 100, rel=0.01)


def test_a_long_table_shows_every_fifth_sample_and_the_last():
    assert soak_memory.shown_rows(6) == [0, 1, 2, 3, 4, 5]
    assert soak_memory.shown_rows(61) == [0, 5, 10, 15, 20, 25, 30, 35, 40, 45, 50, 55, 60]
    assert soak_memory.shown_rows(63)[-2:] == [60, 62]


@pytest.mark.parametrize(
    "times, baseline",
    [
        ([60, 120, 180, 1800], 120),  # a long run: minute 2
        ([60, 150, 1800], 150),  # the nearest to minute 2
        ([60, 120], 60),  # a 150 s run: the first after its warm-up (50 s)
        ([30, 60, 90, 120, 150], 60),
    ],
)
def test_the_tracemalloc_baseline_is_minute_2_or_the_end_of_warm_up(times, baseline):
    assert times[soak_memory.baseline_index(times)] == baseline


def test_the_diff_names_the_line_that_grew(tmp_path):
    if tracemalloc.is_tracing():
        pytest.skip("tracemalloc is already on in this process (python -X tracemalloc)")
    tracemalloc.start(3)
    try:
        tracemalloc.take_snapshot().dump(str(tmp_path / "4242-000060.snapshot"))
        tracemalloc.take_snapshot().dump(str(tmp_path / "4242-000120.snapshot"))
        kept = [bytearray(1000) for _ in range(2000)]  # the growth: about 2 MB
        line = inspect.currentframe().f_lineno - 1
        tracemalloc.take_snapshot().dump(str(tmp_path / "4242-001800.snapshot"))
    finally:
        tracemalloc.stop()

    lines = soak_memory.diff_lines(tmp_path, top=3)
    assert lines[0].startswith("Worker 4242:") and "at 120 s" in lines[0]
    assert f"tests/test_soak_memory.py:{line}" in lines[1]
    assert float(lines[1].split("KiB")[0].replace(",", "")) > 1900
    assert len(kept) == 2000
