"""A per-address budget of credentials per minute, shared by the portal and the API.

Verification is public (an employer has no account) and CPU-bound, so one address may
verify at most ``MICROCRED_VERIFY_RATE_PER_MINUTE`` credentials per clock minute; a batch
costs one unit per input. The counters are the platform's rate-limit counters
(``microcred.platform.ratelimit``): shared by every app process, and the address is the
client's even behind a trusted proxy (``MICROCRED_TRUSTED_PROXIES``).
"""

from __future__ import annotations

from microcred.platform import ratelimit
from microcred.platform.ratelimit import Decision, Rate

WINDOW = 60


def spend(address: str, cost: int, limit: int) -> Decision:
    """Take ``cost`` units from ``address``'s budget for this minute; refused when it is
    spent. A request that would go over is refused whole and uses nothing."""
    rate = Rate(limit, WINDOW) if limit > 0 else None
    return ratelimit.hit("verify", address, rate, cost)
