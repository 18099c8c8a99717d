"""Mutation testing of the core modules with mutmut, one module at a time (`make mutation`).

Each module is mutated alone and only the test files that cover it run against its mutants
(MODULES below), so a run stays minutes, not hours. mutmut works on a copy under mutants/,
never on the files in the working tree; that copy is wiped before each module.

    python scripts/mutation.py                          # every module in MODULES, in turn
    python scripts/mutation.py roles/visibility.py      # one module (make mutation MODULE=...)

Prints mutmut's progress (mutants done of total), then a table per module (mutants, killed,
survived, timeout, kill rate) and the diff of every surviving mutant.
"""

import dataclasses
import json
import os
import shutil
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]

# Module -> the test files that exercise it. A mutant only ever runs these.
MODULES = {
    "roles/comparison/matrix.py": ["tests/test_comparison_units.py"],
    # The table's queries (which roles and aspects, read how) and the role and aspect pages.
    "roles/models/comparison.py": [
        "tests/test_comparison_units.py",
        "tests/test_comparison.py",
        "tests/test_history_units.py",
        "tests/test_infographic_data.py",
    ],
    "roles/comparison/history.py": [
        "tests/test_history_units.py",
        "tests/test_infographic_data.py",
    ],
    "roles/visibility.py": ["tests/test_visibility.py"],
    # Knowledge-check scoring (KnowledgeCheckValue.judge) and the lesson blocks.
    "roles/blocks.py": [
        "tests/test_blocks.py",
        "tests/test_knowledge_check.py",
        "tests/test_lessons.py",
    ],
    "roles/models/assessment.py": ["tests/test_assessment.py", "tests/test_assessment_input.py"],
    # The forms reading readers' query strings: option numbers, answer sheets, the day.
    "roles/answers.py": [
        "tests/test_answers.py",
        "tests/test_knowledge_check.py",
        "tests/test_assessment.py",
    ],
    # The guard alone behind a stand-in view: fast (test_bad_input.py and test_api_guards.py
    # cover the same rules end to end, at several seconds a test).
    "site/tpmsite/ops/middleware.py": [
        "tests/test_input_guard.py",
        "tests/test_guard_envelope.py",
    ],
    "site/tpmsite/ops/cache.py": [
        "tests/test_cache_rules.py",
        "tests/test_cache_generation.py",
        "tests/test_cache_changes.py",
    ],
    "site/tpmsite/ops/backup.py": [
        "tests/test_backup_selection.py",
        "tests/test_backup_rows.py",
        "tests/test_restore_refusals.py",
    ],
    "site/tpmsite/ops/restore.py": [
        "tests/test_restore_rules.py",
        "tests/test_restore_refusals.py",
    ],
}

KILLED = {"killed", "caught by type check"}
TIMEOUT = {"timeout"}


def run_one(module, result_file):
    """In a child process: run mutmut on one module, write its results as JSON."""
    from mutmut import configuration

    config = configuration._load_config()
    jobs = os.environ.get("MUTATION_JOBS", "1")
    pytest_args = list(config.pytest_add_cli_args)
    if jobs == "1":
        # One test database file, migrated by the first run and reused by every mutant's
        # (--reuse-db): building it was most of a mutant's cost. Parallel jobs would lock one
        # SQLite file between them, so they keep a database in memory each.
        os.environ["TEST_DATABASE_FILE"] = str(ROOT / "mutants" / "test-db.sqlite3")
        pytest_args.append("--reuse-db")
    configuration._config = dataclasses.replace(
        config,
        only_mutate=[module],
        pytest_add_cli_args=pytest_args,
        pytest_add_cli_args_test_selection=MODULES[module],
    )
    import mutmut.__main__
    from mutmut.mutation import file_mutation

    # Modules under site/ are imported as tpmsite.… (manage.py and pytest put site/ on the
    # path), but mutmut names each mutant after its file's path (site.tpmsite.…), dropping
    # only a "src." prefix; with the names apart, no test would ever reach those mutants.
    named_after_path = file_mutation.get_mutant_name

    def named_as_imported(relative_source_path, function_name):
        path = Path(relative_source_path)
        if path.parts[:1] == ("site",):
            path = Path(*path.parts[1:])
        return named_after_path(path, function_name)

    file_mutation.get_mutant_name = mutmut.__main__.get_mutant_name = named_as_imported
    from mutmut.__main__ import run
    from mutmut.mutation.data import SourceFileMutationData
    from mutmut.mutation.diff_apply import get_diff_for_mutant
    from mutmut.stats import status_by_exit_code

    try:
        run.main(["--max-children", jobs], standalone_mode=False)
    except SystemExit as stop:
        if stop.code not in (0, None):
            raise
    os.chdir(ROOT)  # mutmut works inside mutants/
    data = SourceFileMutationData(path=Path(module))
    data.load()
    mutants = []
    for name, code in sorted(data.exit_code_by_key.items()):
        status = status_by_exit_code[code]
        diff = "" if status in KILLED else get_diff_for_mutant(name, path=Path(module))
        mutants.append({"name": name, "status": status, "diff": diff})
    Path(result_file).write_text(json.dumps(mutants))


def measure(module, index, count):
    print(f"\n=== [{index}/{count}] {module} against {' '.join(MODULES[module])}", flush=True)
    shutil.rmtree(ROOT / "mutants", ignore_errors=True)
    result_file = ROOT / "mutants.json"
    started = time.monotonic()
    child = subprocess.run(  # noqa: S603 - our own interpreter and script
        [sys.executable, __file__, "--one", module, str(result_file)], cwd=ROOT, check=False
    )
    seconds = time.monotonic() - started
    if child.returncode != 0 or not result_file.exists():
        print(f"mutmut failed on {module} (exit {child.returncode})", flush=True)
        return {"module": module, "error": True, "seconds": seconds, "mutants": []}
    mutants = json.loads(result_file.read_text())
    result_file.unlink()
    return {"module": module, "error": False, "seconds": seconds, "mutants": mutants}


def report(results):
    header = f"{'module':<28} {'mutants':>7} {'killed':>6} {'survived':>8} {'timeout':>7} "
    header += f"{'other':>5} {'kill rate':>9} {'time':>6}"
    print("\n" + header)
    print("-" * len(header))
    for result in results:
        mutants = result["mutants"]
        killed = sum(m["status"] in KILLED for m in mutants)
        survived = sum(m["status"] == "survived" for m in mutants)
        timeout = sum(m["status"] in TIMEOUT for m in mutants)
        other = len(mutants) - killed - survived - timeout
        # A timeout is counted as detected (the mutant did not pass the tests in time).
        rate = f"{100 * (killed + timeout) / len(mutants):.1f}%" if mutants else "-"
        if result["error"]:
            rate = "ERROR"
        print(
            f"{result['module']:<28} {len(mutants):>7} {killed:>6} {survived:>8} {timeout:>7} "
            f"{other:>5} {rate:>9} {result['seconds']:>5.0f}s"
        )
    print("\n('other' = no tests reached the mutant, skipped or suspicious; see below.)")
    for result in results:
        for mutant in result["mutants"]:
            if mutant["status"] in KILLED | TIMEOUT:
                continue
            print(f"\n# {mutant['name']}: {mutant['status']}")
            print(mutant["diff"].rstrip())


def main(argv):
    if argv[:1] == ["--one"]:
        run_one(argv[1], argv[2])
        return 0
    modules = argv or list(MODULES)
    unknown = [m for m in modules if m not in MODULES]
    if unknown:
        print(f"Unknown module(s) {unknown}; choose from: {', '.join(MODULES)}")
        return 2
    results = [measure(m, i, len(modules)) for i, m in enumerate(modules, 1)]
    report(results)
    return 1 if any(r["error"] for r in results) else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
