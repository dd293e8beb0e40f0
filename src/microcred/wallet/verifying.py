"""How the wallet verifies: the core verifier, with the platform's own status lists and
DID documents answered from the database and everything else fetched through the
SSRF-safe ``HttpFetcher``.

Private and loopback addresses are refused unless the Django setting
``MICROCRED_WALLET_ALLOW_PRIVATE_URLS`` is True (tests and local demos, never production):
a learner must not be able to make the server fetch from its own network, neither with a
URL to import nor with a status-list URL inside a credential.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

from django.conf import settings

from microcred.core.errors import FetchError
from microcred.core.verify.entry import verify_any
from microcred.core.verify.fetcher import Fetcher, StaticFetcher
from microcred.core.verify.report import VerificationReport
from microcred.core.verify.verifier import VerifyOptions
from microcred.credentials.selectors import platform_fetcher
from microcred.net import HttpFetcher

#: an imported file or a fetched URL is refused above this size
MAX_IMPORT_BYTES = 2 * 1024 * 1024


class PlatformFirstFetcher:
    """Answer from the platform's own rows first, then from the network. Status lists are
    looked up by URL when asked for (a zip may hold credentials of several providers); the
    issuer's did:web document of the credential in hand is preloaded."""

    def __init__(self, local: StaticFetcher, remote: Fetcher) -> None:
        self.local, self.remote = local, remote

    def fetch(self, url: str) -> bytes:
        for source in (
            self.local,
            platform_fetcher({"credentialStatus": {"statusListCredential": url}}),
        ):
            try:
                return source.fetch(url)
            except FetchError:
                pass
        return self.remote.fetch(url)


def allow_private() -> bool:
    return bool(getattr(settings, "MICROCRED_WALLET_ALLOW_PRIVATE_URLS", False))


def http_fetcher() -> HttpFetcher:
    return HttpFetcher(allow_private=allow_private(), timeout=10.0, max_bytes=MAX_IMPORT_BYTES)


@contextmanager
def options_for(document: dict[str, Any] | None) -> Iterator[VerifyOptions]:
    """Verify options for one credential (its platform lists preloaded), closed after use."""
    remote = http_fetcher()
    local = platform_fetcher(document) if document else StaticFetcher()
    try:
        yield VerifyOptions(fetcher=PlatformFirstFetcher(local, remote))
    finally:
        remote.close()


def fetch_url(url: str) -> bytes:
    """The body behind a URL a learner gave, or FetchError saying why not."""
    fetcher = http_fetcher()
    try:
        return fetcher.fetch(url)
    finally:
        fetcher.close()


def verify(data: bytes, *, name: str, document: dict[str, Any] | None) -> list[VerificationReport]:
    """The core's reports on ``data`` (a presentation: its own report, then one per credential)."""
    with options_for(document) as options:
        return verify_any(data, name=name, options=options)
