"""A Redis cache that fails open: when Redis is down or hanging, the site carries on without it.

The cache holds nothing the public journey cannot do without (rate-limit counters, hints), so a
complaint must never be refused because Redis is unreachable. Every operation that fails logs a
warning and answers as if the key were absent. After a failure the cache stops trying Redis for a
few seconds, so one unreachable server costs one short socket timeout, not one per call.
"""

import logging
import threading
import time

from django.core.cache.backends.redis import RedisCache

logger = logging.getLogger(__name__)

_lock = threading.Lock()
_down_until: dict[str, float] = {}


def redis_recently_down(location: str) -> bool:
    """Whether a cache call to this Redis failed within the last few seconds (in this process)."""
    with _lock:
        return _down_until.get(location, 0.0) > time.monotonic()


def _mark_down(location: str, seconds: float) -> None:
    with _lock:
        _down_until[location] = time.monotonic() + seconds


class FailOpenRedisCache(RedisCache):
    """RedisCache whose failures are logged and treated as misses; see the module docstring."""

    def __init__(self, server, params):
        options = dict(params.get("OPTIONS", {}))
        self._retry_after = float(options.pop("RETRY_AFTER_SECONDS", 5.0))
        super().__init__(server, {**params, "OPTIONS": options})
        self._location = server if isinstance(server, str) else ",".join(server)

    def _guarded(self, operation: str, call, fallback):
        if redis_recently_down(self._location):
            return fallback()
        try:
            return call()
        except Exception as exc:  # redis-py raises ConnectionError, TimeoutError, ResponseError, ...
            _mark_down(self._location, self._retry_after)
            logger.warning(
                "Cache %s failed (%s: %s); carrying on without the cache for %.0f s",
                operation,
                type(exc).__name__,
                exc,
                self._retry_after,
            )
            return fallback()

    def add(self, key, *args, **kwargs):
        return self._guarded("add", lambda: super(FailOpenRedisCache, self).add(key, *args, **kwargs), lambda: False)

    def get(self, key, default=None, version=None):
        return self._guarded(
            "get", lambda: super(FailOpenRedisCache, self).get(key, default, version), lambda: default
        )

    def set(self, key, *args, **kwargs):
        return self._guarded("set", lambda: super(FailOpenRedisCache, self).set(key, *args, **kwargs), lambda: None)

    def touch(self, key, *args, **kwargs):
        return self._guarded(
            "touch", lambda: super(FailOpenRedisCache, self).touch(key, *args, **kwargs), lambda: False
        )

    def delete(self, key, version=None):
        return self._guarded("delete", lambda: super(FailOpenRedisCache, self).delete(key, version), lambda: False)

    def get_many(self, keys, version=None):
        return self._guarded("get_many", lambda: super(FailOpenRedisCache, self).get_many(keys, version), dict)

    def has_key(self, key, version=None):
        return self._guarded(
            "has_key", lambda: super(FailOpenRedisCache, self).has_key(key, version), lambda: False
        )

    def incr(self, key, delta=1, version=None):
        def missing():
            # What every cache backend does for an absent key; callers such as the rate limiter
            # treat it as "no count available" and, with RATELIMIT_FAIL_OPEN, let the request in.
            raise ValueError(f"Key '{key}' not found (the cache is unavailable)")

        return self._guarded("incr", lambda: super(FailOpenRedisCache, self).incr(key, delta, version), missing)

    def set_many(self, data, *args, **kwargs):
        return self._guarded(
            "set_many", lambda: super(FailOpenRedisCache, self).set_many(data, *args, **kwargs), lambda: list(data)
        )

    def delete_many(self, keys, version=None):
        return self._guarded(
            "delete_many", lambda: super(FailOpenRedisCache, self).delete_many(keys, version), lambda: None
        )

    def clear(self):
        return self._guarded("clear", lambda: super(FailOpenRedisCache, self).clear(), lambda: False)
