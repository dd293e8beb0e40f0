"""Offline material for verifying the shared fixtures: keys, status lists and DID documents."""

from __future__ import annotations

import json
import re
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from microcred.core.crypto.did import did_web_url
from microcred.core.verify.fetcher import StaticFetcher
from microcred.core.verify.verifier import VerifyOptions
from tests.conftest import EXAMPLES, VECTORS

TESTLIST_URL = (
    "https://raw.githubusercontent.com/1EdTech/digital-credentials-public-validator/refs/heads/"
    "main/inspector-vc/src/test/resources/ob30/bit-string-list/testlist"
)
_HTTPS_VM = re.compile(r'"verificationMethod"\s*:\s*"(https://[^"#]+#(z6Mk[1-9A-HJ-NP-Za-km-z]+))"')


def fragment_keys() -> dict[str, Any]:
    """The `--keys` map a tester builds for the 1EdTech fixtures: their https verification
    methods end in the public key itself (as the interop README describes). Trusting a key
    because its URL says so is only acceptable in tests, which is why this lives here."""
    keys: dict[str, Any] = {}
    for path in EXAMPLES.rglob("*.json"):
        for vm_id, multibase in _HTTPS_VM.findall(path.read_text(encoding="utf-8")):
            keys[vm_id] = {
                "id": vm_id,
                "type": "Multikey",
                "controller": vm_id.split("#", 1)[0],
                "publicKeyMultibase": multibase,
            }
    return keys


def offline_fetcher() -> StaticFetcher:
    """The 1EdTech status list and the DCC did:web documents, as if fetched."""
    fetcher = StaticFetcher()
    testlist = VECTORS / "bitstring-status-list" / "1edtech-validator-testlist.json"
    fetcher.add(TESTLIST_URL, testlist.read_bytes())
    for name in ("legacy", "oidf"):
        path = EXAMPLES / "dcc" / "vc-test-fixtures" / "dids" / name / "did.json"
        document = json.loads(path.read_text(encoding="utf-8"))
        fetcher.add(did_web_url(document["id"]), path.read_bytes())
    add_ob2_assets(fetcher)
    return fetcher


OB2 = EXAMPLES / "ob_v2p0" / "validator"
#: where the hosted OB 2.0 fixtures live (basic-assertion.json is the hosted one)
OB2_HOSTED_URL = "https://example.org/beths-robotics-badge.json"


def add_ob2_assets(fetcher: StaticFetcher) -> None:
    """The 1EdTech OB 2.0 assets (badge classes, issuers, key, revocation list) at their ids,
    and basic-assertion.json at its own id, as the validator's tests serve them."""
    for path in sorted(OB2.glob("assets-*.json")):
        fetcher.add(json.loads(path.read_text(encoding="utf-8"))["id"], path.read_bytes())
    fetcher.add(OB2_HOSTED_URL, (OB2 / "basic-assertion.json").read_bytes())


# A fixed clock: verdicts on "notExpired" fixtures must not change with the calendar.
NOW = datetime(2026, 11, 28, 12, 0, tzinfo=UTC)


def offline_options(**overrides: Any) -> VerifyOptions:
    overrides.setdefault("now", NOW)
    return VerifyOptions(fetcher=offline_fetcher(), local_keys=fragment_keys(), **overrides)


def example(relative: str) -> Path:
    return EXAMPLES / relative
