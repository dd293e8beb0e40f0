"""The core stays framework-free: no Django, no ORM, no network client."""

from __future__ import annotations

import ast
from pathlib import Path

CORE = Path(__file__).resolve().parents[2] / "src" / "microcred" / "core"
FORBIDDEN = {"django", "httpx", "requests", "urllib3", "aiohttp", "socket", "http", "sqlalchemy"}


def _imported_roots(path: Path) -> set[str]:
    tree = ast.parse(path.read_text(encoding="utf-8"))
    roots: set[str] = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            roots.update(alias.name.split(".")[0] for alias in node.names)
        elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            roots.add(node.module.split(".")[0])
    return roots


def test_core_imports_no_framework_or_network_client() -> None:
    offenders = {
        str(path.relative_to(CORE)): sorted(_imported_roots(path) & FORBIDDEN)
        for path in CORE.rglob("*.py")
        if _imported_roots(path) & FORBIDDEN
    }
    assert offenders == {}


def test_the_check_sees_core_modules() -> None:
    assert len(list(CORE.rglob("*.py"))) >= 5
