"""Safe JSON parsing for untrusted documents: size and nesting limits, clear errors."""

from __future__ import annotations

import json
from typing import Any

from microcred.core.errors import InputError

MAX_DOCUMENT_BYTES = 2 * 1024 * 1024
MAX_DEPTH = 64


def _depth(value: Any, limit: int) -> int:
    """Depth of nested containers, iteratively (a recursive walk would overflow first)."""
    deepest = 0
    stack: list[tuple[Any, int]] = [(value, 1)]
    while stack:
        item, level = stack.pop()
        if isinstance(item, dict):
            children: Any = item.values()
        elif isinstance(item, list):
            children = item
        else:
            continue
        deepest = max(deepest, level)
        if deepest > limit:
            return deepest
        stack.extend((child, level + 1) for child in children)
    return deepest


def loads(
    data: str | bytes, *, where: str | None = None, max_bytes: int = MAX_DOCUMENT_BYTES
) -> Any:
    """Parse JSON from an untrusted source, or raise :class:`InputError` naming the problem."""
    size = len(data.encode("utf-8") if isinstance(data, str) else data)
    if size > max_bytes:
        raise InputError(f"document is {size} bytes, over the {max_bytes}-byte limit", where=where)
    try:
        value = json.loads(data)
    except RecursionError:
        raise InputError(f"nesting deeper than {MAX_DEPTH} levels", where=where) from None
    except (UnicodeDecodeError, ValueError) as exc:
        raise InputError(f"not valid JSON ({exc})", where=where) from None
    if _depth(value, MAX_DEPTH) > MAX_DEPTH:
        raise InputError(f"nesting deeper than {MAX_DEPTH} levels", where=where)
    return value


def loads_object(data: str | bytes, *, where: str | None = None) -> dict[str, Any]:
    """Like :func:`loads`, but the document must be a JSON object."""
    value = loads(data, where=where)
    if not isinstance(value, dict):
        raise InputError(f"expected a JSON object, got {type(value).__name__}", where=where)
    return value
