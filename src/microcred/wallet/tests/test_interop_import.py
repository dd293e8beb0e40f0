"""Credentials signed by the independent Node stack (../shared/interop, the Digital Bazaar
libraries the DCC wallet uses) import into the wallet and verify; a tampered one is refused."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest
from tests.interop.conftest import NodeInterop, node_interop  # noqa: F401 (the fixture)

from microcred.wallet import services
from microcred.wallet.models import WalletCredential
from microcred.wallet.tests.conftest import make_learner

pytestmark = [pytest.mark.django_db, pytest.mark.interop, pytest.mark.xdist_group("interop")]
SUITES = ("eddsa-rdfc-2022", "eddsa-jcs-2022", "Ed25519Signature2020")


def test_node_signed_credentials_import_and_verify(
    learner: Any,
    node_interop: NodeInterop,  # noqa: F811
    tmp_path: Path,
) -> None:
    for suite in SUITES:
        # The same credential ids in each suite: one learner per suite (else: duplicates).
        owner = make_learner(f"learner-{suite}", f"{suite.lower()}@example.org")
        files = node_interop.sign(tmp_path / suite, suite=suite, n=2)
        for path in files:
            [result] = services.import_bytes(
                owner, path.read_bytes(), source="upload", name=path.name
            )
            assert result.state == "added", (path, result.message, result.report)
        verdicts = WalletCredential.objects.filter(owner=owner).values_list("verdict", flat=True)
        assert list(verdicts) == ["valid", "valid"], suite

    document = json.loads(files[0].read_text(encoding="utf-8"))  # an Ed25519Signature2020 one
    document["credentialSubject"]["achievement"]["name"] = "Something else"
    document["id"] = "urn:uuid:00000000-0000-4000-8000-00000000beef"
    [tampered] = services.import_bytes(
        learner, json.dumps(document).encode(), source="paste", name="tampered"
    )
    assert tampered.state == "refused" and "Not valid" in tampered.message
