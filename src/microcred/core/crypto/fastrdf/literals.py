"""RDF literals in canonical N-Quads form, converted from JSON values exactly as pyld does.

The number rules (``xsd:integer`` vs the canonical ``xsd:double`` form ``1.1E0``), booleans
and JSON literals follow pyld's ``_object_to_rdf`` branch by branch; the escaping is
RDFC-1.0's (which is also what ``rdfc.py`` applies to the reference path).
"""

from __future__ import annotations

import math
import re
from numbers import Integral, Real
from typing import Any

from pyld import jsonld

from microcred.core.crypto.fastrdf.context import Unsupported
from microcred.core.crypto.nquads import escape_literal as escape

XSD = "http://www.w3.org/2001/XMLSchema#"
XSD_STRING = XSD + "string"
XSD_BOOLEAN = XSD + "boolean"
XSD_INTEGER = XSD + "integer"
XSD_DOUBLE = XSD + "double"
RDF = "http://www.w3.org/1999/02/22-rdf-syntax-ns#"
RDF_JSON = RDF + "JSON"

_DOUBLE_TIDY = re.compile(r"(\d)0*E\+?(-)?0*(\d)")


def _double(value: Any) -> str:
    # pyld's _canonicalize_double
    return _DOUBLE_TIDY.sub(r"\1E\2\3", f"{value:1.15E}")


def _is_integer(value: Any) -> bool:
    return isinstance(value, Integral) or (isinstance(value, Real) and float(value).is_integer())


def _is_double(value: Any) -> bool:
    return (
        not isinstance(value, Integral)
        and isinstance(value, Real)
        and not float(value).is_integer()
    )


def _lexical(value: Any, datatype: str | None) -> tuple[str, str]:
    """(lexical form, datatype IRI) of a JSON scalar, following pyld's branch order."""
    kind = type(value)
    if kind is str and datatype != XSD_DOUBLE:  # the common cases first, same results
        return value, datatype or XSD_STRING
    if kind is int and datatype != XSD_DOUBLE and abs(value) < 1e21:
        return str(value), datatype or XSD_INTEGER
    if isinstance(value, bool):
        return ("true" if value else "false"), datatype or XSD_BOOLEAN
    if isinstance(value, float) and not math.isfinite(value):
        raise Unsupported("non-finite number")
    if _is_double(value):
        return _double(value), datatype or XSD_DOUBLE
    if datatype == XSD_DOUBLE:
        try:
            number = float(value)
        except (ValueError, TypeError):
            return value, XSD_DOUBLE
        return _double(number), XSD_DOUBLE
    if _is_integer(value):
        if abs(value) >= 1e21:  # JSON-LD 1.1: large integers become doubles
            return _double(value), datatype or XSD_DOUBLE
        return str(int(value)), datatype or XSD_INTEGER
    if isinstance(value, str):
        return value, datatype or XSD_STRING
    raise Unsupported("not a JSON scalar")


def literal(value: Any, datatype: str | None) -> str:
    """The N-Quads term of the value object ``{"@value": value, "@type": datatype}``."""
    if datatype == "@json":
        text = jsonld.canonicalize(value).decode("utf-8")
        return '"' + escape(text) + '"^^<' + RDF_JSON + ">"
    lexical, dt = _lexical(value, datatype)
    if not isinstance(lexical, str):
        raise Unsupported("non-string lexical form")
    if dt == XSD_STRING:
        return '"' + escape(lexical) + '"'
    return '"' + escape(lexical) + '"^^<' + dt + ">"


def language_literal(value: str, language: str) -> str:
    """The N-Quads term of a language-tagged string (rdf:langString)."""
    return '"' + escape(value) + '"@' + language


def dedupe_key(value: Any, datatype: str | None) -> tuple[Any, ...] | None:
    """What pyld's ``compare_values`` treats as the same value (None: compare with ==)."""
    if isinstance(value, bool):
        return ("b", value, datatype)
    if isinstance(value, str):
        return ("s", value, datatype)
    if isinstance(value, (int, float)):
        return ("n", value, datatype)
    return None
