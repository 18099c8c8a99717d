"""What the page-cache tests share: a stand-in for Varnish that records purges, a stand-in
view that counts its renders, a small published tree, and the fixture that turns the page
cache on (import ``page_cache`` into a test module to use it there, autouse)."""

from types import SimpleNamespace

import pytest
from django.core.cache import caches
from django.http import HttpResponse
from django.test import RequestFactory
from tpmsite.ops.cache import PageCacheMiddleware
from wagtail.contrib.frontend_cache.backends import BaseBackend
from wagtail.models import Page, Site

from tests import factories

PURGED = []
rf = RequestFactory()


class RecordingBackend(BaseBackend):
    """Stands in for Varnish: remembers what Wagtail asked it to purge."""

    def purge(self, url):
        PURGED.append(url)


@pytest.fixture(autouse=True)
def page_cache(settings):
    settings.PAGE_CACHE_SECONDS = 600
    settings.WAGTAILFRONTENDCACHE = {"test": {"BACKEND": "tests.page_cache.RecordingBackend"}}
    caches["default"].clear()
    PURGED.clear()


class View:
    """A stand-in for everything below the cache middleware: counts its renders."""

    def __init__(self, make=None):
        self.calls = 0
        self.make = make or (lambda: HttpResponse(b"rendered", headers={"X-Kept": "yes"}))
        self.paths = []

    def __call__(self, request):
        self.calls += 1
        self.paths.append(request.path)  # the request it was given, whatever the answer
        return self.make()


def small_tree():
    """A module home (the site's root) with two lessons and a role index holding one role."""
    home = factories.ModulePageFactory(parent=Page.get_first_root_node())
    site = Site.objects.get(is_default_site=True)
    site.root_page = home
    site.save()
    role_index = factories.RoleIndexPageFactory(parent=home)
    return SimpleNamespace(
        site=site,
        home=home,
        lesson=factories.LessonPageFactory(parent=home),
        other=factories.LessonPageFactory(parent=home),
        role_index=role_index,
        role=factories.RolePageFactory(parent=role_index),
    )


def serve(view, path="/lesson/", method="get", **extra):
    return PageCacheMiddleware(view)(getattr(rf, method)(path, **extra))
