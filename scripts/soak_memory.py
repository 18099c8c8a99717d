"""The soak's memory reading (scripts/soak.py): a plateau or a leak, and where memory grew.

Samples are each worker's RSS over the run, ``{pid: [(seconds, MB), ...]}``. A worker grows
while it warms up (imports, templates, connection and cache state) and then should hold
still, so the first third of the run is reported on its own and the verdict reads only the
last third: a straight line fitted to its samples, its rise over that window in % of the
window's first sample. Fitted rather than last minus first, so one sample taken in the middle
of a collection does not decide.

Also, from a directory of tracemalloc snapshots (tpmsite.ops.memwatch), the allocation sites
that grew most per worker. From the command line, to read a finished run again:

    python scripts/soak_memory.py diff DIR [--by traceback] [--top 15]
"""

import argparse
import json
import os
import re
import sys
from dataclasses import asdict, dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
STDLIB = Path(os.__file__).parent
SNAPSHOT_NAME = re.compile(r"(\d+)-(\d+)\.snapshot")
BASELINE_SECONDS = 120  # minute 2: past start-up, before any slow growth adds up


@dataclass
class Memory:
    start_mb: float
    end_mb: float
    warmup_pct: float  # first third, last sample minus first
    late_pct: float  # last third, fitted
    start_end_pct: float
    passed: bool


def window(points, first, last):
    """The points with first <= seconds <= last; at least the two nearest that end."""
    inside = [p for p in points if first <= p[0] <= last]
    if len(inside) >= 2:
        return inside
    return points[:2] if first <= points[0][0] else points[-2:]


def fitted_growth_pct(points):
    """Rise of the least-squares line over the points' time span, in % of the first point."""
    n = len(points)
    mean_t = sum(t for t, _ in points) / n
    mean_mb = sum(mb for _, mb in points) / n
    spread = sum((t - mean_t) ** 2 for t, _ in points)
    slope = sum((t - mean_t) * (mb - mean_mb) for t, mb in points) / spread
    return slope * (points[-1][0] - points[0][0]) / points[0][1] * 100


def judge(points, late_limit):
    """One worker's warm-up growth, late growth and whether the late growth is under
    ``late_limit`` %. Needs at least two samples."""
    points = sorted(points)
    start, end = points[0][0], points[-1][0]
    third = (end - start) / 3
    warmup = window(points, start, start + third)
    late = window(points, end - third, end)
    late_pct = fitted_growth_pct(late)
    return Memory(
        start_mb=points[0][1],
        end_mb=points[-1][1],
        warmup_pct=(warmup[-1][1] - warmup[0][1]) / warmup[0][1] * 100,
        late_pct=late_pct,
        start_end_pct=(points[-1][1] - points[0][1]) / points[0][1] * 100,
        passed=late_pct < late_limit,
    )


def judge_all(samples, late_limit):
    return {pid: judge(points, late_limit) for pid, points in samples.items()}


def verdict_lines(verdicts, late_limit):
    lines = []
    for pid, m in verdicts.items():
        lines.append(
            f"Worker {pid}: {m.start_mb:.1f} → {m.end_mb:.1f} MB ({m.start_end_pct:+.1f} %), "
            f"warm-up (first third) {m.warmup_pct:+.1f} %, last third {m.late_pct:+.2f} % "
            f"({'under' if m.passed else 'not under'} {late_limit:g} %)"
        )
    return lines


def shown_rows(count, every=5, long=20):
    """Indexes of the samples the table shows: all of a short run, else every ``every``-th
    and the last."""
    if count <= long:
        return list(range(count))
    return sorted(set(range(0, count, every)) | {count - 1})


def sample_table(samples):
    pids = list(samples)
    times = sorted({t for points in samples.values() for t, _ in points})
    rss = {pid: dict(points) for pid, points in samples.items()}
    lines = ["     s  " + "".join(f"{pid:>10}" for pid in pids)]
    for i in shown_rows(len(times)):
        t = times[i]
        cells = "".join(f"{rss[pid][t]:>10.1f}" if t in rss[pid] else f"{'-':>10}" for pid in pids)
        lines.append(f"{t:6.0f}  {cells}")
    return lines


def write_report(path, samples, verdicts, **run):
    """The run as JSON, so documentation can quote the samples."""
    data = {
        **run,
        "workers": {
            str(pid): {"samples": [[round(t, 1), round(mb, 2)] for t, mb in samples[pid]]}
            | asdict(verdicts[pid])
            for pid in samples
        },
    }
    Path(path).write_text(json.dumps(data, indent=1) + "\n")


def snapshot_files(directory):
    """{pid: [(seconds since the worker started tracing, path), ...]} in time order."""
    found = {}
    for path in Path(directory).glob("*.snapshot"):
        if match := SNAPSHOT_NAME.fullmatch(path.name):
            found.setdefault(int(match[1]), []).append((int(match[2]), path))
    return {pid: sorted(files) for pid, files in sorted(found.items())}


def baseline_index(times):
    """The snapshot to compare the last one with: the one nearest minute 2, or in a run
    shorter than three times that, the first at or after its first third."""
    candidates = range(len(times) - 1)
    if times[-1] / 3 < BASELINE_SECONDS:
        return next((i for i in candidates if times[i] >= times[-1] / 3), 0)
    return min(candidates, key=lambda i: (abs(times[i] - BASELINE_SECONDS), -i))


def short(filename):
    """A frame's file as packages name it: django/..., roles/..., json/decoder.py."""
    for marker in ("site-packages/", f"{ROOT}/", f"{STDLIB}/"):
        if marker in filename:
            return filename.split(marker, 1)[1]
    return filename


def diff_lines(directory, top=15, by="lineno"):
    """Per worker, the ``top`` allocation sites that grew most between the baseline snapshot
    and the last one."""
    import tracemalloc

    files = snapshot_files(directory)
    if not files:
        return [
            f"No tracemalloc snapshots in {directory}: the gunicorn config's post_fork must "
            "call tpmsite.ops.memwatch.start_from_env()"
        ]
    lines = []
    for pid, found in files.items():
        if len(found) < 2:
            lines.append(
                f"Worker {pid}: one snapshot only ({found[0][1].name}), nothing to compare"
            )
            continue
        (old_s, old_path), (new_s, new_path) = (
            found[baseline_index([t for t, _ in found])],
            found[-1],
        )
        old, new = (
            tracemalloc.Snapshot.load(str(old_path)),
            tracemalloc.Snapshot.load(str(new_path)),
        )
        traced = [sum(s.size for s in snap.statistics("filename")) / 2**20 for snap in (old, new)]
        lines.append(
            f"Worker {pid}: traced memory {traced[0]:.1f} MB at {old_s} s → {traced[1]:.1f} MB "
            f"at {new_s} s; the {top} sites that grew most ({by}):"
        )
        for stat in new.compare_to(old, by)[:top]:
            *callers, site = stat.traceback  # oldest frame first
            lines.append(
                f"  {stat.size_diff / 1024:+10,.1f} KiB {stat.count_diff:+9,} blocks  "
                f"{short(site.filename)}:{site.lineno}"
            )
            if by == "traceback":  # the callers, nearest first
                lines.extend(f"      from {short(f.filename)}:{f.lineno}" for f in callers[::-1])
    return lines


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    commands = parser.add_subparsers(dest="command", required=True)
    diff = commands.add_parser("diff", help="the allocation sites that grew, per worker")
    diff.add_argument("directory", type=Path)
    diff.add_argument("--by", choices=["lineno", "traceback"], default="lineno")
    diff.add_argument("--top", type=int, default=15)
    args = parser.parse_args(argv)
    print("\n".join(diff_lines(args.directory, args.top, args.by)))


if __name__ == "__main__":
    sys.exit(main())
