"""Fast RDFC-1.0 canonicalization for documents whose contexts are bundled.

:func:`canonicalize_fast` converts the compact document straight to quads
(:mod:`.torfd`, with contexts compiled once by :mod:`.context`) and labels and serializes
them (:mod:`.canon`). It returns ``None`` for anything outside the features it reproduces
exactly, and callers then use the reference path (pyld) instead.
"""

from __future__ import annotations

from typing import Any

from pyld import jsonld

from microcred.core.crypto.fastrdf.canon import canonical_nquads
from microcred.core.crypto.fastrdf.context import Unsupported
from microcred.core.crypto.fastrdf.torfd import Converter

__all__ = ["canonicalize_fast"]

# Anything unexpected while converting means "not for the fast path": the reference path
# then runs and reports real errors (unknown contexts, undefined terms) to the user.
_DECLINE = (
    Unsupported,
    jsonld.JsonLdError,
    ValueError,  # includes UnicodeEncodeError for lone surrogates
    TypeError,
    OverflowError,
    RecursionError,
)


def canonicalize_fast(document: dict[str, Any]) -> str | None:
    """Canonical N-Quads of ``document``, or ``None`` when the fast path does not apply."""
    try:
        return canonical_nquads(Converter().convert(document))
    except _DECLINE:
        return None
