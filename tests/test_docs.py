"""The testing guide stays true: it names every test file and every module that
`make mutation` measures, so a newcomer finds where a test belongs and what it guards."""

import importlib.util
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
GUIDE = (ROOT / "docs" / "testing.md").read_text()


def mutation_modules():
    spec = importlib.util.spec_from_file_location("mutation", ROOT / "scripts" / "mutation.py")
    script = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(script)  # defines MODULES; runs nothing at import
    return script.MODULES


def test_the_testing_guide_names_every_test_file():
    files = sorted(p.name for p in (ROOT / "tests").rglob("test_*.py"))
    assert "test_docs.py" in files  # the search itself found this very file
    unnamed = [name for name in files if f"`{name}`" not in GUIDE]
    assert unnamed == [], f"docs/testing.md does not say what these test: {unnamed}"


def test_the_testing_guide_lists_every_module_make_mutation_measures():
    modules = mutation_modules()
    assert "roles/visibility.py" in modules
    unlisted = [module for module in modules if f"| `{module}` |" not in GUIDE]
    assert unlisted == [], f"docs/testing.md's mutation table misses: {unlisted}"
    for module, tests in modules.items():
        for test in tests:
            assert (ROOT / test).exists(), f"{module} is measured against a missing {test}"
