"""Active contexts for the fast path: pyld builds them once, we look terms up fast.

Context processing (protected terms, scoped contexts, prefixes, ``@propagate``) is done by
pyld's own ``_process_context``, so the term definitions are exactly the reference's. Every
result is cached on the context it was derived from, keyed by the identity of the local
context (scoped contexts live inside the cached parent, so identities are stable) or by the
JSON text of a document's ``@context``. After warm-up a credential costs dict look-ups only.
"""

from __future__ import annotations

import json
import re
import threading
from dataclasses import dataclass
from typing import Any

from cachetools import LRUCache
from pyld import jsonld
from pyld.context_resolver import ContextResolver

from microcred.core.crypto.documentloader import load_context


class Unsupported(Exception):
    """The document uses something the fast path does not reproduce exactly."""


KEYWORDS = frozenset(
    [
        "@base",
        "@container",
        "@context",
        "@default",
        "@direction",
        "@embed",
        "@explicit",
        "@first",
        "@graph",
        "@id",
        "@import",
        "@included",
        "@index",
        "@json",
        "@language",
        "@list",
        "@nest",
        "@none",
        "@omitDefault",
        "@propagate",
        "@protected",
        "@preserve",
        "@requireAll",
        "@reverse",
        "@set",
        "@type",
        "@value",
        "@version",
        "@vocab",
    ]
)
_KEYWORD_LIKE = re.compile(r"^@[a-zA-Z]+$")
# Absolute IRIs the reference accepts (pyld: scheme, colon, no whitespace) that also need no
# escaping inside <...>: anything else is left to the reference path.
_CLEAN_IRI = re.compile(r"[A-Za-z][A-Za-z0-9+.\-]*:[^\s<>\"{}|^`\\\x00-\x20\x7f]*\Z")
# Containers handled by the converter; @language/@index/@id/@type maps are not.
_CONTAINERS = frozenset(
    [
        frozenset(),
        frozenset({"@set"}),
        frozenset({"@list"}),
        frozenset({"@graph"}),
        frozenset({"@graph", "@set"}),
    ]
)
_LANGUAGE = re.compile(r"[a-zA-Z]{1,8}(-[a-zA-Z0-9]{1,8})*\Z")
_MAX_CONTEXTS = 4096
_RDF_TYPE = "http://www.w3.org/1999/02/22-rdf-syntax-ns#type"


def check_language(value: Any) -> str:
    """A language tag pyld would write unchanged (else Unsupported), lower-cased as pyld does."""
    if not isinstance(value, str) or _LANGUAGE.match(value) is None:
        raise Unsupported("language tag")
    return value.lower()


def is_clean_iri(value: str) -> bool:
    """True for an absolute IRI that pyld keeps and that needs no N-Quads escaping."""
    return _CLEAN_IRI.match(value) is not None


@dataclass(frozen=True, slots=True)
class Prop:
    """What a key of a node object means in one active context."""

    iri: str  # an absolute IRI or a keyword
    term: str  # the IRI as an N-Quads term, <iri>
    type_: str | None  # type mapping: @id, @vocab, @json, a datatype IRI or None
    container: frozenset[str]
    scoped: Any  # property-scoped local context, or None
    language: str | None  # language tag for plain strings (from the term or the context)


def _loader(url: str, options: dict[str, Any] | None = None) -> dict[str, Any]:
    return {"contextUrl": None, "documentUrl": url, "document": load_context(url)}


def _options() -> dict[str, Any]:
    return {
        "base": None,
        "documentLoader": _loader,
        "contextResolver": ContextResolver(LRUCache(maxsize=256), _loader),
        "processingMode": "json-ld-1.1",
    }


_PROCESSOR = jsonld.JsonLdProcessor()
_OPTIONS = _options()
_LOCK = threading.Lock()
_REGISTRY: dict[int, Ctx] = {}


class Ctx:
    """A pyld active context plus caches of derived contexts and key look-ups."""

    __slots__ = ("_derived", "_inline", "_keywords", "_props", "previous", "raw")

    def __init__(self, raw: dict[str, Any]) -> None:
        self.raw = raw
        previous = raw.get("previousContext")
        self.previous: Ctx | None = None if previous is None else wrap(previous)
        self._props: dict[str, Prop] = {}
        self._derived: dict[tuple[int, bool, bool], tuple[Any, Ctx]] = {}
        self._inline: dict[str, Ctx] = {}
        self._keywords: dict[str, str | None] = {}

    def process(self, local: Any, *, propagate: bool, override: bool) -> Ctx:
        """The context after applying a scoped local context (cached by its identity)."""
        key = (id(local), propagate, override)
        hit = self._derived.get(key)
        if hit is not None and hit[0] is local:
            return hit[1]
        ctx = _process(self.raw, local, propagate=propagate, override=override)
        self._derived[key] = (local, ctx)
        return ctx

    def process_inline(self, local: Any) -> Ctx:
        """The context after a document's own ``@context`` (cached by its JSON text)."""
        key = json.dumps(local, separators=(",", ":"))
        ctx = self._inline.get(key)
        if ctx is None:
            ctx = _process(self.raw, local, propagate=True, override=False)
            if len(self._inline) < _MAX_CONTEXTS:
                self._inline[key] = ctx
        return ctx

    def keyword(self, key: str) -> str | None:
        """The keyword ``key`` expands to (as pyld's ``_expand_iri(vocab=True)``), or None."""
        try:
            return self._keywords[key]
        except KeyError:
            keyword = self._keyword(key)
        if len(self._keywords) < _MAX_CONTEXTS:
            self._keywords[key] = keyword
        return keyword

    def _keyword(self, key: str) -> str | None:
        if key in KEYWORDS:
            return key
        mapping = self.raw["mappings"].get(key)
        if mapping is None:
            return None
        iri = mapping.get("@id")
        return iri if isinstance(iri, str) and iri in KEYWORDS else None

    def scoped(self, term: str) -> Any:
        """The local context defined on ``term`` (type-scoped use), or None."""
        mapping = self.raw["mappings"].get(term)
        return None if mapping is None else mapping.get("@context")

    def prop(self, key: str) -> Prop:
        """The meaning of ``key``; :class:`Unsupported` when the fast path cannot use it."""
        prop = self._props.get(key)
        if prop is None:
            prop = self._compile(key)
            if len(self._props) < _MAX_CONTEXTS:
                self._props[key] = prop
        return prop

    def _compile(self, key: str) -> Prop:
        iri = self.expand_iri(key, vocab=True)
        # rdf:type as a property would need pyld's separate @type bookkeeping for duplicates
        if not is_clean_iri(iri) or iri == _RDF_TYPE:
            raise Unsupported(key)
        mapping = self.raw["mappings"].get(key)
        if mapping is None:
            return Prop(iri, f"<{iri}>", None, frozenset(), None, self._language(None))
        if mapping.get("reverse") or "@nest" in mapping or "@index" in mapping:
            raise Unsupported(key)
        container = frozenset(mapping.get("@container") or ())
        if container not in _CONTAINERS:
            raise Unsupported(key)
        language = self._language(mapping)
        type_ = mapping.get("@type")
        if type_ not in (None, "@id", "@vocab", "@json", "@none") and not is_clean_iri(type_):
            raise Unsupported(key)
        return Prop(iri, f"<{iri}>", type_, container, mapping.get("@context"), language)

    def _language(self, mapping: dict[str, Any] | None) -> str | None:
        """pyld's get_context_value for @language; any @direction is Unsupported."""
        if mapping is not None and "@direction" in mapping:
            direction = mapping["@direction"]
        else:
            direction = self.raw.get("@direction")
        if direction is not None:
            raise Unsupported("@direction")
        if mapping is not None and "@language" in mapping:
            language = mapping["@language"]
        else:
            language = self.raw.get("@language")
        return check_language(language) if language is not None else None

    def expand_iri(self, value: str, *, vocab: bool) -> str:
        """pyld's IRI expansion, without base resolution (relative IRIs are Unsupported)."""
        if value in KEYWORDS:
            return value
        if _KEYWORD_LIKE.match(value):
            raise Unsupported(value)
        mappings = self.raw["mappings"]
        if vocab and value in mappings:
            mapping = mappings[value]
            iri = None if mapping is None else mapping.get("@id")
            if not isinstance(iri, str):
                raise Unsupported(value)
            return iri
        colon = value.find(":")
        if colon > 0:
            prefix, suffix = value[:colon], value[colon + 1 :]
            if prefix == "_" or suffix.startswith("//"):
                return value
            mapping = mappings.get(prefix)
            if mapping and mapping.get("_prefix") and isinstance(mapping.get("@id"), str):
                return str(mapping["@id"]) + suffix
            if is_clean_iri(value):
                return value
        vocabulary = self.raw.get("@vocab")
        if vocab and isinstance(vocabulary, str):
            return vocabulary + value  # callers check that the result is a clean IRI
        # Undefined terms and relative IRIs: the reference path reports them.
        raise Unsupported(value)


def _process(raw: dict[str, Any], local: Any, *, propagate: bool, override: bool) -> Ctx:
    try:
        result = _PROCESSOR._process_context(
            raw, local, _OPTIONS, override_protected=override, propagate=propagate
        )
    except jsonld.JsonLdError as error:
        raise Unsupported("context processing failed") from error
    return wrap(result)


def wrap(raw: dict[str, Any]) -> Ctx:
    """The :class:`Ctx` of a pyld active context (one per context object)."""
    ctx = _REGISTRY.get(id(raw))
    if ctx is not None and ctx.raw is raw:
        return ctx
    with _LOCK:
        if len(_REGISTRY) >= _MAX_CONTEXTS:
            _REGISTRY.clear()  # bounded memory for documents with ever-new inline contexts
        ctx = Ctx(raw)
        _REGISTRY[id(raw)] = ctx
    return ctx


def initial_context() -> Ctx:
    """The empty JSON-LD 1.1 active context every document starts from."""
    return wrap(_PROCESSOR._get_initial_context(_OPTIONS))
