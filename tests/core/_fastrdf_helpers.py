"""Shared by the fast RDFC-1.0 path's tests: the interop template and the reference check."""

from __future__ import annotations

from typing import Any

from microcred.core.crypto import rdfc
from microcred.core.crypto.fastrdf import canonicalize_fast
from tests.conftest import SHARED, read_json

V2 = "https://www.w3.org/ns/credentials/v2"
OB303 = "https://purl.imsglobal.org/spec/ob/v3p0/context-3.0.3.json"
EXT = "https://purl.imsglobal.org/spec/ob/v3p0/extensions.json"
TEMPLATE = SHARED / "interop" / "ob3_template.json"
OB_XSD = "https://www.w3.org/2001/XMLSchema#"  # (sic) the OB 3.0.3 context uses https
RDF = "http://www.w3.org/1999/02/22-rdf-syntax-ns#"


def template() -> dict[str, Any]:
    document: dict[str, Any] = read_json(TEMPLATE)
    document["issuer"]["id"] = "did:key:z6MkjZRZv3aez3r18pB1RBFJR1kwUVJ5jHt92JmQwXbd5hwi"
    return document


def same_as_reference(document: dict[str, Any]) -> str:
    """Assert the fast path answers and equals the reference; return the N-Quads."""
    fast = canonicalize_fast(document)
    assert fast is not None, "the fast path declined a document it should handle"
    assert fast == rdfc.canonicalize_reference(document)
    rdfc.check_safe(document)  # a fast answer implies the safe-mode check passes
    return fast
