"""Verification never opens a socket unless a fetcher is given one: contexts are bundled,
did:key is local, and what would need the network is reported, not fetched."""

from __future__ import annotations

import socket
from typing import Any

import pytest

from microcred.core.verify.verifier import VerifyOptions, verify_bytes
from tests.conftest import EXAMPLES


class _NoSockets(Exception):
    pass


@pytest.fixture
def no_sockets(monkeypatch: pytest.MonkeyPatch) -> None:
    def refuse(*args: Any, **kwargs: Any) -> None:
        raise _NoSockets("a socket was opened")

    monkeypatch.setattr(socket, "socket", refuse)
    monkeypatch.setattr(socket, "create_connection", refuse)
    monkeypatch.setattr(socket, "getaddrinfo", refuse)


@pytest.mark.parametrize(
    "relative",
    [
        "ob_v3p0/validator/complete.json",  # https key, remote status list, endorsements
        "ob_v3p0/validator/simple-did-web-method.json",
        "ob_v3p0/validator/simple-jwt.png",
        "dcc/vc-test-fixtures/verifiableCredentials/v2/dataIntegrityProof/didKey/oidf-revokedStatus-noExpiry.json",
    ],
)
def test_default_verification_is_offline(no_sockets: None, relative: str) -> None:
    report = verify_bytes(
        (EXAMPLES / relative).read_bytes(), name=relative, options=VerifyOptions()
    )
    assert report.checks
    assert all(check.message for check in report.checks)
