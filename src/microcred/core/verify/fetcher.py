"""The fetcher port: every remote lookup (status lists, did:web, https keys) goes through it.

The core never opens a socket. The real, SSRF-safe implementation lives in
``microcred.net`` (httpx); tests and offline use pass a :class:`StaticFetcher`.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Protocol

from microcred.core.errors import FetchError


class Fetcher(Protocol):
    """Return the body of ``url`` or raise :class:`FetchError` saying why not."""

    def fetch(self, url: str) -> bytes: ...


class StaticFetcher:
    """A fetcher that answers from a fixed map of URL -> body (offline and in tests)."""

    def __init__(self, documents: Mapping[str, bytes] | None = None) -> None:
        self._documents = dict(documents or {})

    def add(self, url: str, body: bytes) -> None:
        self._documents[url] = body

    def fetch(self, url: str) -> bytes:
        try:
            return self._documents[url]
        except KeyError:
            raise FetchError(f"{url} is not available offline") from None


class NoFetcher:
    """Refuses every fetch: verification stays strictly offline."""

    def fetch(self, url: str) -> bytes:
        raise FetchError(f"{url} cannot be fetched: network access is off")
