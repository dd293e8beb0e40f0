"""Shared test fixtures: the read-only standards folder beside the checkout."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest

ROOT = Path(__file__).resolve().parents[1]
SHARED = Path(__import__("os").environ.get("MICROCRED_SHARED", ROOT.parent / "shared"))
STANDARDS = SHARED / "standards"
VECTORS = STANDARDS / "vectors"
EXAMPLES = STANDARDS / "examples"


def read_json(path: Path) -> Any:
    return json.loads(path.read_text(encoding="utf-8"))


@pytest.fixture(scope="session")
def standards() -> Path:
    if not STANDARDS.is_dir():
        pytest.fail(f"{STANDARDS} is missing: the tests read the shared standards folder")
    return STANDARDS


# Shared assertion helpers keep pytest's detailed diffs.
pytest.register_assert_rewrite("tests.core._fastrdf_helpers")
