"""`microcred present` and `microcred verify` on presentations and zips, as a user runs them."""

from __future__ import annotations

import io
import json
import zipfile
from pathlib import Path
from typing import Any

import pytest
from typer.testing import CliRunner

from microcred.cli.main import app
from tests.conftest import EXAMPLES
from tests.verify.fixtures import fragment_keys

runner = CliRunner()
VALID = EXAMPLES / "ob_v3p0/validator/simple.json"
EXPIRED = EXAMPLES / "ob_v3p0/validator/simple-err-expired.json"
CLR_JWT = EXAMPLES / "clr_v2p0/validator/simple.jwt"


def _run(*args: str) -> Any:
    return runner.invoke(app, list(args), env={"COLUMNS": "250"})


@pytest.fixture
def holder(tmp_path: Path) -> tuple[Path, str]:
    key = tmp_path / "holder.json"
    result = _run("keys", "new", "--out", str(key))
    assert result.exit_code == 0, result.output
    return key, result.output.strip()


@pytest.fixture
def keys(tmp_path: Path) -> Path:
    path = tmp_path / "keys.json"
    path.write_text(json.dumps(fragment_keys()), encoding="utf-8")
    return path


def _present(tmp_path: Path, holder: tuple[Path, str], *extra: str) -> Path:
    out = tmp_path / "vp.json"
    key, did = holder
    result = _run("present", "--key", str(key), "--holder", did, "--challenge", "n-1",
                  "--domain", "jobs.example", "--out", str(out), str(VALID), str(CLR_JWT), *extra)  # fmt: skip
    assert result.exit_code == 0, result.output
    return out


def test_present_then_verify_with_the_challenge(
    tmp_path: Path, holder: tuple[Path, str], keys: Path
) -> None:
    vp = _present(tmp_path, holder)
    result = _run("verify", "--offline", "--keys", str(keys), "--challenge", "n-1",
                  "--domain", "jobs.example", str(vp))  # fmt: skip
    assert result.exit_code == 0, result.output
    for words in ("holder / recipient", "achievement", "issued", "Teamwork", "Example University",
                  "vp.json › credential 2", holder[1]):  # fmt: skip
        assert words in result.output


def test_wrong_challenge_exits_1_and_says_why(
    tmp_path: Path, holder: tuple[Path, str], keys: Path
) -> None:
    vp = _present(tmp_path, holder)
    result = _run("verify", "--offline", "--keys", str(keys), "--challenge", "n-2", str(vp))
    assert result.exit_code == 1
    assert "challenge 'n-1' is not the expected 'n-2'" in result.output


def test_json_lists_every_report(tmp_path: Path, holder: tuple[Path, str], keys: Path) -> None:
    vp = _present(tmp_path, holder)
    bundle = tmp_path / "bundle.zip"
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr("a.json", VALID.read_bytes())
        archive.writestr("b.json", EXPIRED.read_bytes())
    bundle.write_bytes(buffer.getvalue())
    result = _run("verify", "--offline", "--keys", str(keys), "--json", str(vp), str(bundle))
    assert result.exit_code == 1  # the expired one
    reports = json.loads(result.output)
    assert [(r["input"].split("/")[-1], r["kind"], r["verified"]) for r in reports] == [
        ("vp.json", "presentation", True),
        ("vp.json › credential 1", "credential", True),
        ("vp.json › credential 2", "credential", True),
        ("bundle.zip › a.json", "credential", True),
        ("bundle.zip › b.json", "credential", False),
    ]
    assert reports[3]["overview"]["issuer"] == "Example Corp"


def test_zip_bomb_on_the_command_line_is_a_failed_report(tmp_path: Path) -> None:
    bomb = tmp_path / "bomb.zip"
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", compression=zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("x.json", bytes(4 * 1024 * 1024))
    bomb.write_bytes(buffer.getvalue())
    result = _run("verify", "--offline", str(bomb))
    assert result.exit_code == 1 and "zip bomb" in result.output


def test_present_refuses_a_key_of_another_holder(tmp_path: Path, holder: tuple[Path, str]) -> None:
    key, _ = holder
    result = _run("present", "--key", str(key), "--holder", "did:example:alice",
                  "--challenge", "c", str(VALID))  # fmt: skip
    assert result.exit_code == 2
    assert "not to did:example:alice" in result.output


def test_present_refuses_unsigned_credentials_and_missing_challenge(
    tmp_path: Path, holder: tuple[Path, str]
) -> None:
    key, did = holder
    unsigned = EXAMPLES / "ob_v3p0/spec/basicOpenBadgeCredential.json"
    result = _run("present", "--key", str(key), "--holder", did, "--challenge", "c", str(unsigned))
    assert result.exit_code == 2 and "no proof" in result.output
    result = _run("present", "--key", str(key), "--holder", did, str(VALID))
    assert result.exit_code == 2 and "--challenge" in result.output
