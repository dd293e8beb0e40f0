"""A per-address budget of credentials per minute, shared by the portal and the API.

Verification is public (an employer has no account) and CPU-bound, so one address may
verify at most ``MICROCRED_VERIFY_RATE_PER_MINUTE`` credentials per clock minute; a batch
costs one unit per input. Counters live in Django's cache: per process with the default
local-memory cache, shared between processes with a shared cache (Redis, Memcached,
database). The address is ``REMOTE_ADDR``: behind a reverse proxy, configure the proxy and
the application server so that it is the client's.
"""

from __future__ import annotations

import time

from django.core.cache import cache

WINDOW = 60


def retry_after(now: float | None = None) -> int:
    moment = time.time() if now is None else now
    return max(1, WINDOW - int(moment) % WINDOW)


def spend(address: str, cost: int, limit: int) -> bool:
    """Take ``cost`` units from ``address``'s budget for this minute; False when it is spent.
    A request that would go over is refused whole and uses nothing."""
    if limit <= 0:
        return True
    key = f"verify-rate:{address}:{int(time.time()) // WINDOW}"
    cache.add(key, 0, timeout=WINDOW * 2)
    try:
        used = cache.incr(key, cost)
    except ValueError:  # the key expired between add and incr
        cache.set(key, cost, timeout=WINDOW * 2)
        used = cost
    if used > limit:
        cache.decr(key, cost)
        return False
    return True
