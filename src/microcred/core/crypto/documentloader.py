"""Offline JSON-LD document loader over the contexts bundled in ``contexts/``.

Signing and verifying never touch the network: a context URL is either bundled (listed in
``contexts/index.json``) or an error naming the URL. Each context is parsed once and cached
for the life of the process; callers share the cached object and must not mutate it.
"""

from __future__ import annotations

import json
import threading
from importlib import resources
from typing import Any

from microcred.core.errors import ContextError

_PACKAGE = "microcred.core.crypto"
_FOLDER = "contexts"


def _read_bytes(name: str) -> bytes:
    return resources.files(_PACKAGE).joinpath(_FOLDER, name).read_bytes()


def _read_index() -> dict[str, str]:
    index = json.loads(_read_bytes("index.json"))
    if not isinstance(index, dict):  # a packaging error, not user input
        raise RuntimeError("contexts/index.json is not a JSON object")
    return {str(url): str(name) for url, name in index.items()}


_INDEX: dict[str, str] = _read_index()

#: Every context URL the loader can serve (some files, like the microcred extension
#: context, may be listed before they ship; :func:`is_bundled` checks the file too).
BUNDLED_URLS: frozenset[str] = frozenset(_INDEX)

_cache: dict[str, dict[str, Any]] = {}
_lock = threading.Lock()


def is_bundled(url: str) -> bool:
    """True if ``url`` names a context shipped in the package."""
    name = _INDEX.get(url)
    if name is None:
        return False
    return resources.files(_PACKAGE).joinpath(_FOLDER, name).is_file()


def load_context(url: str) -> dict[str, Any]:
    """The parsed bundled context for ``url`` (cached; shared, so do not mutate it).

    Raises :class:`ContextError` naming the URL for anything that is not bundled.
    """
    # Exact match only, like the Digital Bazaar static loaders: a URL spelled differently
    # (http vs https, a trailing slash) is a different context for them too.
    key = url
    cached = _cache.get(key)
    if cached is not None:
        return cached
    name = _INDEX.get(key)
    if name is None:
        raise ContextError(
            f"unknown JSON-LD context {url!r}: only bundled contexts are used, "
            "nothing is fetched from the network",
            where="@context",
        )
    with _lock:
        cached = _cache.get(key)
        if cached is None:
            cached = _parse(url, name)
            _cache[key] = cached
    return cached


def _parse(url: str, name: str) -> dict[str, Any]:
    try:
        document = json.loads(_read_bytes(name))
    except FileNotFoundError:
        raise ContextError(
            f"JSON-LD context {url!r} is listed but its file {name!r} is not installed",
            where="@context",
        ) from None
    if not isinstance(document, dict):
        raise ContextError(f"bundled context {url!r} is not a JSON object", where="@context")
    return document


def pyld_loader(url: str, options: dict[str, Any] | None = None) -> dict[str, Any]:
    """A pyld ``documentLoader``: the bundled context as a pyld remote document.

    pyld copies what it needs out of the document while building its active context, so
    the shared cached object is handed over without a copy.
    """
    return {
        "contentType": "application/ld+json",
        "contextUrl": None,
        "documentUrl": url,
        "document": load_context(url),
    }
