"""The browser tests' fixtures: Debian's Chromium driven through Playwright.

They live here, not in tests/conftest.py, so the rest of the suite neither imports Playwright
nor needs it installed. Without Playwright or Chromium the browser tests skip, except under
CI=true, which installs both: there they fail.
"""

import os

import pytest

from tests.browser import CHROMIUM_ARGS


def tools_missing(message):
    """Skip for want of a browser tool, but fail in CI, which must run the browser tests."""
    if os.environ.get("CI") == "true":
        pytest.fail(f"{message}; CI must run the browser tests.", pytrace=False)
    pytest.skip(message)


def playwright_missing():
    """Why the test modules cannot be imported (they import Playwright and axe), or None."""
    try:
        import axe_playwright_python.sync_playwright  # noqa: F401
        import playwright.sync_api  # noqa: F401
    except ImportError as exc:
        return f"Playwright not installed ({exc}; make test installs requirements-test.txt)"
    return None


class BrowserToolsMissing(pytest.Module):
    """A browser test module, not imported: it reports the missing tool instead."""

    def collect(self):
        tools_missing(self.config.stash[MISSING])


MISSING = pytest.StashKey[str]()


@pytest.hookimpl(tryfirst=True)
def pytest_pycollect_makemodule(module_path, parent):
    config = parent.config
    if MISSING not in config.stash:
        config.stash[MISSING] = playwright_missing()
    if config.stash[MISSING] and module_path.name.startswith("test_"):
        return BrowserToolsMissing.from_parent(parent, path=module_path)
    return None


@pytest.fixture(scope="session")
def chromium_path():
    """Debian's Chromium; the browser tests skip without it, except in CI where that fails."""
    path = os.environ.get("CHROMIUM", "/usr/bin/chromium")
    if not os.path.exists(path):
        tools_missing(f"Chromium not found at {path} (apt-get install chromium)")
    return path


@pytest.fixture(scope="module")
def browser(chromium_path):
    from playwright.sync_api import sync_playwright

    # Playwright's sync API runs an event loop in this thread; the ORM calls made by the test
    # itself (building pages) are still synchronous, so Django's async guard is relaxed here.
    previous = os.environ.get("DJANGO_ALLOW_ASYNC_UNSAFE")
    os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = "true"
    try:
        with sync_playwright() as playwright:
            browser = playwright.chromium.launch(executable_path=chromium_path, args=CHROMIUM_ARGS)
            yield browser
            browser.close()
    finally:
        # Leaving it set would leak into later tests (and check --deploy rejects it).
        if previous is None:
            os.environ.pop("DJANGO_ALLOW_ASYNC_UNSAFE", None)
        else:
            os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = previous
