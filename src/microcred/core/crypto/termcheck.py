"""No undefined term reaches a signed document, whatever the proof format.

eddsa-rdfc-2022 canonicalises in safe mode, so an undefined term, type or relative IRI can
never be signed that way. eddsa-jcs-2022 and VC-JWT sign the JSON bytes instead: without this
check they would sign a property no context defines, which every JSON-LD verifier drops or
rejects. The check *is* the safe canonicalisation (:func:`rdfc.canonicalize`), and since a
cohort repeats one shape, its verdict is remembered per **shape**: the document with every
string value replaced by its class (absolute IRI, blank node, digits, relative reference,
free text), except the strings that can decide whether something is defined: type names and
tokens that could be terms or vocabulary values are kept as they are.

Two documents with the same shape have the same keys in the same places, the same types and
tokens, and differ only in values that cannot be terms: absolute IRIs (always defined),
digit-only or free-text strings (never terms in any bundled context), numbers and booleans.
So they are both defined or both not. (The one assumption, checked by a test against every
bundled context: no term is made of digits only or contains whitespace, ``:`` or characters
IRIs forbid.)
"""

from __future__ import annotations

import re
from typing import Any

from microcred.core.crypto import rdfc

# Terms in the bundled contexts are tokens (some start with a digit: 1EdTechRevocationList);
# none is made of digits only, none contains whitespace or characters IRIs forbid.
_TOKEN = re.compile(r"[A-Za-z0-9_.\-]{1,100}").fullmatch
_ABSOLUTE_IRI = re.compile(r"[A-Za-z][A-Za-z0-9+.\-]*:[^\s<>\"{}|\\^`]*").fullmatch
_BLANK_NODE = re.compile(r"_:[A-Za-z0-9_.\-]+").fullmatch
_IRI_SAFE = re.compile(r"[^\s<>\"{}|\\^`]*").fullmatch
_MAX_EXACT_INT = 2**53
# String classes: absolute IRI, blank node, digits, IRI-safe text (a relative reference
# wherever an IRI is expected), other text. Separator between shape parts.
_IRI, _BLANK, _DIGITS, _RELATIVE, _TEXT, _SCALAR = "\x01", "\x02", "\x04", "\x05", "\x06", "\x07"


# Strings repeat across a cohort (types, contexts, the achievement): classify each once.
_CLASS_CACHE: dict[str, str] = {}
_CLASS_CACHE_MAX = 8192


def _remember(item: str) -> str:
    if len(_CLASS_CACHE) >= _CLASS_CACHE_MAX:
        _CLASS_CACHE.clear()
    found = _CLASS_CACHE[item] = _string_class(item)
    return found


def _string_class(item: str) -> str:
    if " " in item:  # free text: never a term, never an IRI
        return _TEXT
    if ":" in item:
        if _ABSOLUTE_IRI(item):
            return _IRI
        if _BLANK_NODE(item):
            return _BLANK
    elif _TOKEN(item):
        return _DIGITS if item.isdigit() else item
    return _RELATIVE if _IRI_SAFE(item) else _TEXT


def shape_of(document: Any) -> tuple[tuple[object, ...], bool]:
    """(the document's shape, whether plain ``json.dumps`` of it equals RFC 8785).

    One walk serves both, because both run on every JCS signature. The JCS flag is False for
    floats, integers at or beyond 2**53 and keys with characters from U+D800 up (where UTF-16
    and code-point order differ): there ``json.dumps`` and RFC 8785 disagree. The walk is
    written flat (no helper calls per node): it runs once per signature.
    """
    out: list[object] = []
    add, plain_json, stack = out.append, True, [document]
    classes = _CLASS_CACHE
    while stack:
        item = stack.pop()
        kind = type(item)
        if kind is str:
            found = classes.get(item)
            if found is None:
                found = _remember(item)
            add(found)
        elif kind is dict:
            keys = tuple(item)
            add(keys)
            try:
                text = "".join(keys)
            except TypeError:  # a non-string key: not JSON, let rfc8785 judge it
                plain_json = False
            else:
                if not text.isascii() and max(text) >= "\ud800":
                    plain_json = False
            stack.extend(item.values())  # type names are tokens or IRIs: classed like values
        elif kind is list:
            add(-1 - len(item))
            stack.extend(item)
        elif item is None or kind is bool:
            add(_SCALAR)
        elif kind is int:
            add(_SCALAR)
            plain_json = plain_json and -_MAX_EXACT_INT < item < _MAX_EXACT_INT
        else:
            add(_SCALAR)
            plain_json = False
    return tuple(out), plain_json


class TermGuard:
    """Refuses documents with undefined terms; remembers the shapes that passed (bounded)."""

    def __init__(self, max_shapes: int = 512) -> None:
        self._passed: dict[tuple[object, ...], None] = {}
        self._max = max_shapes
        self.checks = 0  # full canonicalisations run: one per new shape

    def check(self, document: dict[str, Any]) -> bool:
        """Raise UndefinedTermError / ContextError / InputError like :func:`rdfc.canonicalize`;
        return whether plain ``json.dumps`` of the document is its RFC 8785 form."""
        shape, plain_json = shape_of(document)
        if shape not in self._passed:
            self.checks += 1
            rdfc.canonicalize(document)
            if len(self._passed) >= self._max:
                self._passed.pop(next(iter(self._passed)))
            self._passed[shape] = None
        return plain_json


DEFAULT_GUARD = TermGuard()
