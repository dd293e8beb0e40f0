"""The interop round trip with the independent Node verifier (../shared/interop).

Both directions, as the issue asks: credentials microcred signs pass `node verify.mjs` (and
tampered copies fail there), credentials `node sign.mjs` signs pass `microcred verify` (and
tampered copies fail on the proof check). Ed25519 is deterministic, so with the tool's test seed
and `created`, microcred must reproduce its proofValue byte for byte.
"""

from __future__ import annotations

import copy
import json
from pathlib import Path
from typing import Any

import pytest

from microcred.core.crypto.keys import Ed25519KeyPair, save_key_file
from tests.interop.conftest import (
    TEST_CREATED,
    TEST_SEED,
    NodeInterop,
    make_credential,
    read_json_file,
    run_microcred,
    template,
    write_json,
)

pytestmark = [pytest.mark.interop, pytest.mark.xdist_group("interop")]

DI_SUITES = ("eddsa-rdfc-2022", "eddsa-jcs-2022")
NODE_SUITES = (*DI_SUITES, "Ed25519Signature2020")
#: Strings that broke real verifiers: RDFC-1.0 escapes \b, \f, other C0 controls and U+007F
#: differently from URDNA2015; quotes, backslashes and newlines are escaped in both JSON and
#: N-Quads; non-BMP characters are surrogate pairs in UTF-16 (JCS sorts keys in UTF-16).
AWKWARD = {
    "controls": "bell\u0008back\u000cfeed\u0001start\u007fdel\u001fend",
    "quotes": "say \"hi\" and 'bye' to C:\\path\\to\\file \\n not-a-newline \\u0041",
    "lines": "line one\nline two\r\nline\tthree\n",
    "emoji": "🎓 graduated 🚀 naïve café 中文 \u2028 \U0001f9d1\u200d\U0001f4bb",
}


def awkward_credential(issuer_did: str) -> dict[str, Any]:
    credential = make_credential(template(), issuer_did, 42)
    credential["name"] = AWKWARD["controls"]
    credential["description"] = AWKWARD["quotes"]
    achievement = credential["credentialSubject"]["achievement"]
    achievement["name"] = AWKWARD["emoji"] + AWKWARD["controls"]
    achievement["description"] = AWKWARD["lines"]
    achievement["criteria"]["narrative"] = "".join(AWKWARD.values())
    achievement["tag"] = list(AWKWARD.values())
    credential["evidence"][0]["narrative"] = AWKWARD["quotes"] + AWKWARD["lines"]
    credential["issuer"]["name"] = AWKWARD["emoji"]
    return credential


def tamper_name(document: dict[str, Any]) -> dict[str, Any]:
    changed = copy.deepcopy(document)
    changed["credentialSubject"]["achievement"]["name"] += " (with honours)"
    return changed


def tamper_valid_from(document: dict[str, Any]) -> dict[str, Any]:
    # A day earlier: still a valid period, so only the signature can notice.
    changed = copy.deepcopy(document)
    changed["validFrom"] = "2025-01-14T09:30:00Z"
    return changed


def tamper_proof_value(document: dict[str, Any]) -> dict[str, Any]:
    # Swap one base58 digit in the middle: still well-formed, a different 64-byte signature.
    changed = copy.deepcopy(document)
    value = changed["proof"]["proofValue"]
    middle = len(value) // 2
    changed["proof"]["proofValue"] = (
        value[:middle] + ("2" if value[middle] != "2" else "3") + value[middle + 1 :]
    )
    return changed


@pytest.fixture(scope="module")
def issuer_key(tmp_path_factory: pytest.TempPathFactory) -> tuple[Ed25519KeyPair, Path]:
    """A fresh did:key issuer and its key file (so not only the well-known test key passes)."""
    key = Ed25519KeyPair.generate()
    path = tmp_path_factory.mktemp("keys") / "issuer.json"
    save_key_file(key, path)
    return key, path


@pytest.fixture(scope="module")
def unsigned_dir(
    tmp_path_factory: pytest.TempPathFactory, issuer_key: tuple[Ed25519KeyPair, Path]
) -> Path:
    key, _ = issuer_key
    folder = tmp_path_factory.mktemp("unsigned")
    for i in range(3):
        write_json(folder / f"cred-{i}.json", make_credential(template(), key.controller, i))
    write_json(folder / "awkward.json", awkward_credential(key.controller))
    return folder


def microcred_sign(inputs: Path, key_file: Path, suite: str, out: Path) -> list[Path]:
    done = run_microcred(
        "sign", str(inputs), "--key", str(key_file), "--suite", suite, "--out", str(out)
    )
    assert done.returncode == 0, f"microcred sign failed: {done.stderr}"
    return sorted(out.glob("*.json"))


# -- (a) microcred signs, node verifies --------------------------------------------------------
@pytest.mark.parametrize("suite", DI_SUITES)
def test_node_accepts_what_microcred_signs(
    suite: str,
    node_interop: NodeInterop,
    issuer_key: tuple[Ed25519KeyPair, Path],
    unsigned_dir: Path,
    tmp_path: Path,
) -> None:
    key, key_file = issuer_key
    signed = microcred_sign(unsigned_dir, key_file, suite, tmp_path / "signed")
    assert len(signed) == 4
    for path in signed:
        proof = read_json_file(path)["proof"]
        assert proof["cryptosuite"] == suite
        assert proof["verificationMethod"] == f"{key.controller}#{key.public_key_multibase}"
    awkward = read_json_file(tmp_path / "signed" / "awkward.json")
    assert awkward["credentialSubject"]["achievement"]["tag"] == list(AWKWARD.values())

    verdict = node_interop.verify(tmp_path / "signed")
    assert (verdict.passed, verdict.failed, verdict.returncode) == (4, 0, 0), verdict.explain()

    tampered = tmp_path / "tampered"
    tampered.mkdir()
    for path in signed:
        write_json(tampered / path.name, tamper_name(read_json_file(path)))
    verdict = node_interop.verify(tampered)
    assert (verdict.passed, verdict.failed, verdict.returncode) == (0, 4, 1), verdict.explain()


# -- (b) determinism: the same proofValue as node sign.mjs ------------------------------------
@pytest.mark.parametrize("suite", DI_SUITES)
def test_same_proof_value_as_node(suite: str, node_interop: NodeInterop, tmp_path: Path) -> None:
    from microcred.core.crypto.suites.base import sign_credential

    node_files = node_interop.sign(tmp_path / "node", suite=suite, n=3)
    key = Ed25519KeyPair.from_seed(TEST_SEED)
    for i, path in enumerate(node_files):
        theirs = read_json_file(path)
        ours = sign_credential(
            make_credential(template(), key.controller, i), key, suite=suite, created=TEST_CREATED
        )
        assert ours["proof"]["proofValue"] == theirs["proof"]["proofValue"], path.name
        assert ours == theirs


# -- (c) node signs, microcred verifies --------------------------------------------------------
def microcred_verify(*paths: Path) -> tuple[int, list[dict[str, Any]]]:
    done = run_microcred("verify", "--json", "--offline", *map(str, paths))
    assert done.returncode in (0, 1), f"microcred verify: exit {done.returncode}: {done.stderr}"
    return done.returncode, json.loads(done.stdout)


def failed_checks(report: dict[str, Any]) -> set[str]:
    return {check["check"] for check in report["checks"] if not check["ok"]}


def test_microcred_accepts_what_node_signs_and_rejects_tampering(
    node_interop: NodeInterop, tmp_path: Path
) -> None:
    originals: list[Path] = []
    for suite in NODE_SUITES:
        originals += node_interop.sign(tmp_path / suite, suite=suite, n=5)

    code, reports = microcred_verify(*(tmp_path / suite for suite in NODE_SUITES))
    assert len(reports) == 15
    assert [r for r in reports if not r["verified"]] == []
    assert code == 0
    assert all(any(c["check"] == "proof" and c["ok"] for c in r["checks"]) for r in reports)

    tampered = tmp_path / "tampered"
    tampered.mkdir()
    for path in originals:
        document = read_json_file(path)
        stem = f"{path.parent.name}-{path.stem}"
        write_json(tampered / f"{stem}-name.json", tamper_name(document))
        write_json(tampered / f"{stem}-validfrom.json", tamper_valid_from(document))
        write_json(tampered / f"{stem}-proofvalue.json", tamper_proof_value(document))
    code, reports = microcred_verify(tampered)
    assert len(reports) == 45
    assert code == 1
    for report in reports:
        # Only the signature can tell: structure, issuer and validity period still pass.
        assert not report["verified"], report["input"]
        assert failed_checks(report) == {"proof"}, report


# -- (d) bake into a PNG, unbake, still accepted by node ---------------------------------------
def test_baked_png_round_trip_passes_node(
    node_interop: NodeInterop, issuer_key: tuple[Ed25519KeyPair, Path], tmp_path: Path
) -> None:
    from PIL import Image

    key, key_file = issuer_key
    unsigned = tmp_path / "unsigned"
    unsigned.mkdir()
    write_json(unsigned / "awkward.json", awkward_credential(key.controller))
    (signed,) = microcred_sign(unsigned, key_file, "eddsa-rdfc-2022", tmp_path / "signed")
    image = tmp_path / "badge.png"
    Image.new("RGBA", (64, 64), (30, 90, 200, 255)).save(image)

    baked = tmp_path / "baked.png"
    done = run_microcred("bake", str(signed), "--image", str(image), "--out", str(baked))
    assert done.returncode == 0, done.stderr
    assert baked.read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"
    done = run_microcred("unbake", str(baked))
    assert done.returncode == 0, done.stderr
    unbaked = json.loads(done.stdout)
    assert unbaked == read_json_file(signed)

    write_json(tmp_path / "unbaked.json", unbaked)
    verdict = node_interop.verify(tmp_path / "unbaked.json")
    assert (verdict.passed, verdict.failed, verdict.returncode) == (1, 0, 0), verdict.explain()
    code, reports = microcred_verify(baked)
    assert code == 0 and reports[0]["verified"], reports


# -- (e) the EU micro-credential extension context ----------------------------------------------
@pytest.mark.parametrize("suite", DI_SUITES)
def test_node_accepts_eu_micro_credentials_given_our_context(
    suite: str,
    node_interop: NodeInterop,
    issuer_key: tuple[Ed25519KeyPair, Path],
    tmp_path: Path,
) -> None:
    """The microcred extension context is not on the network yet (the platform will serve it),
    so the independent verifier gets it from the bundled contexts folder, as any verifier
    would get it once it is published."""
    from microcred.core.crypto import documentloader

    key, key_file = issuer_key
    unsigned = tmp_path / "eu.json"
    made = run_microcred("credential", "sample", "--issuer", key.controller or "",
                         "--recipient-email", "ana@example.com", "--out", str(unsigned))  # fmt: skip
    assert made.returncode == 0, made.stderr
    assert "https://w3id.org/microcred/v1" in read_json_file(unsigned)["@context"]
    signed = tmp_path / "signed"
    signed.mkdir()
    done = run_microcred("sign", str(unsigned), "--key", str(key_file), "--suite", suite,
                         "--out", str(signed / "eu.json"))  # fmt: skip
    assert done.returncode == 0, done.stderr
    contexts = Path(documentloader.__file__).parent / "contexts"
    verdict = node_interop.verify(signed, extra=["--contexts", str(contexts)])
    assert (verdict.passed, verdict.failed) == (1, 0), verdict.explain()
    changed = read_json_file(signed / "eu.json")
    changed["credentialSubject"]["achievement"]["eqfLevel"] = "http://data.europa.eu/snb/eqf/7"
    write_json(signed / "eu.json", changed)
    verdict = node_interop.verify(signed, extra=["--contexts", str(contexts)])
    assert (verdict.passed, verdict.failed) == (0, 1), verdict.explain()
