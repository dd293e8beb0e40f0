"""Fast RDFC-1.0 canonicalization for documents whose contexts are bundled.

Owned by the fast-path work; :func:`canonicalize_fast` returns ``None`` for any
document outside the features it supports, and callers then use the reference
path (pyld) instead.
"""

from __future__ import annotations

from typing import Any


def canonicalize_fast(document: dict[str, Any]) -> str | None:
    """Canonical N-Quads of ``document``, or ``None`` when the fast path does not apply."""
    return None
