"""The SSRF-safe HTTP fetcher used for status lists, did:web documents and hosted credentials."""

from __future__ import annotations

import pytest

from microcred.core.errors import FetchError
from microcred.net import HttpFetcher
from tests.localserver import serve


def test_refuses_loopback_unless_allowed() -> None:
    with serve({"/list": (200, {}, b"{}")}) as base:
        with pytest.raises(FetchError, match="only https"):
            HttpFetcher().fetch(f"{base}/list")
        with pytest.raises(FetchError, match=r"non-public address 127\.0\.0\.1"):
            HttpFetcher(allow_http=True).fetch(f"{base}/list")
        assert HttpFetcher(allow_private=True).fetch(f"{base}/list") == b"{}"


def test_refuses_private_addresses_by_name() -> None:
    for url in (
        "https://127.0.0.1/x",
        "https://10.0.0.1/x",
        "https://[::1]/x",
        "https://169.254.169.254/x",
    ):
        with pytest.raises(FetchError, match="non-public"):
            HttpFetcher().fetch(url)


def test_http_errors_and_size_limit() -> None:
    routes = {"/missing": (404, {}, b"no"), "/big": (200, {}, b"x" * 5000)}
    with serve(routes) as base:
        fetcher = HttpFetcher(allow_private=True, max_bytes=1000)
        with pytest.raises(FetchError, match="HTTP 404"):
            fetcher.fetch(f"{base}/missing")
        with pytest.raises(FetchError, match="larger than 1000 bytes"):
            fetcher.fetch(f"{base}/big")


def test_redirects_are_followed_and_bounded() -> None:
    routes = {
        "/a": (302, {"Location": "/b"}, b""),
        "/b": (200, {}, b"done"),
        "/loop": (302, {"Location": "/loop"}, b""),
    }
    with serve(routes) as base:
        fetcher = HttpFetcher(allow_private=True)
        assert fetcher.fetch(f"{base}/a") == b"done"
        with pytest.raises(FetchError, match="redirects"):
            fetcher.fetch(f"{base}/loop")


def test_unreachable_host_is_a_fetch_error() -> None:
    with pytest.raises(FetchError):
        HttpFetcher(allow_private=True, timeout=2).fetch("http://127.0.0.1:9/nothing")


def test_a_redirect_to_a_private_address_is_refused(monkeypatch: pytest.MonkeyPatch) -> None:
    """A public server answering with a redirect into the private network: every hop is
    checked again (here the test server plays the public host)."""
    from microcred import net

    real = net._is_public
    monkeypatch.setattr(net, "_is_public", lambda address: address == "127.0.0.1" or real(address))
    routes = {"/a": (302, {"Location": "http://10.0.0.1/admin"}, b"")}
    refused = r"10\.0\.0\.1/admin: refused, .* non-public"
    with serve(routes) as base, pytest.raises(FetchError, match=refused):
        HttpFetcher(allow_http=True).fetch(f"{base}/a")
