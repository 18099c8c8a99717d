"""Django's Redis cache made fit for the page cache (site/tpmsite/ops/cache.py).

- ``FailSafeRedisCache``: Redis being away is a cache miss, logged, never an error page; the
  database can answer everything the cache would (Wagtail keeps site root paths in the cache,
  so without this every page would fail with Redis).
- ``ReusingRedisCacheClient``: Django makes a new redis.Redis object for every cache call,
  which costs about as much as serving a static file; one per pool is enough (thread-safe).
- ``Invalidations``: each worker's view of the page-cache generation, kept current by a
  Redis pub/sub subscription read on each request, so a cached page can be served from the
  worker's own memory without a Redis round trip yet never after a publish.
"""

import contextlib
import functools
import logging
import threading
import time
from collections import OrderedDict

from django.core.cache.backends.redis import RedisCache, RedisCacheClient
from redis.exceptions import RedisError

logger = logging.getLogger(__name__)


class ReusingRedisCacheClient(RedisCacheClient):
    def get_client(self, key=None, *, write=False):
        pool = self._get_connection_pool(write)
        clients = self.__dict__.setdefault("_clients", {})
        if (client := clients.get(id(pool))) is None:
            client = clients[id(pool)] = self._client(connection_pool=pool)
        return client


class FailSafeRedisCache(RedisCache):
    def __init__(self, server, params):
        super().__init__(server, params)
        self._class = ReusingRedisCacheClient

    def redis(self):
        """The underlying redis.Redis client (for pub/sub)."""
        return self._cache.get_client(write=True)

    def clear(self):
        """Empty the cache, and this worker's copies of it (its generation is re-read).

        Django's clear() flushes the whole Redis database; with a KEY_PREFIX only keys under
        it go, so sites (or parallel test workers) can share one database."""
        if (local := self.__dict__.get("_invalidations")) is not None:
            local.forget()
        if not self.key_prefix:
            return super().clear()
        client = self.redis()
        keys = list(client.scan_iter(match=f"{self.key_prefix}:*", count=1000))
        for start in range(0, len(keys), 1000):
            client.delete(*keys[start : start + 1000])
        return bool(keys)


def _fail_safe(name, fallback):
    method = FailSafeRedisCache.__dict__.get(name) or getattr(RedisCache, name)

    @functools.wraps(method)
    def wrapper(self, *args, **kwargs):
        try:
            return method(self, *args, **kwargs)
        except RedisError:
            logger.warning("Cache unavailable for %s; carrying on without it", name, exc_info=True)
            return fallback(*args, **kwargs) if callable(fallback) else fallback

    setattr(FailSafeRedisCache, name, wrapper)


for _name, _fallback in {
    "get": lambda key, default=None, version=None: default,
    "get_many": {},
    "has_key": False,
    "add": False,
    "set": None,
    "set_many": [],
    "touch": False,
    "delete": False,
    "delete_many": None,
    "clear": None,
}.items():
    _fail_safe(_name, _fallback)


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
            self.cache.add(self.key, time.time_ns(), timeout=None)
            value = self.cache.get(self.key)
        self.generation = value
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
    if not isinstance(cache, FailSafeRedisCache):
        return None
    if (found := cache.__dict__.get("_invalidations")) is None:
        key, channel = GENERATION_KEY, cache.make_key("pages:changed")
        found = cache.__dict__.setdefault("_invalidations", Invalidations(cache, key, channel))
    return found


GENERATION_KEY = "pages:generation"


def bump_generation(cache):
    """Make every cached page stale, in every worker (see Invalidations)."""
    try:
        try:
            value = cache.incr(GENERATION_KEY)
        except ValueError:  # not there yet (first change, or Redis restarted): start fresh
            cache.add(GENERATION_KEY, time.time_ns(), timeout=None)
            value = cache.incr(GENERATION_KEY)
        if isinstance(cache, FailSafeRedisCache):
            cache.redis().publish(cache.make_key("pages:changed"), value)
    except Exception:
        logger.exception("Could not invalidate the page cache")
