"""Whole-page caching that stays correct: a response cache in the shared cache (Redis), and
purges of the HTTP cache in front (Varnish, through Wagtail's frontend cache).

The module is one interlinked document: every page's navigation lists the sections, the
module page, the table, the infographic, the role pages and the API all show the aspect
statements, and lessons link their neighbours by title. So any publish, unpublish, move,
delete or privacy change invalidates the whole site rather than guessing at dependencies:

- in the response cache by bumping a *generation* number that is part of every entry, kept
  in the shared cache next to the pages, so every app server sees the change at once;
- in the HTTP cache by purging every live page's URLs and the API read endpoints.

Why not Django's CacheMiddleware: its entries cannot be invalidated by content (only by
expiry), and each hit takes two cache round trips. Here a hit is one round trip (the
generation and the page in one MGET), which keeps a cached page at 70 % or more of a
static file's throughput except under the heaviest load. Each worker once also kept pages
in its own memory, kept current by Redis pub/sub; measured through django-redis it no
longer earned its complexity (docs/benchmarks.md, "The per-worker page memory").
"""

import hashlib
import logging
import time

from django.conf import settings
from django.core.cache import cache, caches
from django.core.exceptions import DisallowedHost
from django.db import connection, transaction
from django.db.models.signals import post_delete, post_save
from django.http import HttpResponse
from django.utils.cache import patch_cache_control
from wagtail.contrib.frontend_cache.utils import PurgeBatch
from wagtail.models import Page, PageViewRestriction, Site
from wagtail.signals import page_published, page_slug_changed, page_unpublished, post_page_move

logger = logging.getLogger(__name__)

GENERATION_KEY = "pages:generation"

# Never cached at either layer: the admin, previews, health checks, document downloads
# (which check permissions) and Wagtail's password form.
BYPASS_PREFIXES = (
    "/admin/",
    "/django-admin/",
    "/api/v3/preview",
    "/documents/",
    "/healthz",
    "/_util/",
)
# Read endpoints whose every query-string variant the HTTP cache drops on a change.
API_READ_PATHS = (
    "/api/v3/comparison/",
    "/api/v3/module/",
    "/api/v3/comments/",
    "/api/v2/pages/",
    "/api/v3/pages/",
)
# A stored page keeps every header, as a hit skips the middleware that set them
# (Content-Security-Policy, X-Frame-Options …), except these, which are per response.
PER_RESPONSE = {"set-cookie", "x-page-cache", "date", "expires"}


def seconds():
    return getattr(settings, "PAGE_CACHE_SECONDS", 0)


def is_public_request(request):
    """A request that every visitor would get the same answer to: an anonymous GET or HEAD
    of a public path. Query strings only count on the API (they are its contract); on pages
    they are forms and searches, which are not worth keeping."""
    if request.method not in ("GET", "HEAD") or "HTTP_AUTHORIZATION" in request.META:
        return False
    # Cross-origin calls get CORS headers made for their Origin (Varnish keeps those apart).
    if "HTTP_ORIGIN" in request.META:
        return False
    if settings.SESSION_COOKIE_NAME in request.COOKIES or "messages" in request.COOKIES:
        return False
    path = request.path
    if path.startswith(BYPASS_PREFIXES):
        return False
    return not request.META.get("QUERY_STRING") or path.startswith("/api/")


def is_shareable_response(request, response):
    if response.status_code != 200 or response.streaming or response.cookies:
        return False
    cache_control = response.get("Cache-Control", "")
    if any(word in cache_control for word in ("private", "no-cache", "no-store")):
        return False
    if request.path.startswith("/api/"):
        return response.get("Content-Type", "").startswith("application/json")
    return True


def entry_key(request):
    # The browsable API answers text/html and JSON at the same URL: keep them apart.
    kind = "html" if "text/html" in request.META.get("HTTP_ACCEPT", "") else "any"
    url = f"{request.get_host()}{request.get_full_path()}|{kind}"
    return "page:" + hashlib.sha256(url.encode()).hexdigest()


class PageCacheMiddleware:
    """Serves public pages from the shared cache and marks them cacheable for the HTTP cache
    in front (s-maxage; browsers revalidate). Everything else passes through untouched."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        ttl = seconds()
        if not ttl or not is_public_request(request):
            return self.get_response(request)
        try:
            key = entry_key(request)
        except DisallowedHost:  # CommonMiddleware answers it with a 400
            return self.get_response(request)
        # Rendered under the generation current when the request *started*: a publish during
        # the render makes this entry stale at once instead of keeping old content. Redis
        # away: no generation, no entry, and the set below is a no-op (nothing is kept).
        found = cache.get_many([GENERATION_KEY, key])
        generation, entry = found.get(GENERATION_KEY, 0), found.get(key)
        if entry and entry[0] == generation:
            return self.rebuild(entry)
        response = self.get_response(request)
        if is_shareable_response(request, response):
            patch_cache_control(response, public=True, max_age=0, s_maxage=ttl)
            headers = [(h, v) for h, v in response.items() if h.lower() not in PER_RESPONSE]
            cache.set(key, (generation, headers, response.content), ttl)
            response["X-Page-Cache"] = "miss"
        return response

    @staticmethod
    def rebuild(entry):
        _, headers, content = entry
        response = HttpResponse(content, headers=dict(headers))
        response["X-Page-Cache"] = "hit"
        return response


def fresh_generation():
    """A first generation never used before: the time in microseconds. Not nanoseconds:
    django-redis increments in a Lua script, whose numbers are doubles, so a count above
    2**53 (nanoseconds since 1970 are ~1.8e18) would come back rounded."""
    return time.time_ns() // 1000


def bump_generation(cache):
    """Make every cached page stale, for every app server sharing the cache. After Redis
    lost everything the count starts again from a value never used before, so no page kept
    before can match."""
    try:
        try:
            cache.incr(GENERATION_KEY)
        except ValueError:  # not there yet (first change, or Redis restarted): start fresh
            cache.add(GENERATION_KEY, fresh_generation(), timeout=None)
            cache.incr(GENERATION_KEY)
    except Exception:
        logger.exception("Could not invalidate the page cache")


def full_url(url_path):
    """The public URL of a page's url_path (None outside every site), for pages that are
    gone or have moved, whose current object can no longer say where they were."""
    for root in Site.get_site_root_paths():
        if url_path.startswith(root.root_path):
            return root.root_url + url_path[len(root.root_path) - 1 :]
    return None


def purge_http_cache(old_urls=()):
    """Purge every live page (with its routable sub-URLs), the API reads, the sitemap and
    search, and the URLs pages had before a move, delete or unpublish. The VCL treats a purge
    as "this path and everything under it, whatever the query string": that covers the
    table's dated views and cell histories, every API filter and every API page detail."""
    if not getattr(settings, "WAGTAILFRONTENDCACHE", None):
        return
    batch = PurgeBatch(old_urls)
    batch.add_pages(Page.objects.live().specific(defer=True))
    roots = Site.get_site_root_paths()
    base = roots[0].root_url if roots else ""
    batch.add_urls(base + path for path in (*API_READ_PATHS, "/sitemap.xml", "/search/"))
    batch.purge()


def content_changed(instance=None, url_path_before=None, instance_before=None, **kwargs):
    """Invalidate both layers now and again after the transaction commits: a request that
    reads between the two would otherwise keep pre-commit content under the new generation."""
    bump_generation(caches["default"])
    old = getattr(connection, "page_cache_old_urls", set())
    for url_path in (
        getattr(instance, "url_path", None) if isinstance(instance, Page) else None,
        url_path_before,
        getattr(instance_before, "url_path", None),
    ):
        if url_path and (url := full_url(url_path)):
            old.add(url)
    connection.page_cache_old_urls = old
    # Once per transaction however many pages change (a subtree delete sends one per page).
    if not any(func is after_commit for _, func, _ in connection.run_on_commit):
        transaction.on_commit(after_commit)


def after_commit():
    bump_generation(caches["default"])
    old_urls, connection.page_cache_old_urls = (
        getattr(connection, "page_cache_old_urls", ()),
        set(),
    )
    try:
        purge_http_cache(old_urls)
    except Exception:  # a purge failure must not fail the editor's publish
        logger.exception("Could not purge the HTTP cache")


def page_deleted(sender, instance, **kwargs):
    if isinstance(instance, Page):
        content_changed(instance=instance)


def connect_signals():
    page_published.connect(content_changed, dispatch_uid="page-cache-published")
    page_unpublished.connect(content_changed, dispatch_uid="page-cache-unpublished")
    page_slug_changed.connect(content_changed, dispatch_uid="page-cache-slug")
    post_page_move.connect(content_changed, dispatch_uid="page-cache-moved")
    post_delete.connect(page_deleted, dispatch_uid="page-cache-deleted")
    # Making a page private (or public again) changes what anonymous visitors may see.
    for signal in (post_save, post_delete):
        signal.connect(content_changed, sender=PageViewRestriction, dispatch_uid=f"pvr-{signal}")
