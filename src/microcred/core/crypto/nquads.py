"""RDFC-1.0 canonical N-Quads escaping, shared by the reference and the fast path.

Literals: ECHAR for ``\\b \\t \\n \\f \\r " \\\\``, UCHAR (four upper-case hex digits) for the
other C0 controls and U+007F, everything else verbatim (as ``rdf-canonize`` does; pyld alone
escapes the URDNA2015 way, which other verifiers reject). IRIs: the characters N-Quads forbids
inside ``<...>`` become UCHARs.
"""

from __future__ import annotations

import re

_LITERAL_ESCAPES: dict[int, str] = {c: f"\\u{c:04X}" for c in [*range(0x20), 0x7F]}
_LITERAL_ESCAPES.update(
    {0x08: "\\b", 0x09: "\\t", 0x0A: "\\n", 0x0C: "\\f", 0x0D: "\\r", 0x22: '\\"', 0x5C: "\\\\"}
)
_NEEDS_ESCAPE = re.compile(r'[\x00-\x1f"\\\x7f]')
_IRI_ESCAPES: dict[int, str] = {c: f"\\u{c:04X}" for c in [*range(0x21), *map(ord, '<>"{}|^`\\')]}


def escape_literal(value: str) -> str:
    """A string literal's lexical form escaped as in RDFC-1.0 canonical N-Quads."""
    if _NEEDS_ESCAPE.search(value) is None:  # the common case: nothing to do
        return value
    return value.translate(_LITERAL_ESCAPES)


def iri(value: str) -> str:
    """An IRI as an N-Quads term, ``<...>``."""
    return "<" + value.translate(_IRI_ESCAPES) + ">"
