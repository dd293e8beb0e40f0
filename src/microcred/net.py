"""HttpFetcher: the real implementation of the core's Fetcher port (status lists, did:web, keys).

Fetching URLs named inside untrusted credentials is a server-side request forgery risk, so
by default the fetcher refuses anything that resolves to a private, loopback, link-local,
multicast or reserved address, follows at most a few redirects (re-checking every hop),
and stops reading at a size limit. Tests and local demos allow loopback explicitly.
"""

from __future__ import annotations

import ipaddress
import socket
from urllib.parse import urljoin, urlsplit

import httpx

from microcred.core.errors import FetchError

MAX_BYTES = 2 * 1024 * 1024
MAX_REDIRECTS = 3
ACCEPT = "application/ld+json, application/json;q=0.9, text/plain;q=0.5, */*;q=0.1"


def _is_public(address: str) -> bool:
    ip = ipaddress.ip_address(address.split("%", 1)[0])
    return ip.is_global and not ip.is_multicast


class HttpFetcher:
    """Fetch https (and, when allowed, http) URLs with SSRF protection and size limits."""

    def __init__(
        self,
        *,
        allow_private: bool = False,
        allow_http: bool = False,
        timeout: float = 10.0,
        max_bytes: int = MAX_BYTES,
    ) -> None:
        self.allow_private = allow_private
        self.allow_http = allow_http or allow_private
        self.max_bytes = max_bytes
        self._client = httpx.Client(
            timeout=timeout, follow_redirects=False, headers={"Accept": ACCEPT}
        )

    def _check_url(self, url: str) -> None:
        parts = urlsplit(url)
        allowed = ("https", "http") if self.allow_http else ("https",)
        if parts.scheme not in allowed:
            raise FetchError(f"{url}: only {' and '.join(allowed)} URLs are fetched")
        if not parts.hostname:
            raise FetchError(f"{url}: no host name")
        if self.allow_private:
            return
        try:
            infos = socket.getaddrinfo(parts.hostname, parts.port or 443, proto=socket.IPPROTO_TCP)
        except OSError as exc:
            raise FetchError(f"{url}: host {parts.hostname} not found ({exc})") from None
        for info in infos:
            address = str(info[4][0])
            if not _is_public(address):
                raise FetchError(
                    f"{url}: refused, {parts.hostname} resolves to a non-public address {address}"
                )

    def fetch(self, url: str) -> bytes:
        for _hop in range(MAX_REDIRECTS + 1):
            self._check_url(url)
            try:
                with self._client.stream("GET", url) as response:
                    if response.is_redirect and "location" in response.headers:
                        url = urljoin(url, response.headers["location"])
                        continue
                    if response.status_code != 200:
                        raise FetchError(f"{url}: HTTP {response.status_code}")
                    return self._read_limited(url, response)
            except httpx.HTTPError as exc:
                raise FetchError(f"{url}: {exc.__class__.__name__}: {exc}") from None
        raise FetchError(f"{url}: more than {MAX_REDIRECTS} redirects")

    def _read_limited(self, url: str, response: httpx.Response) -> bytes:
        body = bytearray()
        for chunk in response.iter_bytes():
            body.extend(chunk)
            if len(body) > self.max_bytes:
                raise FetchError(f"{url}: response larger than {self.max_bytes} bytes")
        return bytes(body)

    def close(self) -> None:
        self._client.close()
