"""The pins in pyproject.toml and requirements.txt agree (one source of truth drifting is a bug)."""

from __future__ import annotations

import tomllib

from tests.conftest import ROOT


def _pins(lines: list[str]) -> dict[str, str]:
    pairs = (line.split("==", 1) for line in lines if "==" in line and not line.startswith("#"))
    return {name.strip().lower().replace("_", "-"): version.strip() for name, version in pairs}


def test_direct_dependencies_are_pinned_like_the_requirements() -> None:
    project = tomllib.loads((ROOT / "pyproject.toml").read_text())["project"]
    direct = _pins(project["dependencies"])
    locked = _pins((ROOT / "requirements.txt").read_text().splitlines())
    assert direct and len(direct) == len(project["dependencies"])  # every one pinned
    assert {name: locked.get(name) for name in direct} == direct
