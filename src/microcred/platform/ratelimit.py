"""Fixed-window rate limits shared by every app process, and who the client is.

Counters live in Django's default cache (``CACHES``, from ``MICROCRED_CACHE_URL``): the
database cache table by default, so several ``microcred serve`` processes on one database
share them with no extra service; Redis when configured; a per-process memory cache under
tests. A window is ``seconds`` long and aligned to the clock; a hit that would take the
window's count over ``count`` is refused (and not counted), and ``retry_after`` is the time
left in the window. A burst straddling two windows may reach twice the count: accepted,
these limits are about orders of magnitude (guessing passwords, scraping), not quotas.

Counting is atomic on every backend: Redis and the memory cache increment atomically; the
database cache reads then writes, so there the increment runs in a transaction that holds
a lock on the key first (PostgreSQL: an advisory lock; SQLite: the write lock that its
IMMEDIATE transactions take on BEGIN), and no concurrent hit is lost.
"""

from __future__ import annotations

import hashlib
import ipaddress
import math
import time
from collections.abc import Callable
from dataclasses import dataclass

from django.conf import settings
from django.core.cache import caches
from django.core.cache.backends.db import DatabaseCache
from django.db import connections, router, transaction
from django.http import HttpRequest

#: the clock of every window; tests replace it (``monkeypatch``) instead of sleeping
clock: Callable[[], float] = time.time


@dataclass(frozen=True)
class Rate:
    count: int
    seconds: int

    @classmethod
    def parse(cls, text: str) -> Rate | None:
        """``"20/60"`` -> 20 per 60 s; ``"0"`` (or an empty text) -> None, no limit."""
        count, _, seconds = text.strip().partition("/")
        if not count or count == "0":
            return None
        return cls(int(count), int(seconds or 60))


@dataclass(frozen=True)
class Decision:
    allowed: bool
    #: whole seconds until the window ends (at least 1); meaningful when refused
    retry_after: int


def _key(scope: str, who: str, window: int) -> str:
    # Hashed: an email address or an IPv6 address never reaches a cache key verbatim.
    digest = hashlib.sha256(who.encode()).hexdigest()[:32]
    return f"microcred:rl:{scope}:{digest}:{window}"


def _window(rate: Rate) -> tuple[int, int]:
    now = clock()
    window = int(now // rate.seconds)
    return window, max(1, math.ceil((window + 1) * rate.seconds - now))


def _add(key: str, delta: int, timeout: int) -> int:
    """Add ``delta`` to the counter ``key`` atomically; the new value."""
    cache = caches["default"]
    if isinstance(cache, DatabaseCache):
        alias = router.db_for_write(cache.cache_model_class)
        with transaction.atomic(using=alias):
            connection = connections[alias]
            if connection.vendor == "postgresql":
                lock = int(hashlib.sha256(key.encode()).hexdigest()[:15], 16)
                with connection.cursor() as cursor:
                    cursor.execute("SELECT pg_advisory_xact_lock(%s)", [lock])
            value = int(cache.get(key, 0)) + delta
            cache.set(key, value, timeout)
            return value
    cache.add(key, 0, timeout)
    try:
        return int(cache.incr(key, delta))
    except ValueError:  # expired between add and incr
        cache.set(key, delta, timeout)
        return delta


def hit(scope: str, who: str, rate: Rate | None, cost: int = 1) -> Decision:
    """Count ``cost`` for ``who`` in ``scope``; refused (and not counted) when it would go over."""
    if rate is None:
        return Decision(True, 0)
    window, retry_after = _window(rate)
    key = _key(scope, who, window)
    used = _add(key, cost, rate.seconds + 60)
    if used > rate.count:
        _add(key, -cost, rate.seconds + 60)
        return Decision(False, retry_after)
    return Decision(True, retry_after)


def spent(scope: str, who: str, rate: Rate | None) -> Decision:
    """Whether ``who`` has used up ``scope`` in this window already; counts nothing."""
    if rate is None:
        return Decision(True, 0)
    window, retry_after = _window(rate)
    return Decision(
        int(caches["default"].get(_key(scope, who, window), 0)) < rate.count, retry_after
    )


def _networks() -> list[ipaddress.IPv4Network | ipaddress.IPv6Network]:
    names = getattr(settings, "MICROCRED_TRUSTED_PROXIES", ())
    return [ipaddress.ip_network(name, strict=False) for name in names]


def _trusted(address: str, networks: list[ipaddress.IPv4Network | ipaddress.IPv6Network]) -> bool:
    try:
        ip = ipaddress.ip_address(address)
    except ValueError:
        return False
    return any(ip in network for network in networks)


def client_ip(request: HttpRequest) -> str:
    """The client's address: ``REMOTE_ADDR``, or, when that is a trusted proxy
    (``MICROCRED_TRUSTED_PROXIES``), the right-most X-Forwarded-For entry that is not one
    (entries further left are written by the client and may be forged)."""
    address = str(request.META.get("REMOTE_ADDR", ""))
    networks = _networks()
    if not networks or not _trusted(address, networks):
        return address
    forwarded = str(request.META.get("HTTP_X_FORWARDED_FOR", ""))
    for hop in reversed([part.strip() for part in forwarded.split(",") if part.strip()]):
        try:
            ipaddress.ip_address(hop)
        except ValueError:
            return address  # a malformed hop: the last trusted proxy is all we know
        address = hop
        if not _trusted(hop, networks):
            return hop
    return address
