"""`make demo` keeps working: the engine walk-through and the platform set-up, without serving."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest


@pytest.mark.xdist_group("demo")
def test_demo_walk_through_and_platform_setup(tmp_path: Path) -> None:
    env = {
        **os.environ,
        "MICROCRED_DATA_DIR": str(tmp_path / "var"),
        "MICROCRED_ENV": "development",
    }
    env.pop("MICROCRED_DATABASE_URL", None)
    done = subprocess.run(
        [sys.executable, "-m", "microcred.cli.demo", "--no-serve"],
        cwd=tmp_path, env=env, capture_output=True, text=True, timeout=300, check=False,
    )  # fmt: skip
    assert done.returncode == 0, done.stdout[-3000:] + done.stderr[-3000:]
    out = done.stdout
    assert "VALID" in out and "NOT VALID" in out and "Revoked" in out
    assert "a revoked credential" in out and "microcred-demo" in out
    assert (tmp_path / "demo-output" / "badge-baked.png").is_file()
    assert (tmp_path / "var" / "microcred.sqlite3").is_file()
