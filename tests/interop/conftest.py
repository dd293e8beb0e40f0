"""The independent Node verifier (../shared/interop, Digital Bazaar stack) as a session fixture.

`make interop-deps` copies ../shared/interop to build/interop and runs `npm ci` there. Without a
`node` binary the interop tests are skipped (with the reason); with node but without the installed
packages they fail, because then the round trip was meant to run and silently did not.
"""

from __future__ import annotations

import copy
import json
import os
import re
import shutil
import subprocess
import sys
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest

from tests.conftest import ROOT, SHARED

INTEROP_DIR = Path(os.environ.get("MICROCRED_INTEROP_DIR", ROOT / "build" / "interop"))
TEMPLATE = SHARED / "interop" / "ob3_template.json"
#: The interop tool's fixed test seed (000102…1f) and `created`: its output is deterministic.
TEST_SEED = bytes(range(32))
TEST_CREATED = "2025-01-15T09:30:00Z"
NODE_TIMEOUT = 60
SUMMARY = re.compile(r"^(\d+) passed, (\d+) failed$", re.MULTILINE)


@dataclass(frozen=True)
class NodeVerdict:
    """What `node verify.mjs` said: exit status, per-credential lines and the summary counts."""

    returncode: int
    stdout: str
    stderr: str
    passed: int
    failed: int

    def lines(self, verdict: str) -> list[str]:
        return [line for line in self.stdout.splitlines() if line.startswith(verdict + " ")]

    def explain(self) -> str:
        return f"exit {self.returncode}\nstdout:\n{self.stdout}\nstderr:\n{self.stderr[-3000:]}"


@dataclass(frozen=True)
class NodeInterop:
    node: str
    root: Path

    def run(self, script: str, *args: str) -> subprocess.CompletedProcess[str]:
        return subprocess.run(
            [self.node, str(self.root / script), *args],
            cwd=self.root,
            capture_output=True,
            text=True,
            timeout=NODE_TIMEOUT,
            check=False,
        )

    def verify(self, *paths: Path | str, extra: Sequence[str] = ()) -> NodeVerdict:
        done = self.run("verify.mjs", *extra, *map(str, paths))
        found = SUMMARY.search(done.stdout)
        passed, failed = (int(found[1]), int(found[2])) if found else (-1, -1)
        return NodeVerdict(done.returncode, done.stdout, done.stderr, passed, failed)

    def sign(self, out: Path, *, suite: str, n: int = 1, extra: Sequence[str] = ()) -> list[Path]:
        done = self.run("sign.mjs", "--n", str(n), "--out", str(out), "--suite", suite, *extra)
        assert done.returncode == 0, f"node sign.mjs failed:\n{done.stderr[-3000:]}"
        files = sorted(out.glob("*.json"))
        assert len(files) == n, f"node sign.mjs wrote {len(files)} files, expected {n}"
        return files


@pytest.fixture(scope="session")
def node_interop() -> NodeInterop:
    node = shutil.which("node")
    if node is None:
        pytest.skip("node is not installed: the interop round trip with ../shared/interop needs it")
    if not (INTEROP_DIR / "node_modules").is_dir() or not (INTEROP_DIR / "verify.mjs").is_file():
        pytest.fail(
            f"node is installed but {INTEROP_DIR}/node_modules is missing: run `make interop-deps`"
        )
    return NodeInterop(node, INTEROP_DIR)


def run_microcred(*args: str, stdin: str | None = None) -> subprocess.CompletedProcess[str]:
    """The `microcred` command exactly as a user runs it (a separate process)."""
    return subprocess.run(
        [sys.executable, "-m", "microcred", *args],
        capture_output=True,
        text=True,
        input=stdin,
        timeout=NODE_TIMEOUT,
        check=False,
    )


def template() -> dict[str, Any]:
    data: dict[str, Any] = json.loads(TEMPLATE.read_text(encoding="utf-8"))
    return data


def make_credential(base: dict[str, Any], issuer_did: str, i: int) -> dict[str, Any]:
    """The document `sign.mjs` signs as credential ``i`` (its makeCredential, in Python)."""
    credential = copy.deepcopy(base)
    credential["id"] = f"urn:uuid:00000000-0000-4000-8000-{i:012x}"
    if isinstance(credential["issuer"], str):
        credential["issuer"] = issuer_did
    else:
        credential["issuer"] = {**credential["issuer"], "id": issuer_did}
    credential["credentialSubject"]["id"] = f"did:example:learner-{i}"
    return credential


def write_json(path: Path, document: Any) -> Path:
    path.write_text(json.dumps(document, indent=2, ensure_ascii=False) + "\n", encoding="utf-8")
    return path


def read_json_file(path: Path) -> Any:
    return json.loads(path.read_text(encoding="utf-8"))
