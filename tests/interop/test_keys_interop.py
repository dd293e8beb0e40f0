"""Key files move between microcred and the Digital Bazaar libraries, both ways."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest

from microcred.core.crypto.keys import Ed25519KeyPair, load_key_file, save_key_file
from tests.interop.conftest import NodeInterop

pytestmark = [pytest.mark.interop, pytest.mark.xdist_group("interop")]

SCRIPT = Path(__file__).with_name("keys_roundtrip.mjs")


def test_key_files_move_between_tools(node_interop: NodeInterop, tmp_path: Path) -> None:
    # The script must sit beside node_modules for Node to resolve the package.
    script = node_interop.root / "_microcred_keys_roundtrip.mjs"
    shutil.copyfile(SCRIPT, script)
    ours = Ed25519KeyPair.generate()
    key_file = tmp_path / "ours.json"
    save_key_file(ours, key_file)
    message = b"microcred interop \x00\xff"
    signature_file, theirs_file = tmp_path / "sig.hex", tmp_path / "theirs.json"
    done = node_interop.run(
        script.name, str(key_file), message.hex(), str(signature_file), str(theirs_file)
    )
    assert done.returncode == 0, done.stderr
    # Their signature with our key verifies here (same key, same Ed25519: same bytes too).
    signature = bytes.fromhex(signature_file.read_text())
    assert ours.verify(signature, message) and signature == ours.sign(message)
    # Their exported key file loads here, keeps its identity and signs.
    exported = json.loads(theirs_file.read_text())
    theirs = load_key_file(theirs_file)
    assert theirs.has_secret and theirs.id == "did:example:node#key-1"
    assert theirs.public_key_multibase == exported["publicKeyMultibase"]
    assert theirs.verify(theirs.sign(message), message)
