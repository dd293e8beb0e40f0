"""`microcred status`: the list file across runs, revoke/suspend rules, and the published list."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest
from typer.testing import CliRunner

from microcred.cli.status import app
from microcred.core.crypto.keys import Ed25519KeyPair, save_key_file
from microcred.core.crypto.statuscheck import check_entry
from microcred.core.crypto.suites.base import sign_credential
from microcred.core.model import sample_credential
from microcred.core.verify.fetcher import StaticFetcher
from microcred.core.verify.verifier import VerifyOptions, verify_document

URL = "https://issuer.example/status/7"
runner = CliRunner()


def _run(*args: str, code: int = 0) -> Any:
    result = runner.invoke(app, list(args))
    assert result.exit_code == code, (result.stdout, result.stderr)
    return result


def _new(tmp_path: Path, purpose: str = "revocation") -> Path:
    path = tmp_path / "list.json"
    _run("new", "--url", URL, "--out", str(path), "--purpose", purpose)
    return path


def _allocate(path: Path) -> dict[str, Any]:
    entry: dict[str, Any] = json.loads(_run("allocate", str(path)).stdout)
    return entry


def test_allocate_persists_across_runs(tmp_path: Path) -> None:
    path = _new(tmp_path)
    entries = [_allocate(path) for _ in range(20)]
    indexes = [entry["statusListIndex"] for entry in entries]
    assert len(set(indexes)) == 20
    assert all(isinstance(i, str) and i.isdigit() for i in indexes)
    assert entries[0]["type"] == "BitstringStatusListEntry"
    assert entries[0]["statusListCredential"] == URL
    stored = json.loads(path.read_text())
    assert stored["url"] == URL and stored["size"] == 131072


def test_revoke_then_check(tmp_path: Path) -> None:
    path = _new(tmp_path)
    index = _allocate(path)["statusListIndex"]
    assert _run("check", str(path), index).stdout.strip() == f"index {index}: not revoked"
    _run("revoke", str(path), index)
    assert _run("check", str(path), index).stdout.strip() == f"index {index}: revoked"


def test_revocation_is_permanent(tmp_path: Path) -> None:
    path = _new(tmp_path)
    index = _allocate(path)["statusListIndex"]
    _run("revoke", str(path), index)
    result = _run("unsuspend", str(path), index, code=2)
    assert "permanent" in result.stderr and "Traceback" not in result.output
    result = _run("suspend", str(path), index, code=2)
    assert "cannot suspend on a revocation list" in result.stderr


def test_suspension_is_reversible(tmp_path: Path) -> None:
    path = _new(tmp_path, "suspension")
    index = _allocate(path)["statusListIndex"]
    _run("suspend", str(path), index)
    assert _run("check", str(path), index).stdout.strip() == f"index {index}: suspended"
    _run("unsuspend", str(path), index)
    assert _run("check", str(path), index).stdout.strip() == f"index {index}: not suspended"


@pytest.mark.parametrize(
    ("index", "reason"), [("5", "never allocated"), ("131072", "outside 0..131071")]
)
def test_bad_indexes_exit_2_with_the_reason(tmp_path: Path, index: str, reason: str) -> None:
    path = _new(tmp_path)
    before = path.read_bytes()
    result = _run("revoke", str(path), index, code=2)
    assert reason in result.stderr and result.stderr.count("\n") == 1
    assert path.read_bytes() == before


def test_new_refuses_bad_options(tmp_path: Path) -> None:
    out = str(tmp_path / "l.json")
    assert (
        "at least 131072" in _run("new", "--url", URL, "--out", out, "--size", "100", code=2).stderr
    )
    assert "--purpose" in _run("new", "--url", URL, "--out", out, "--purpose", "x", code=2).stderr
    _run("new", "--url", URL, "--out", out)
    assert "already exists" in _run("new", "--url", URL, "--out", out, code=2).stderr


def test_broken_list_file_exits_2(tmp_path: Path) -> None:
    path = tmp_path / "broken.json"
    path.write_text('{"format": "something else"}')
    assert "not a microcred-status-list/1" in _run("allocate", str(path), code=2).stderr
    assert "no such file" in _run("check", str(tmp_path / "missing.json"), "1", code=2).stderr


def test_publish_signs_a_list_the_verifier_accepts(tmp_path: Path) -> None:
    key = Ed25519KeyPair.from_seed(bytes([9]) * 32)
    key_file = tmp_path / "key.json"
    save_key_file(key, key_file)
    path = _new(tmp_path)
    entry = _allocate(path)
    published = tmp_path / "published.json"
    _run("publish", str(path), "--key", str(key_file), "--out", str(published))
    listed = json.loads(published.read_text())
    assert listed["type"] == ["VerifiableCredential", "BitstringStatusListCredential"]
    assert (
        listed["issuer"] == key.controller and listed["proof"]["cryptosuite"] == "eddsa-rdfc-2022"
    )
    assert check_entry(entry, listed).valid

    credential = sample_credential(
        issuer_id=key.controller or "",
        recipient_email="a@example.org",
        salt="s",
        valid_from="2026-01-01T00:00:00Z",
    )
    credential["credentialStatus"] = entry
    signed = sign_credential(credential, key)

    def verdict() -> Any:
        fetcher = StaticFetcher({URL: published.read_bytes()})
        report = verify_document(signed, name="c", options=VerifyOptions(fetcher))
        return next(c for c in report.checks if c.check == "status")

    assert verdict().ok
    _run("revoke", str(path), entry["statusListIndex"])
    _run("publish", str(path), "--key", str(key_file), "--out", str(published))
    status = verdict()
    assert not status.ok and "revoked" in status.message.lower()
