"""The page cache's generation, the number in every kept page that one change makes stale
everywhere (site/tpmsite/ops/cache.py): how it starts, counts, lasts and fails."""

import logging
import time

import pytest
from django.core.cache import caches
from tpmsite.ops.cache import GENERATION_KEY, bump_generation, fresh_generation

from tests.page_cache import View, page_cache, serve  # noqa: F401

pytestmark = pytest.mark.django_db


# The generation that makes every kept page stale -------------------------------------------


def test_without_the_setting_the_page_cache_is_off(settings):
    del settings.PAGE_CACHE_SECONDS  # a project that never configured it
    view = View()
    for _ in range(2):
        assert "X-Page-Cache" not in serve(view)
    assert view.calls == 2


def test_a_first_generation_is_the_time_in_whole_microseconds():
    """An int Redis can increment exactly: its Lua numbers are doubles (exact below 2**53)."""
    before = time.time_ns() // 1000
    generation = fresh_generation()
    after = time.time_ns() // 1000

    assert isinstance(generation, int)
    assert before <= generation <= after < 2**53


def test_the_first_change_starts_a_generation_quietly_and_each_change_counts_one(caplog):
    shared = caches["default"]
    shared.delete(GENERATION_KEY)

    with caplog.at_level(logging.ERROR, logger="tpmsite.ops.cache"):
        bump_generation(shared)
        first = shared.get(GENERATION_KEY)
        bump_generation(shared)

    assert caplog.records == []  # nothing went wrong, so nothing is reported
    assert first > time.time_ns() // 1000 - 10**7  # started from now, not from 0 or 1
    assert shared.get(GENERATION_KEY) == first + 1


def test_the_generation_outlives_the_caches_default_timeout(monkeypatch):
    """Kept with no expiry: were it to expire, every page would be a miss until the next
    change."""
    shared = caches["default"]
    shared.delete(GENERATION_KEY)
    bump_generation(shared)
    generation = shared.get(GENERATION_KEY)
    later = time.time() + 10 * 365 * 24 * 3600
    monkeypatch.setattr("django.core.cache.backends.locmem.time.time", lambda: later)

    assert shared.get(GENERATION_KEY) == generation


def test_a_cache_that_cannot_count_is_reported_not_raised(caplog):
    class Broken:
        def incr(self, key):
            raise ConnectionError("cache away")

    with caplog.at_level(logging.ERROR, logger="tpmsite.ops.cache"):
        bump_generation(Broken())

    assert [r.getMessage() for r in caplog.records] == ["Could not invalidate the page cache"]
    assert caplog.records[0].exc_info[0] is ConnectionError
