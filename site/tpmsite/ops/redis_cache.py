"""The shared cache in Redis, through django-redis (site/tpmsite/ops/cache.py keeps whole pages
in it).

Redis being away is a cache miss, logged, never an error page: the settings give django-redis
``IGNORE_EXCEPTIONS`` and ``DJANGO_REDIS_LOG_IGNORED_EXCEPTIONS`` (Wagtail keeps site root
paths in the cache, so without this every page would fail with Redis).
"""

from django_redis.cache import RedisCache as DjangoRedisCache


class RedisCache(DjangoRedisCache):
    """django-redis 7.0.0's cache with one change: ``clear()`` deletes only the keys under
    this cache's KEY_PREFIX. django-redis's clear() is FLUSHDB whatever the prefix, which
    would empty the cache of every site (or parallel test worker, settings/test.py) sharing
    the Redis database; its own ``delete_pattern`` does the prefix-only delete (SCAN, not
    KEYS) and, like every call here, is a logged no-op when Redis is away."""

    def clear(self):
        if not self.key_prefix:
            return super().clear()
        return self.delete_pattern("*", itersize=1000)
