"""The shared cache in Redis, through django-redis, made fit for the page cache
(site/tpmsite/ops/cache.py).

Redis being away is a cache miss, logged, never an error page: the settings give django-redis
``IGNORE_EXCEPTIONS`` and ``DJANGO_REDIS_LOG_IGNORED_EXCEPTIONS`` (Wagtail keeps site root
paths in the cache, so without this every page would fail with Redis).

- ``RedisCache``: django-redis's cache, except that ``clear()`` keeps to its KEY_PREFIX.
- ``Invalidations``: each worker's view of the page-cache generation, kept current by a
  Redis pub/sub subscription read on each request, so a cached page can be served from the
  worker's own memory without a Redis round trip yet never after a publish.
"""

import contextlib
import logging
import threading
import time
from collections import OrderedDict

from django_redis.cache import RedisCache as DjangoRedisCache
from redis.exceptions import RedisError

logger = logging.getLogger(__name__)


class RedisCache(DjangoRedisCache):
    """django-redis 7.0.0's cache with one change: ``clear()`` deletes only the keys under
    this cache's KEY_PREFIX. django-redis's clear() is FLUSHDB whatever the prefix, which
    would empty the cache of every site (or parallel test worker, settings/test.py) sharing
    the Redis database; its own ``delete_pattern`` does the prefix-only delete (SCAN, not
    KEYS) and, like every call here, is a logged no-op when Redis is away."""

    def clear(self):
        if (local := self.__dict__.get("_invalidations")) is not None:
            local.forget()
        if not self.key_prefix:
            return super().clear()
        return self.delete_pattern("*", itersize=1000)

    def redis(self):
        """The underlying redis.Redis client (for pub/sub), from django-redis's client API."""
        return self.client.get_client(write=True)


class Invalidations:
    """This worker's copy of the page-cache generation and of recently served pages.

    Publishing increments the generation in Redis and announces the new value on a channel.
    Each request first reads whatever announcements have arrived (a non-blocking read of a
    socket that Redis has already written to before the publisher got its answer), so a page
    published through another app server is never served stale from here. If the
    subscription breaks, or nothing was heard for a while, the generation is read from Redis
    again; until it is known, nothing is served from this worker's memory.
    """

    RECHECK_SECONDS = 1.0
    MAX_PAGES = 128  # per worker; the module has a few dozen public pages

    def __init__(self, cache, key, channel):
        self.cache, self.key, self.channel = cache, key, channel
        self.lock = threading.Lock()
        self.pubsub = None
        self.generation = None
        self.checked_at = 0.0
        self.pages = OrderedDict()

    def current(self):
        """The generation now in force, or None when it cannot be known (Redis away)."""
        with self.lock:
            try:
                self._listen()
                if (
                    self.generation is None
                    or time.monotonic() - self.checked_at > self.RECHECK_SECONDS
                ):
                    self._read()
            except (RedisError, OSError):
                logger.warning("Page cache invalidations unavailable", exc_info=True)
                self._reset()
            return self.generation

    def _listen(self):
        if self.pubsub is None:
            self.pubsub = self.cache.redis().pubsub()
            self.pubsub.subscribe(self.channel)
            # Wait until subscribed before reading the generation, or a publish in between
            # would go unheard; whatever was known before may have been missed.
            confirmed = self.pubsub.get_message(timeout=2)
            if not confirmed or confirmed["type"] != "subscribe":
                raise RedisError("no confirmation of the subscription")
            self.generation = None
        while message := self.pubsub.get_message(timeout=0):
            if message["type"] == "message":
                self.generation = max(int(message["data"]), self.generation or 0)

    def _read(self):
        value = self.cache.get(self.key)
        if value is None:
            # Gone (Redis restarted): start from a value never used before, so pages kept
            # under an old generation can never match a new one.
            self.cache.add(self.key, fresh_generation(), timeout=None)
            value = self.cache.get(self.key)
        self.generation = value  # None (nothing served from memory) if Redis went away
        self.checked_at = time.monotonic()

    def _reset(self):
        if self.pubsub is not None:
            with contextlib.suppress(RedisError, OSError):
                self.pubsub.close()
        self.pubsub, self.generation = None, None
        self.pages.clear()

    def forget(self):
        """Drop what this worker knows: the next request reads the generation again."""
        with self.lock:
            self.generation = None
            self.pages.clear()

    def page(self, key, generation):
        entry, until = self.pages.get(key, (None, None))
        if entry is None or entry[0] != generation:
            return None
        return entry if until is None or time.monotonic() < until else None

    def keep(self, key, entry, seconds=None):
        """Keep a page for this worker, for at most ``seconds`` (the page cache's own expiry:
        a page is kept no longer here than the shared cache keeps it)."""
        until = None if seconds is None else time.monotonic() + seconds
        with self.lock:
            self.pages[key] = (entry, until)
            self.pages.move_to_end(key)
            while len(self.pages) > self.MAX_PAGES:
                self.pages.popitem(last=False)


def invalidations(cache):
    """The worker's Invalidations for a Redis cache; None for other caches (one process)."""
    if not isinstance(cache, RedisCache):
        return None
    if (found := cache.__dict__.get("_invalidations")) is None:
        key, channel = GENERATION_KEY, cache.make_key("pages:changed")
        found = cache.__dict__.setdefault("_invalidations", Invalidations(cache, key, channel))
    return found


GENERATION_KEY = "pages:generation"


def fresh_generation():
    """A first generation never used before: the time in microseconds. Not nanoseconds:
    django-redis increments in a Lua script, whose numbers are doubles, so a count above
    2**53 (nanoseconds since 1970 are ~1.8e18) would come back rounded."""
    return time.time_ns() // 1000


def bump_generation(cache):
    """Make every cached page stale, in every worker (see Invalidations)."""
    try:
        try:
            value = cache.incr(GENERATION_KEY)
        except ValueError:  # not there yet (first change, or Redis restarted): start fresh
            cache.add(GENERATION_KEY, fresh_generation(), timeout=None)
            value = cache.incr(GENERATION_KEY)
        if isinstance(cache, RedisCache):
            cache.redis().publish(cache.make_key("pages:changed"), value)
    except Exception:
        logger.exception("Could not invalidate the page cache")
