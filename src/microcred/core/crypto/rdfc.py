"""RDFC-1.0 canonical N-Quads of JSON-LD documents, in safe mode.

``canonicalize`` is the entry point: the fast path (:func:`fastrdf.canonicalize_fast`)
first, which declines anything it cannot prove safe; otherwise the safe-mode check and the
pyld reference path. Three things make the reference path agree with the other implementations
(the W3C and 1EdTech vectors, the Digital Bazaar stack):

* **Escaping.** pyld 3.3 writes N-Quads the URDNA2015 way (only ``\\t \\n \\r \\" \\\\``
  escaped). RDFC-1.0 (and ``rdf-canonize``) also escape ``\\b``, ``\\f`` and every other C0
  control and U+007F as ``\\uXXXX``. Blank-node hashes are computed over these serialized
  quads, so the escaping is applied *inside* the algorithm, not only to its output.
* **No base IRI.** pyld resolves relative IRIs against a default base unless ``base=None``.
* **Safe mode.** JSON-LD silently drops what the contexts do not define. A signature over
  such a document covers fewer triples than the author sees, and verifiers in safe mode (the
  Digital Bazaar stack) refuse it. So the document is expanded first and anything that would
  be dropped or stay relative is an :class:`UndefinedTermError` naming the term and its
  JSON path: properties that expand to nothing or to a relative IRI (reported by pyld's
  ``on_property_dropped`` hook while expanding), and relative ``@id``/``@type``/datatype
  values or blank-node predicates (found by walking the expanded form, which holds every
  IRI that reaches the RDF dataset).

Work limits (dataset poisoning): like ``rdf-canonize``'s default ``maxWorkFactor = 1``, the
Hash N-Degree Quads algorithm may run at most as many times as there are blank nodes whose
first-degree hashes collide, and no group of related blank nodes may be larger than
:data:`MAX_PERMUTED_BLANK_NODES` (the algorithm tries every permutation of each group).
"""

from __future__ import annotations

import re
from typing import Any

from cachetools import LRUCache
from pyld import jsonld
from pyld.canon import URDNA2015
from pyld.context_resolver import ContextResolver
from pyld.identifier_issuer import IdentifierIssuer

from microcred.core.crypto import fastrdf
from microcred.core.crypto.documentloader import pyld_loader
from microcred.core.crypto.nquads import escape_literal, iri
from microcred.core.errors import InputError, UndefinedTermError

#: Largest group of indistinguishable related blank nodes (8! = 40,320 permutations).
MAX_PERMUTED_BLANK_NODES = 8
#: Hash N-Degree Quads runs at most (colliding blank nodes) ** MAX_WORK_FACTOR times.
MAX_WORK_FACTOR = 1

_XSD_STRING = "http://www.w3.org/2001/XMLSchema#string"
_RDF_LANGSTRING = "http://www.w3.org/1999/02/22-rdf-syntax-ns#langString"
# The same test pyld and jsonld.js use: a scheme (or "_" for blank nodes), a colon, no spaces.
_ABSOLUTE = re.compile(r"^([A-Za-z][A-Za-z0-9+\-.]*|_):[^\s]*$")

# Resolved contexts, shared across calls; only bundled URLs can ever enter it, and inline
# contexts are bounded by the LRU size.
_RESOLVED_CONTEXTS: LRUCache[Any, Any] = LRUCache(maxsize=512)


def _term(component: dict[str, Any]) -> str:
    if component["type"] == "blank node":
        return str(component["value"])
    if component["type"] == "IRI":
        return iri(component["value"])
    text = '"' + escape_literal(component["value"]) + '"'
    datatype = component.get("datatype", _XSD_STRING)
    if datatype == _RDF_LANGSTRING:
        return text + "@" + component["language"] if component.get("language") else text
    return text if datatype == _XSD_STRING else text + "^^" + iri(datatype)


def serialize_quad(quad: dict[str, Any]) -> str:
    """One quad (pyld's dict shape) as an RDFC-1.0 canonical N-Quads line."""
    line = f"{_term(quad['subject'])} {_term(quad['predicate'])} {_term(quad['object'])}"
    name = quad.get("name")
    if name is not None and name.get("value") is not None:
        line += " " + _term(name)
    return line + " .\n"


class _RDFC10(URDNA2015):  # type: ignore[misc]  # pyld is untyped
    """pyld's URDNA2015 with RDFC-1.0 escaping in the hashed quads and bounded work."""

    def __init__(self) -> None:
        super().__init__()
        self._remaining_deep: int | None = None

    def hash_first_degree_quads(self, id_: str) -> str:
        info = self.blank_node_info[id_]
        if "hash" not in info:
            nquads = sorted(
                serialize_quad(
                    {
                        key: self.modify_first_degree_component(id_, component, key)
                        for key, component in quad.items()
                    }
                )
                for quad in info["quads"]
            )
            info["hash"] = self.hash_nquads(nquads)
        return str(info["hash"])

    def hash_n_degree_quads(self, id_: str, issuer: Any) -> Any:
        if self._remaining_deep is None:
            # First call: hash_to_blank_nodes now holds only the colliding hashes (step 6).
            colliding = sum(len(ids) for ids in self.hash_to_blank_nodes.values())
            self._remaining_deep = colliding**MAX_WORK_FACTOR
        if self._remaining_deep <= 0:
            raise InputError(
                "the document's blank nodes need too much work to canonicalize "
                "(RDF dataset poisoning?): give the objects ids or make them distinct",
                where="document",
            )
        self._remaining_deep -= 1
        return super().hash_n_degree_quads(id_, issuer)

    def create_hash_to_related(self, id_: str, issuer: Any) -> dict[str, list[str]]:
        related: dict[str, list[str]] = super().create_hash_to_related(id_, issuer)
        if any(len(group) > MAX_PERMUTED_BLANK_NODES for group in related.values()):
            raise InputError(
                f"more than {MAX_PERMUTED_BLANK_NODES} indistinguishable blank nodes are "
                "linked to one node: too much work to canonicalize",
                where="document",
            )
        return related

    def canonical_nquads(self, dataset: dict[str, Any]) -> str:
        self.main(dataset, {"format": "application/n-quads"})
        # main() relabelled every blank node in self.quads; serialize them the RDFC-1.0 way.
        return "".join(sorted(serialize_quad(quad) for quad in self.quads))


def _options() -> dict[str, Any]:
    return {
        "base": None,
        "documentLoader": pyld_loader,
        "contextResolver": ContextResolver(_RESOLVED_CONTEXTS, pyld_loader),
        "processingMode": "json-ld-1.1",
        "extractAllScripts": True,
    }


class _Expander(jsonld.JsonLdProcessor):  # type: ignore[misc]  # pyld is untyped
    """pyld expansion that records each dropped key and the JSON path of its object.

    pyld expands a deep copy of the document; the copy has the same shape, so paths found
    in it are paths in the caller's document.
    """

    def __init__(self) -> None:
        super().__init__(on_property_dropped=self._on_dropped)
        self._root: Any = None
        self._objects: list[dict[str, Any]] = []
        self._last_key: Any = None
        self.dropped: list[tuple[str, str]] = []  # (key, JSON path of the key)

    def _expand(
        self, active_ctx: Any, active_property: Any, element: Any, *a: Any, **k: Any
    ) -> Any:
        if self._root is None:
            self._root = element
        return super()._expand(active_ctx, active_property, element, *a, **k)

    def _expand_object(
        self,
        active_ctx: Any,
        active_property: Any,
        expanded_active_property: Any,
        element: dict[str, Any],
        *args: Any,
        **kwargs: Any,
    ) -> Any:
        self._objects.append(element)
        try:
            return super()._expand_object(
                active_ctx, active_property, expanded_active_property, element, *args, **kwargs
            )
        finally:
            self._objects.pop()

    def _expand_iri(self, active_ctx: Any, value: Any, *args: Any, **kwargs: Any) -> Any:
        # _expand_object expands each key right before reporting it dropped: remember it.
        self._last_key = value
        return super()._expand_iri(active_ctx, value, *args, **kwargs)

    def _on_dropped(self, expanded_property: str | None) -> None:
        if self.dropped:  # the first one is reported; skip the path search for the rest
            return
        where = "$"
        if self._objects:
            where = _paths(self._root, "$", {}).get(id(self._objects[-1]), "$")
        self.dropped.append((str(self._last_key), f"{where}.{self._last_key}"))


def _paths(node: Any, path: str, out: dict[int, str]) -> dict[int, str]:
    """id(object) -> JSON path, for every object and array under ``node``."""
    out[id(node)] = path
    if isinstance(node, dict):
        for key, value in node.items():
            if isinstance(value, dict | list):
                _paths(value, f"{path}.{key}", out)
    elif isinstance(node, list):
        for i, value in enumerate(node):
            if isinstance(value, dict | list):
                _paths(value, f"{path}[{i}]", out)
    return out


def _find_string(node: Any, text: str, path: str = "$") -> str | None:
    """JSON path of the first string value equal to ``text`` (to point at a bad IRI)."""
    if isinstance(node, dict):
        items: list[tuple[str, Any]] = [(f"{path}.{k}", v) for k, v in node.items()]
    elif isinstance(node, list):
        items = [(f"{path}[{i}]", v) for i, v in enumerate(node)]
    else:
        return path if node == text else None
    for sub_path, value in items:
        if not sub_path.endswith(".@context"):
            found = _find_string(value, text, sub_path)
            if found is not None:
                return found
    return None


def _dropped_error(key: str, where: str) -> UndefinedTermError:
    if key.startswith("@"):
        reason = "looks like a JSON-LD keyword but is not one"
    else:
        reason = "no @context of the document defines it (or it is mapped to null)"
    return UndefinedTermError(
        f"undefined term {key!r}: {reason}, so it would be silently left out of the signed data",
        where=where,
    )


def _relative(kind: str, value: str, document: dict[str, Any], fallback: str) -> UndefinedTermError:
    if kind == "@id":
        message = (
            f"@id {value!r} is a relative IRI reference, which RDF drops (there is no base "
            "IRI): use an absolute IRI such as a URL, urn:uuid: or did:"
        )
    else:
        message = (
            f"undefined {kind} {value!r}: the document's contexts do not define it and it is "
            "not an absolute IRI, so RDF would drop it (add the context that defines it, e.g. "
            "the OB 3.0 extensions context for the 1EdTech types)"
        )
    return UndefinedTermError(message, where=_find_string(document, value) or fallback)


def _check_iri(kind: str, value: Any, document: dict[str, Any], where: str) -> None:
    if isinstance(value, str) and not _ABSOLUTE.match(value):
        raise _relative(kind, value, document, where)


def _check_expanded(node: Any, document: dict[str, Any], where: str) -> None:
    """Walk the expanded form: every IRI that becomes RDF must be absolute (or a blank node)."""
    if isinstance(node, list):
        for item in node:
            _check_expanded(item, document, where)
        return
    if not isinstance(node, dict):
        return
    if "@value" in node:
        if node.get("@type") not in (None, "@json"):
            _check_iri("datatype", node["@type"], document, where)
        return
    for key, value in node.items():
        if key == "@id":
            _check_iri("@id", value, document, where)
        elif key == "@type":
            for type_ in value if isinstance(value, list) else [value]:
                _check_iri("@type", type_, document, where)
        elif key.startswith("@"):
            _check_expanded(value, document, f"{where}.{key}")
        elif key.startswith("_:") or not _ABSOLUTE.match(key):
            raise UndefinedTermError(
                f"property {key!r} is not an IRI that RDF can keep", where=where
            )
        else:
            _check_expanded(value, document, f"{where}.<{key}>")


def _unwrap(error: jsonld.JsonLdError) -> InputError:
    """The InputError that pyld wrapped (e.g. a ContextError), or one describing its error."""
    cause: BaseException | None = error
    innermost = error
    while cause is not None:
        if isinstance(cause, InputError):
            return cause
        if isinstance(cause, jsonld.JsonLdError):
            innermost = cause
        cause = cause.__cause__
    message = innermost.args[0] if innermost.args else "unknown error"
    code = getattr(innermost, "code", None) or getattr(innermost, "type", "")
    return InputError(f"invalid JSON-LD: {message} ({code})", where="document")


def _expand_safely(document: Any) -> list[Any]:
    if not isinstance(document, dict):
        raise InputError("a JSON-LD document must be a JSON object", where="document")
    if "@context" not in document:
        raise UndefinedTermError(
            "the document has no @context, so none of its terms are defined", where="$.@context"
        )
    expander = _Expander()
    try:
        expanded: list[Any] = expander.expand(document, _options())
    except jsonld.JsonLdError as error:
        raise _unwrap(error) from None
    except RecursionError:
        raise InputError("the document is nested too deeply", where="document") from None
    except ValueError as error:
        # pyld's IRI resolver raises a bare ValueError for a relative context IRI such as
        # "0" or "" (found by fuzzing): bad input, not a crash.
        raise InputError(f"invalid JSON-LD: {error}", where="$.@context") from None
    if expander.dropped:
        raise _dropped_error(*expander.dropped[0])
    _check_expanded(expanded, document, "$")
    return expanded


def check_safe(document: dict[str, Any]) -> None:
    """Raise :class:`UndefinedTermError` if canonicalizing ``document`` would lose data.

    Also raises :class:`ContextError` for a context that is not bundled and
    :class:`InputError` for JSON-LD that cannot be processed.
    """
    _expand_safely(document)


def _canonicalize_expanded(expanded: list[Any]) -> str:
    # The tail of pyld's to_rdf (node map, then triples) run on the expanded form we already
    # have: to_rdf itself would expand the document a second time, which costs as much again.
    processor = jsonld.JsonLdProcessor()
    issuer = IdentifierIssuer("_:b")
    options = {
        "produceGeneralizedRdf": False,
        "rdfDirection": None,
        "processingMode": "json-ld-1.1",
    }
    node_map: dict[str, Any] = {"@default": {}}
    try:
        processor._create_node_map(expanded, node_map, "@default", issuer)
        dataset = {
            name: processor._graph_to_rdf(graph, issuer, options)
            for name, graph in sorted(node_map.items())
            if name == "@default" or _ABSOLUTE.match(name)
        }
    except jsonld.JsonLdError as error:
        raise _unwrap(error) from None
    except RecursionError:
        raise InputError("the document is nested too deeply", where="document") from None
    return _RDFC10().canonical_nquads(dataset)


def canonicalize_reference(document: dict[str, Any], *, safe: bool = True) -> str:
    """RDFC-1.0 canonical N-Quads of ``document`` through pyld (the reference path).

    With ``safe=False`` the safe-mode check is skipped: undefined terms are then dropped
    silently, as plain pyld does (for comparisons and benchmarks only, never for signing).
    """
    if safe:
        return _canonicalize_expanded(_expand_safely(document))
    if not isinstance(document, dict):
        raise InputError("a JSON-LD document must be a JSON object", where="document")
    try:
        expanded: list[Any] = jsonld.JsonLdProcessor().expand(document, _options())
    except jsonld.JsonLdError as error:
        raise _unwrap(error) from None
    except RecursionError:
        raise InputError("the document is nested too deeply", where="document") from None
    return _canonicalize_expanded(expanded)


def canonicalize(document: dict[str, Any]) -> str:
    """RDFC-1.0 canonical N-Quads of ``document``, in safe mode.

    The fast path runs first: it only answers for documents whose every key, type and IRI it
    resolved to an absolute IRI through the bundled contexts, and declines (``None``)
    anything else, including everything safe mode refuses. Only then does the pyld safe-mode
    check run (it costs about as much as a whole pyld canonicalization, so running it first
    would cancel the fast path), followed by the reference path. The tests check that unsafe
    documents are refused through this entry point.
    """
    fast = fastrdf.canonicalize_fast(document) if isinstance(document, dict) else None
    if fast is not None:
        return fast
    try:
        return _canonicalize_expanded(_expand_safely(document))
    except UnicodeEncodeError:
        # JSON allows "\ud800" on its own; UTF-8 (and so N-Quads) cannot carry it.
        raise InputError("a string contains an unpaired UTF-16 surrogate") from None
