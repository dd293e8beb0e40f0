"""Where the portal's remote lookups come from: this platform's own documents straight from
the database, everything else through the SSRF-safe :class:`~microcred.net.HttpFetcher`.

Answering our own status lists, did:web documents and credential URLs from the database is
what the public credential page does too (``credentials.selectors.platform_fetcher``): the
answer is the same as over HTTP, and a server with one worker cannot wait on itself.
Within one request each URL is fetched once (a batch of 1,000 credentials shares a status
list), and remote fetching stops after a time budget so that a slow server cannot hold a
request for 100 × the timeout.
"""

from __future__ import annotations

import json
import time
from urllib.parse import unquote, urlsplit

from django.conf import settings
from django.http import Http404
from django.urls import Resolver404, resolve

from microcred.core.crypto.did import did_web_url
from microcred.core.errors import FetchError, InputError
from microcred.core.verify.fetcher import Fetcher
from microcred.credentials import documents, statuslists
from microcred.credentials import selectors as credential_selectors
from microcred.credentials.models import StatusList
from microcred.net import HttpFetcher
from microcred.providers import selectors as provider_selectors
from microcred.providers.models import Provider
from microcred.verification.conf import Limits

CREDENTIAL_VIEWS = ("credentials:credential", "credentials:json")


def _did_of_web_url(url: str) -> str | None:
    """The did:web DID whose document lives at ``url`` (the inverse of ``did_web_url``)."""
    parts = urlsplit(url)
    if parts.scheme != "https" or not parts.netloc or not parts.path.endswith("/did.json"):
        return None
    host = parts.netloc.replace(":", "%3A")
    path = parts.path[1 : -len("/did.json")]
    if path == ".well-known":
        return f"did:web:{host}"
    return "did:web:" + ":".join([host, *path.split("/")]) if path else None


class PlatformDocuments:
    """This platform's public documents, read from the database (None: not ours)."""

    def fetch(self, url: str) -> bytes | None:
        row = StatusList.objects.select_related("provider").filter(url=url).first()
        if row is not None:
            return json.dumps(statuslists.signed_list(row)).encode()
        did = _did_of_web_url(url)
        if did is not None:
            provider = Provider.objects.filter(did=did, did_method="web").first()
            if provider is not None and _serves(did, url):
                return json.dumps(provider_selectors.did_document(provider)).encode()
        return self._credential(url)

    def _credential(self, url: str) -> bytes | None:
        base = str(settings.MICROCRED_BASE_URL).rstrip("/")
        if not url.startswith(base + "/"):
            return None
        try:
            match = resolve(unquote(urlsplit(url).path))
        except Resolver404:
            return None
        if match.view_name == "sharing:shared":  # a learner's share link: its presentation
            from microcred.sharing.services import local_presentation

            return local_presentation(url, match.kwargs["token"])
        if match.view_name not in CREDENTIAL_VIEWS:
            return None
        try:
            row = credential_selectors.credential_by_uuid(match.kwargs["credential_uuid"])
        except Http404:
            raise FetchError(f"{url}: HTTP 404 (no such credential on this platform)") from None
        return documents.payload(row.document).encode("utf-8")


def _serves(did: str, url: str) -> bool:
    try:
        return bool(did_web_url(did) == url)
    except InputError:
        return False


class PortalFetcher:
    """One per request: platform documents first, then the network, each URL once."""

    def __init__(self, limits: Limits, remote: Fetcher | None = None) -> None:
        self._local = PlatformDocuments()
        self._limits = limits
        # Made on first use: an httpx client loads its TLS context (tens of milliseconds),
        # which a request that needs nothing remote should not pay.
        self._remote = remote
        self._deadline = time.monotonic() + limits.fetch_budget
        self._budget = limits.fetch_budget
        self._seen: dict[str, bytes | FetchError] = {}

    def fetch(self, url: str) -> bytes:
        if url not in self._seen:
            self._seen[url] = self._fetch_once(url)
        found = self._seen[url]
        if isinstance(found, FetchError):
            raise found
        return found

    def _fetch_once(self, url: str) -> bytes | FetchError:
        try:
            local = self._local.fetch(url)
            if local is not None:
                return local
            if time.monotonic() > self._deadline:
                return FetchError(
                    f"{url}: not fetched, this request already spent its {self._budget:g} s "
                    "for remote lookups"
                )
            return self._client().fetch(url)
        except FetchError as exc:
            return exc

    def _client(self) -> Fetcher:
        if self._remote is None:
            self._remote = HttpFetcher(
                allow_private=self._limits.allow_private_network,
                timeout=self._limits.fetch_timeout,
            )
        return self._remote

    def close(self) -> None:
        close = getattr(self._remote, "close", None)
        if callable(close):
            close()
