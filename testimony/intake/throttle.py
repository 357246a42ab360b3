"""Global rate limits, kept without any per-client key: no IP address is ever seen or stored."""

from __future__ import annotations

import time

from django.core.cache import cache


def take(bucket: str, *, per_minute: int, now: float | None = None) -> bool:
    """Count one event in ``bucket`` for the current minute; False once the limit is passed."""
    window = int((time.time() if now is None else now) // 60)
    key = f"throttle:{bucket}:{window}"
    cache.add(key, 0, timeout=120)
    try:
        count = cache.incr(key)
    except ValueError:
        # The key expired between add and incr: a new window has begun.
        cache.add(key, 1, timeout=120)
        count = 1
    return count <= per_minute


def used(bucket: str, *, now: float | None = None) -> int:
    window = int((time.time() if now is None else now) // 60)
    return int(cache.get(f"throttle:{bucket}:{window}", 0))
