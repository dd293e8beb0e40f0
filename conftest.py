"""Project-wide pytest setup: the `storage` marker (the configuration defaults to "test"
under pytest, see microcred.platform.config)."""

from __future__ import annotations

import pytest


def pytest_collection_modifyitems(config: pytest.Config, items: list[pytest.Item]) -> None:
    """Tests that touch the database carry the `storage` marker, so that `make test` can run
    them a second time on PostgreSQL."""
    for item in items:
        fixtures = set(getattr(item, "fixturenames", ()))
        if item.get_closest_marker("django_db") or {"db", "transactional_db"} & fixtures:
            item.add_marker(pytest.mark.storage)


@pytest.fixture(autouse=True)
def _fresh_cache() -> None:
    """Each test starts with an empty cache: the rate limits (microcred.platform.limits and
    allauth's; on in tests, with their production defaults, in a per-process memory cache)
    must not carry over from one test to the next."""
    from django.core.cache import cache

    cache.clear()


@pytest.fixture
def frozen_rate_clock(monkeypatch: pytest.MonkeyPatch) -> float:
    """Stops the rate-limit windows' clock (they are aligned to it): a test that trips a limit
    with real requests would otherwise fail whenever its requests straddle a window edge."""
    from microcred.platform import ratelimit

    now = 1_800_000_000.0
    monkeypatch.setattr(ratelimit, "clock", lambda: now)
    return now
