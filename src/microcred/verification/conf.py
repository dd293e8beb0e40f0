"""The verification portal's limits and network options, as Django settings with defaults.

``MICROCRED_VERIFY_MAX_BYTES``          total size of one request (page or API), 20 MiB
``MICROCRED_VERIFY_MAX_PAGE_ITEMS``     inputs and credentials shown on one page, 100
``MICROCRED_VERIFY_MAX_API_ITEMS``      credentials in one API request, 1,000
``MICROCRED_VERIFY_RATE_PER_MINUTE``    credentials one client address may verify per minute
                                        (page and API together; 0 turns the limit off), 3,000
``MICROCRED_VERIFY_ALLOW_PRIVATE_NETWORK``  fetch from loopback/private addresses (tests, demos)
``MICROCRED_VERIFY_FETCH_TIMEOUT``      seconds for one remote fetch, 5
``MICROCRED_VERIFY_FETCH_BUDGET``       seconds of remote fetching per request, after which
                                        further fetches fail with a message saying so, 30
"""

from __future__ import annotations

from dataclasses import dataclass

from django.conf import settings

MIB = 1024 * 1024


@dataclass(frozen=True)
class Limits:
    max_bytes: int
    max_page_items: int
    max_api_items: int
    rate_per_minute: int
    allow_private_network: bool
    fetch_timeout: float
    fetch_budget: float


def limits() -> Limits:
    """Read on every request, so that tests (and ``override_settings``) can change them."""
    return Limits(
        max_bytes=int(getattr(settings, "MICROCRED_VERIFY_MAX_BYTES", 20 * MIB)),
        max_page_items=int(getattr(settings, "MICROCRED_VERIFY_MAX_PAGE_ITEMS", 100)),
        max_api_items=int(getattr(settings, "MICROCRED_VERIFY_MAX_API_ITEMS", 1000)),
        rate_per_minute=int(getattr(settings, "MICROCRED_VERIFY_RATE_PER_MINUTE", 3000)),
        allow_private_network=bool(
            getattr(settings, "MICROCRED_VERIFY_ALLOW_PRIVATE_NETWORK", False)
        ),
        fetch_timeout=float(getattr(settings, "MICROCRED_VERIFY_FETCH_TIMEOUT", 5.0)),
        fetch_budget=float(getattr(settings, "MICROCRED_VERIFY_FETCH_BUDGET", 30.0)),
    )


def size_text(count: int) -> str:
    """``20 MiB`` / ``512 KiB`` / ``80 bytes``: limits named the way people read them."""
    if count >= MIB and count % MIB == 0:
        return f"{count // MIB} MiB"
    if count >= MIB:
        return f"{count / MIB:.1f} MiB"
    if count >= 1024:
        return f"{count // 1024} KiB"
    return f"{count} bytes"
