"""Which changes drop cached pages, and what the HTTP cache in front is told to purge
(tpmsite/ops/cache.py), on a small tree. Purges wait for the commit: the on-commit callbacks are
run here as the commit would run them."""

import logging

import pytest
from django.core.cache import caches
from django.db import connection
from tpmsite.ops.cache import GENERATION_KEY, connect_signals, content_changed, full_url
from wagtail.contrib.frontend_cache.utils import PurgeBatch
from wagtail.models import PageViewRestriction, Site

from tests import factories
from tests.page_cache import PURGED, View, page_cache, serve, small_tree  # noqa: F401

pytestmark = pytest.mark.django_db


class FailingBatch(PurgeBatch):
    def purge(self, *args, **kwargs):
        raise ConnectionError("the task queue is away")


def commit():
    """What committing the test's transaction would run: the on-commit callbacks, in order
    (and those they add), then none left pending, as after a real commit."""
    while pending := connection.run_on_commit:
        connection.run_on_commit = []
        for _, callback, _ in pending:
            callback()


@pytest.fixture
def tree(db):
    """The small tree, committed (what building it would purge is purged then)."""
    built = small_tree()
    commit()
    return built


@pytest.fixture
def committed():
    """Run `change` and then what its commit runs; return what was purged."""

    def run(change):
        PURGED.clear()
        change()
        commit()
        return list(PURGED)

    return run


def url(tree, page):
    return tree.site.root_url + page.url


def test_a_publish_purges_every_live_page_and_the_api_once(tree, committed):
    purged = committed(lambda: tree.lesson.save_revision().publish())
    for page in (tree.home, tree.lesson, tree.other, tree.role_index, tree.role):
        assert purged.count(url(tree, page)) == 1, page
    for path in (
        "/api/v3/comparison/",
        "/api/v3/module/",
        "/api/v2/pages/",
        "/api/v3/pages/",
        "/sitemap.xml",
        "/search/",
    ):
        assert purged.count(tree.site.root_url + path) == 1, path


def test_a_draft_purges_and_drops_nothing(tree, committed):
    view = View()
    serve(view)
    assert committed(lambda: tree.lesson.save_revision()) == []
    assert serve(view)["X-Page-Cache"] == "hit"
    assert committed(lambda: tree.lesson.save_revision().publish())  # the control
    assert serve(view)["X-Page-Cache"] == "miss"


def test_an_unpublished_page_is_purged_though_no_longer_live(tree, committed):
    old = url(tree, tree.lesson)
    assert old in committed(tree.lesson.unpublish)
    assert url(tree, tree.other) in PURGED


def test_a_moved_page_is_purged_at_its_old_and_new_address(tree, committed):
    old = url(tree, tree.lesson)
    purged = committed(lambda: tree.lesson.move(tree.role_index, pos="last-child"))
    tree.lesson.refresh_from_db()
    assert old in purged and url(tree, tree.lesson) in purged
    assert old != url(tree, tree.lesson)


def test_a_renamed_page_is_purged_at_its_old_address(tree, committed):
    old = url(tree, tree.lesson)

    def rename():
        tree.lesson.slug = "renamed"
        tree.lesson.save_revision().publish()

    purged = committed(rename)
    tree.lesson.refresh_from_db()
    assert old in purged and url(tree, tree.lesson) in purged
    assert url(tree, tree.lesson).endswith("/renamed/")


def test_a_deleted_subtree_is_purged_at_every_old_address_in_one_batch(tree, committed):
    old = [url(tree, page) for page in (tree.role_index, tree.role)]
    purged = committed(tree.role_index.delete)
    assert all(purged.count(address) == 1 for address in old)
    assert purged.count(url(tree, tree.home)) == 1


def test_the_first_change_on_a_new_connection_is_purged(tree, committed, monkeypatch):
    monkeypatch.delattr(connection, "page_cache_old_urls", raising=False)
    old = url(tree, tree.lesson)
    assert old in committed(tree.lesson.unpublish)


def test_without_a_site_the_api_is_purged_by_path_and_nothing_fails(tree, committed, caplog):
    Site.objects.all().delete()
    purged = committed(content_changed)
    assert "/api/v3/module/" in purged and caplog.records == []


def test_old_addresses_are_purged_with_their_own_change_only(tree, committed):
    old = url(tree, tree.lesson)
    assert old in committed(tree.lesson.unpublish)
    assert old not in committed(lambda: tree.other.save_revision().publish())
    assert url(tree, tree.other) in PURGED


@pytest.mark.parametrize("change", ["restrict", "lift"])
def test_a_privacy_change_drops_cached_pages_and_purges(tree, committed, change):
    restriction = factories.restrict(tree.lesson) if change == "lift" else None
    view = View()
    serve(view), serve(view)

    def make_private():
        PageViewRestriction.objects.create(
            page=tree.lesson, restriction_type=PageViewRestriction.PASSWORD, password="x"
        )

    assert committed(restriction.delete if restriction else make_private)
    assert serve(view)["X-Page-Cache"] == "miss"


def test_a_page_cached_before_the_commit_is_dropped_by_the_commit(tree):
    view = View()
    tree.lesson.save_revision().publish()
    # A request served between the change and its commit, under the new generation.
    assert serve(view)["X-Page-Cache"] == "miss"
    assert serve(view)["X-Page-Cache"] == "hit"
    commit()
    assert serve(view)["X-Page-Cache"] == "miss"


def test_a_publish_seen_by_a_reader_at_once(client, tree):
    assert client.get(tree.lesson.url)["X-Page-Cache"] == "miss"
    assert client.get(tree.lesson.url)["X-Page-Cache"] == "hit"
    tree.lesson.title = "A newly published title"
    tree.lesson.save_revision().publish()
    response = client.get(tree.lesson.url)
    assert response["X-Page-Cache"] == "miss" and b"A newly published title" in response.content


def test_a_failed_purge_does_not_fail_the_publish_and_is_logged(
    tree, committed, monkeypatch, caplog
):
    monkeypatch.setattr("tpmsite.ops.cache.PurgeBatch", FailingBatch)
    with caplog.at_level(logging.ERROR, logger="tpmsite.ops.cache"):
        committed(lambda: tree.lesson.save_revision().publish())
    assert tree.lesson.live
    assert [r.getMessage() for r in caplog.records] == ["Could not purge the HTTP cache"]


def test_without_an_http_cache_nothing_is_purged(tree, committed, settings, caplog):
    del settings.WAGTAILFRONTENDCACHE
    view = View()
    serve(view)
    assert committed(content_changed) == []
    assert caplog.records == []  # nothing tried, nothing failed
    assert serve(view)["X-Page-Cache"] == "miss"  # the page cache is still dropped


def test_an_address_is_the_sites_url_and_none_outside_every_site(tree):
    assert full_url(tree.lesson.url_path) == url(tree, tree.lesson)
    assert full_url(tree.home.url_path) == tree.site.root_url + "/"
    assert full_url("/elsewhere/page/") is None


def generation():
    return caches["default"].get(GENERATION_KEY)


def test_connecting_the_signals_again_still_invalidates_once_per_change(tree, settings):
    """Django may run AppConfig.ready() twice: the receivers must not be connected twice."""
    connect_signals()
    changes = {
        "publish": lambda: tree.lesson.save_revision().publish(),
        "unpublish": tree.lesson.unpublish,
        "move": lambda: tree.other.move(tree.role_index, pos="last-child"),
        "rename": lambda: setattr(tree.role, "slug", "renamed") or tree.role.save(),
        "restrict": lambda: factories.restrict(tree.role_index),
        "lift": lambda: PageViewRestriction.objects.filter(page=tree.role_index).delete(),
        "delete": tree.lesson.delete,  # unpublished above, so deleting it is one change
    }
    for name, change in changes.items():
        before = generation()
        change()
        commit()
        # Once at the change, once at its commit; a deleted page is two rows (its Page row
        # and its specific row), each sending post_delete.
        assert generation() - before == (3 if name == "delete" else 2), name
    before = generation()
    tree.other.save_revision()  # a draft is no change to anyone reading the site
    commit()
    assert generation() == before
