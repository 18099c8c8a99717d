"""Fragments of pages kept in the shared cache, for the renders the page cache cannot serve.

The page cache (tpmsite.ops.cache) answers anonymous readers; editors, reviewers and anyone
signed in get every page rendered afresh, and so does the first reader after each publish.
Most of a page is the same for all of them: the navigation, the comparison table, the lesson
list, the infographic, a page's history. Those parts are kept here under the same
*generation* as whole pages, so any publish, unpublish, move or privacy change makes every
fragment stale at once, for every app server: nothing is ever invalidated by name.

A fragment is only read or kept for what every visitor would be shown: a GET or HEAD of a
published page's address without a query string, never a preview. Redis away: every fragment
is rendered, as if this module did not exist.
"""

import hashlib

from django.conf import settings
from django.core.cache import cache

from tpmsite.ops.cache import GENERATION_KEY


def seconds():
    return getattr(settings, "FRAGMENT_CACHE_SECONDS", 0)


def generation(request):
    """The generation fragments of this request are read and kept under, read once per
    request, before the first fragment renders: a publish during the render then leaves
    what it rendered stale. None yet counts as 0, as for whole pages (tpmsite.ops.cache): the
    first change starts a count never used before, and writing one here would make the page
    the page cache is keeping stale at once."""
    known = getattr(request, "_fragment_generation", None)
    if known is None:
        known = request._fragment_generation = cache.get(GENERATION_KEY, 0)
    return known


def is_shared_render(request, page):
    """Whether this render shows what every visitor to the address is shown."""
    return bool(
        request is not None
        and request.method in ("GET", "HEAD")
        and not request.META.get("QUERY_STRING")
        and not getattr(request, "is_preview", False)
        and getattr(page, "live", False)
    )


def fragment_key(request, page, name, vary=()):
    """The cache key of fragment ``name`` on this request, or None when it is not to be
    shared (is_shared_render) or kept at all (FRAGMENT_CACHE_SECONDS is 0)."""
    if not seconds() or not is_shared_render(request, page):
        return None
    parts = [str(generation(request)), name, request.get_host(), request.path, *map(str, vary)]
    return "fragment:" + hashlib.sha256("|".join(parts).encode()).hexdigest()


def cached_fragment(request, page, name, render, vary=()):
    """``render()``'s HTML, from the cache when this generation kept it already."""
    key = fragment_key(request, page, name, vary)
    if key is None:
        return render()
    html = cache.get(key)
    if html is None:
        html = render()
        cache.set(key, html, seconds())
    return html
