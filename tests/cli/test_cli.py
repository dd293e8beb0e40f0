"""The `microcred` command as a user runs it: keys, credential, sign, verify; exit codes 0/1/2."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest
from typer.testing import CliRunner

from microcred.cli.main import app
from tests.conftest import EXAMPLES

runner = CliRunner()


def _run(*args: str, stdin: str | None = None) -> Any:
    return runner.invoke(app, list(args), input=stdin)


@pytest.fixture
def issuer(tmp_path: Path) -> tuple[Path, str]:
    key = tmp_path / "key.json"
    result = _run("keys", "new", "--out", str(key))
    assert result.exit_code == 0, result.output
    did = result.output.strip()
    assert did.startswith("did:key:z6Mk")
    return key, did


def _unsigned(tmp_path: Path, did: str, name: str = "cred.json") -> Path:
    out = tmp_path / name
    result = _run("credential", "sample", "--issuer", did, "--recipient-email", "a@example.com",
                  "--out", str(out))  # fmt: skip
    assert result.exit_code == 0, result.output
    return out


def test_keys_new_writes_a_multikey_file_with_the_secret(issuer: tuple[Path, str]) -> None:
    key, did = issuer
    document = json.loads(key.read_text())
    assert document["type"] == "Multikey" and document["controller"] == did
    assert document["secretKeyMultibase"].startswith("z") and key.stat().st_mode & 0o077 == 0
    again = _run("keys", "new", "--out", str(key))
    assert again.exit_code == 2 and "already exists" in again.output


def test_keys_new_did_web_with_document(tmp_path: Path) -> None:
    key, doc = tmp_path / "k.json", tmp_path / "did.json"
    result = _run("keys", "new", "--did-web", "example.edu:issuers:1", "--out", str(key),
                  "--did-document", str(doc))  # fmt: skip
    assert result.exit_code == 0 and result.output.strip() == "did:web:example.edu:issuers:1"
    did_document = json.loads(doc.read_text())
    assert did_document["id"] == "did:web:example.edu:issuers:1"
    assert did_document["assertionMethod"] == ["did:web:example.edu:issuers:1#key-1"]


@pytest.mark.parametrize("suite", ["eddsa-rdfc-2022", "eddsa-jcs-2022", "vc-jwt"])
def test_sign_then_verify_json_contract(
    tmp_path: Path, issuer: tuple[Path, str], suite: str
) -> None:
    key, did = issuer
    signed = tmp_path / ("signed.jwt" if suite == "vc-jwt" else "signed.json")
    result = _run("sign", str(_unsigned(tmp_path, did)), "--key", str(key), "--suite", suite,
                  "--out", str(signed))  # fmt: skip
    assert result.exit_code == 0, result.output
    verified = _run("verify", str(signed), "--json", "--offline")
    assert verified.exit_code == 0, verified.output
    [report] = json.loads(verified.output)
    assert report["input"] == str(signed) and report["verified"] is True
    names = [check["check"] for check in report["checks"]]
    assert set(names) <= {
        "structure",
        "proof",
        "issuer",
        "validity",
        "status",
        "recipient",
        "endorsement",
    }
    assert {"structure", "proof", "issuer", "validity", "status"} <= set(names)
    assert all(set(check) == {"check", "ok", "message"} for check in report["checks"])


def test_sign_fills_a_missing_issuer_and_refuses_another_did(
    tmp_path: Path, issuer: tuple[Path, str]
) -> None:
    key, did = issuer
    document = json.loads(_unsigned(tmp_path, did).read_text())
    document.pop("issuer")
    no_issuer = tmp_path / "no-issuer.json"
    no_issuer.write_text(json.dumps(document))
    result = _run("sign", str(no_issuer), "--key", str(key))
    assert result.exit_code == 0, result.output
    assert json.loads(result.output)["issuer"] == did
    document["issuer"] = "did:key:z6MkrJVnaZkeFzdQyMZu1cgjg7k1pZZ6pvBQ7XJPt4swbTQ2"
    no_issuer.write_text(json.dumps(document))
    refused = _run("sign", str(no_issuer), "--key", str(key))
    assert refused.exit_code == 2 and "no-issuer.json" in refused.output


def test_sign_a_cohort_as_json_lines(tmp_path: Path, issuer: tuple[Path, str]) -> None:
    key, did = issuer
    lines = []
    for number in range(5):
        document = json.loads(_unsigned(tmp_path, did, f"c{number}.json").read_text())
        lines.append(json.dumps(document))
    result = _run(
        "sign", "-", "--key", str(key), "--suite", "eddsa-jcs-2022", stdin="\n".join(lines) + "\n"
    )
    assert result.exit_code == 0, result.output
    signed = [json.loads(line) for line in result.output.splitlines()]
    assert len(signed) == 5 and all(s["proof"]["cryptosuite"] == "eddsa-jcs-2022" for s in signed)
    out_dir = tmp_path / "signed"
    directory = _run("sign", str(tmp_path), "--key", str(key), "--out", str(out_dir))
    assert directory.exit_code == 2  # key.json in the same folder is not a credential
    cohort = tmp_path / "cohort"
    cohort.mkdir()
    for number in range(3):
        (cohort / f"c{number}.json").write_text(lines[number])
    directory = _run("sign", str(cohort), "--key", str(key), "--out", str(out_dir))
    assert directory.exit_code == 0, directory.output
    assert sorted(p.name for p in out_dir.iterdir()) == ["c0.json", "c1.json", "c2.json"]
    verified = _run("verify", str(out_dir), "--json", "--offline")
    assert verified.exit_code == 0 and len(json.loads(verified.output)) == 3


def test_bad_jsonl_line_is_named_and_exit_2(issuer: tuple[Path, str]) -> None:
    key, _ = issuer
    result = _run("sign", "-", "--key", str(key), stdin='{"a": 1}\nnot json\n')
    assert result.exit_code == 2
    assert "stdin line" in result.output


def test_verify_exit_codes_and_keys_file(tmp_path: Path) -> None:
    valid = EXAMPLES / "ob_v3p0" / "validator" / "simple.json"
    expired = EXAMPLES / "ob_v3p0" / "validator" / "simple-err-expired.json"
    keys = tmp_path / "keys.json"
    vm = "https://example.com/issuers/876543#z6MkjZRZv3aez3r18pB1RBFJR1kwUVJ5jHt92JmQwXbd5hwi"
    keys.write_text(json.dumps({vm: {"id": vm, "type": "Multikey", "controller": vm.split("#")[0],
                                     "publicKeyMultibase": vm.split("#")[1]}}))  # fmt: skip
    assert _run("verify", str(valid), "--keys", str(keys), "--offline").exit_code == 0
    without = _run("verify", str(valid), "--json", "--offline")
    assert without.exit_code == 1
    assert "could not be resolved offline" in without.output
    both = _run("verify", str(valid), str(expired), "--keys", str(keys), "--json", "--offline")
    assert both.exit_code == 1 and [r["verified"] for r in json.loads(both.output)] == [True, False]
    assert _run("verify", str(tmp_path / "missing.json")).exit_code == 2
    keys.write_text("{not json")
    bad_keys = _run("verify", str(valid), "--keys", str(keys))
    assert bad_keys.exit_code == 2 and "keys.json" in bad_keys.output


def test_verify_table_output_is_readable(tmp_path: Path) -> None:
    result = _run(
        "verify", str(EXAMPLES / "ob_v3p0" / "validator" / "simple-noproof.json"), "--offline"
    )
    assert result.exit_code == 1
    assert "NOT VALID" in result.output and "has no proof" in result.output


def test_console_script_runs_without_traceback(tmp_path: Path) -> None:
    broken = tmp_path / "broken.json"
    broken.write_text("{")
    done = subprocess.run([sys.executable, "-m", "microcred", "sign", str(broken), "--key", str(broken)],
                          capture_output=True, text=True, check=False)  # fmt: skip
    assert done.returncode == 2
    assert "Traceback" not in done.stderr and done.stderr.startswith("microcred: ")


def test_key_rotation_keeps_old_credentials_verifiable(tmp_path: Path) -> None:
    """did:web rotation: the DID document lists both keys, so a credential signed with the
    old key still verifies (the document is served through the fetcher)."""
    from microcred.core.crypto.did import did_web_url
    from microcred.core.verify.fetcher import StaticFetcher
    from microcred.core.verify.verifier import VerifyOptions, verify_bytes

    old, new, did_json = tmp_path / "old.json", tmp_path / "new.json", tmp_path / "did.json"
    host = "issuer.example:credentials"
    assert _run("keys", "new", "--did-web", host, "--out", str(old)).exit_code == 0
    result = _run("keys", "new", "--did-web", host, "--key-id", "key-2", "--out", str(new))
    did = result.output.strip()
    credential = _unsigned(tmp_path, did)
    signed_old, signed_new = tmp_path / "s-old.json", tmp_path / "s-new.json"
    assert _run("sign", str(credential), "--key", str(old), "--out", str(signed_old)).exit_code == 0
    assert _run("sign", str(credential), "--key", str(new), "--out", str(signed_new)).exit_code == 0
    made = _run("keys", "did-document", str(old), str(new), "--out", str(did_json))
    assert made.exit_code == 0, made.output
    document = json.loads(did_json.read_text())
    assert document["assertionMethod"] == [f"{did}#key-1", f"{did}#key-2"]
    assert document["authentication"] == [f"{did}#key-2"]
    options = VerifyOptions(fetcher=StaticFetcher({did_web_url(did): did_json.read_bytes()}))
    for signed in (signed_old, signed_new):
        assert verify_bytes(signed.read_bytes(), name=signed.name, options=options).verified
    mixed = _run("keys", "did-document", str(old), str(tmp_path / "missing.json"))
    assert mixed.exit_code == 2
