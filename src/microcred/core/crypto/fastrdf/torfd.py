"""Compact JSON-LD straight to RDF quads, in one walk, for documents with bundled contexts.

This fuses pyld's expansion, node-map generation and ``toRdf`` for the features the
credential contexts use. Each step mirrors the corresponding pyld code (named in the
comments) so that the resulting dataset is the reference's, quad for quad, including its
duplicate handling; whatever it does not mirror raises :class:`Unsupported` instead.

Quads are tuples of N-Quads terms ``(subject, predicate, object, graph)``, ``graph`` being
``""`` for the default graph. Blank nodes are ``_:b<n>``; literals are already escaped.
"""

from __future__ import annotations

from typing import Any

from microcred.core.crypto.fastrdf.context import (
    Ctx,
    Prop,
    Unsupported,
    check_language,
    initial_context,
    is_clean_iri,
)
from microcred.core.crypto.fastrdf.literals import RDF, dedupe_key, language_literal, literal

Quad = tuple[str, str, str, str]
Result = tuple[str, Any] | None  # (N-Quads term, duplicate key) or None when dropped

RDF_TYPE = "<" + RDF + "type>"
RDF_FIRST = "<" + RDF + "first>"
RDF_REST = "<" + RDF + "rest>"
RDF_NIL = "<" + RDF + "nil>"
_PLAIN_TYPES = (None, "@id", "@vocab", "@none")


def _strict_eq(a: Any, b: Any) -> bool:
    # pyld's compare_values for primitives: 1 == 1.0, but True != 1
    if isinstance(a, bool) or isinstance(b, bool):
        return type(a) is type(b) and a == b
    return bool(a == b)


def _as_list(value: Any) -> list[Any]:
    return value if isinstance(value, list) else [value]


def _flatten(value: Any) -> list[Any]:
    """pyld expands nested arrays (outside lists) into one flat array, dropping nulls."""
    if not isinstance(value, list):
        return [] if value is None else [value]
    items: list[Any] = []
    for item in value:
        items.extend(_flatten(item))
    return items


class Converter:
    """One document's walk; ``quads`` holds the result."""

    def __init__(self) -> None:
        self.quads: list[Quad] = []
        self._count = 0
        self._labels: dict[str, str] = {}
        self._seen: set[tuple[Any, ...]] = set()
        self._json_seen: dict[tuple[str, str, str], list[Any]] = {}

    def convert(self, document: Any) -> list[Quad]:
        """All quads of ``document`` (a top-level node object)."""
        if not isinstance(document, dict):
            raise Unsupported("top level is not a JSON object")
        result = self._object(initial_context(), None, document, "")
        if result is None or not result[0].startswith(("<", "_:")):
            raise Unsupported("top level is not a node object")
        return self.quads

    # -- terms and emission ---------------------------------------------------------------

    def _fresh(self) -> str:
        label = f"_:b{self._count}"
        self._count += 1
        return label

    def _resource(self, ctx: Ctx, value: Any, *, vocab: bool) -> str:
        """The N-Quads term of an IRI or blank node identifier (pyld relabels blank nodes)."""
        if not isinstance(value, str):
            raise Unsupported("identifier is not a string")
        iri = ctx.expand_iri(value, vocab=vocab)
        if iri.startswith("_:"):
            label = self._labels.get(iri)
            if label is None:
                label = self._labels[iri] = self._fresh()
            return label
        if not is_clean_iri(iri):
            raise Unsupported(iri)
        return "<" + iri + ">"

    def _emit(self, graph: str, subject: str, predicate: str, result: tuple[str, Any]) -> None:
        # pyld's node map: add_value(..., allowDuplicate=False) per graph/subject/property
        term, key = result
        if key is not None:
            full = (graph, subject, predicate, key)
            if full in self._seen:
                return
            self._seen.add(full)
        self.quads.append((subject, predicate, term, graph))

    # -- maps: pyld _expand (object branch) + _prepare_nested_context ---------------------

    def _object(self, ctx: Ctx, prop: Prop | None, element: dict[str, Any], graph: str) -> Result:
        ctx = self._revert(ctx, element)
        if prop is not None and prop.scoped is not None:
            ctx = ctx.process(prop.scoped, propagate=True, override=True)
        ctx, type_scoped = self._prepare(ctx, element)
        kinds = {key: ctx.keyword(key) for key in element}
        if "@value" in kinds.values():
            if prop is None:
                raise Unsupported("free-floating value")
            return self._value_object(ctx, type_scoped, element, kinds)
        subject = self._node(ctx, type_scoped, element, kinds, graph)
        return subject, ("i", subject)

    @staticmethod
    def _revert(ctx: Ctx, element: dict[str, Any]) -> Ctx:
        """Type-scoped contexts do not propagate into nested node objects."""
        if ctx.previous is None:
            return ctx
        if len(element) <= 2 and "@context" not in element:
            for key in sorted(element):
                keyword = ctx.keyword(key)
                if keyword == "@value" or (keyword == "@id" and len(element) == 1):
                    return ctx
        return ctx.previous

    @staticmethod
    def _prepare(ctx: Ctx, element: dict[str, Any]) -> tuple[Ctx, Ctx]:
        """Embedded context, then type-scoped contexts of the types in sorted order."""
        if "@context" in element:
            local = element["@context"]
            if isinstance(local, dict) and len(local) == 1 and "@context" in local:
                raise Unsupported("invalid local context")
            ctx = ctx.process_inline(local)
        type_scoped = ctx
        for key in sorted(key for key in element if ctx.keyword(key) == "@type"):
            for type_ in sorted(t for t in _as_list(element[key]) if isinstance(t, str)):
                scoped = type_scoped.scoped(type_)
                if scoped is not None and scoped is not False:
                    ctx = ctx.process(scoped, propagate=False, override=False)
        return ctx, type_scoped

    def _value_object(
        self, ctx: Ctx, type_scoped: Ctx, element: dict[str, Any], kinds: dict[str, str | None]
    ) -> Result:
        by_kind: dict[str | None, list[str]] = {}
        for key, kind in kinds.items():
            by_kind.setdefault(kind, []).append(key)
        if set(by_kind) - {"@value", "@type", "@language", "@context"}:
            raise Unsupported("value object keys")
        if any(len(keys) > 1 for keys in by_kind.values()):
            raise Unsupported("value object keys")
        value = element[by_kind["@value"][0]]
        if "@language" in by_kind:
            return self._language_value(value, element[by_kind["@language"][0]], by_kind)
        datatype = None
        if "@type" in by_kind:
            datatype = self._datatype(ctx, type_scoped, element[by_kind["@type"][0]])
        if datatype == "@json":
            return literal(value, "@json"), None
        if value is None:
            return None
        if isinstance(value, (dict, list)):
            raise Unsupported("invalid value object")
        return literal(value, datatype), dedupe_key(value, datatype)

    @staticmethod
    def _datatype(ctx: Ctx, type_scoped: Ctx, type_: Any) -> str:
        if not isinstance(type_, str):
            raise Unsupported("value object @type")
        datatype = type_scoped.expand_iri(type_, vocab=True)
        is_json = ctx.expand_iri(type_, vocab=True) == "@json"
        if (datatype == "@json") != is_json or not (is_json or is_clean_iri(datatype)):
            raise Unsupported("value object @type")
        return datatype

    @staticmethod
    def _language_value(value: Any, language: Any, by_kind: dict[str | None, list[str]]) -> Result:
        if "@type" in by_kind:
            raise Unsupported("@type with @language")
        if language is None:  # pyld ignores "@language": null
            return None if value is None else (literal(value, None), dedupe_key(value, None))
        if value is None:
            return None
        if not isinstance(value, str):
            raise Unsupported("language-tagged non-string")
        tag = check_language(language)
        return language_literal(value, tag), ("s", value, None, tag)

    # -- node objects: pyld _expand_object + _create_node_map + _graph_to_rdf -------------

    def _node(
        self,
        ctx: Ctx,
        type_scoped: Ctx,
        element: dict[str, Any],
        kinds: dict[str, str | None],
        graph: str,
    ) -> str:
        ids = [key for key, kind in kinds.items() if kind == "@id"]
        if len(ids) > 1:
            raise Unsupported("colliding @id keys")
        subject = self._resource(ctx, element[ids[0]], vocab=False) if ids else self._fresh()
        for key in sorted(element):
            kind = kinds[key]
            if kind == "@type":
                self._types(type_scoped, subject, element[key], graph)
            elif kind is None:
                self._property(ctx, subject, key, element[key], graph)
            elif kind not in ("@id", "@context"):
                raise Unsupported(f"keyword {kind}")
        return subject

    def _types(self, type_scoped: Ctx, subject: str, value: Any, graph: str) -> None:
        for type_ in _as_list(value):
            if not isinstance(type_, str):
                raise Unsupported("@type value is not a string")
            iri = type_scoped.expand_iri(type_, vocab=True)
            if not is_clean_iri(iri):
                raise Unsupported(iri)
            term = "<" + iri + ">"
            self._emit(graph, subject, RDF_TYPE, (term, ("i", term)))

    def _property(self, ctx: Ctx, subject: str, key: str, value: Any, graph: str) -> None:
        prop = ctx.prop(key)  # never a keyword here: keys that expand to one are not properties
        term_ctx = ctx
        if prop.scoped is not None:
            term_ctx = ctx.process(prop.scoped, propagate=True, override=True)
            if term_ctx.prop(key) != prop:
                raise Unsupported("scoped context redefines its own term")
        predicate = prop.term
        if prop.type_ == "@json":
            if prop.container - {"@set"}:
                raise Unsupported("@json with a container")
            self._emit_json(graph, subject, predicate, value)
        elif value is None:
            return
        elif "@list" in prop.container:
            head = self._list(term_ctx, prop, value, graph)
            self.quads.append((subject, predicate, head, graph))
        elif "@graph" in prop.container:
            self._graphs(term_ctx, prop, subject, predicate, value, graph)
        else:
            for item in _flatten(value):
                result = self._item(term_ctx, prop, item, graph)
                if result is not None:
                    self._emit(graph, subject, predicate, result)

    def _emit_json(self, graph: str, subject: str, predicate: str, value: Any) -> None:
        seen = self._json_seen.setdefault((graph, subject, predicate), [])
        if any(_strict_eq(value, other) for other in seen):
            return
        seen.append(value)
        self.quads.append((subject, predicate, literal(value, "@json"), graph))

    def _graphs(
        self, ctx: Ctx, prop: Prop, subject: str, predicate: str, value: Any, graph: str
    ) -> None:
        """@container @graph: each value becomes its own named graph with a blank node name."""
        for item in _flatten(value):
            name = self._fresh()
            if self._item(ctx, prop, item, name) is not None:
                self._emit(graph, subject, predicate, (name, ("i", name)))

    def _list(self, ctx: Ctx, prop: Prop, value: Any, graph: str) -> str:
        """pyld _list_to_rdf: a chain of fresh blank nodes ending in rdf:nil."""
        objects: list[str] = []
        for item in _as_list(value):
            if isinstance(item, list):
                raise Unsupported("list of lists")
            result = None if item is None else self._item(ctx, prop, item, graph)
            if result is not None:
                objects.append(result[0])
        head = RDF_NIL
        for term in reversed(objects):
            node = self._fresh()
            self.quads.append((node, RDF_FIRST, term, graph))
            self.quads.append((node, RDF_REST, head, graph))
            head = node
        return head

    def _item(self, ctx: Ctx, prop: Prop, item: Any, graph: str) -> Result:
        if isinstance(item, dict):
            return self._object(ctx, prop, item, graph)
        # pyld _expand_value
        if isinstance(item, str) and prop.type_ in ("@id", "@vocab"):
            term = self._resource(ctx, item, vocab=prop.type_ == "@vocab")
            return term, ("i", term)
        datatype = None if prop.type_ in _PLAIN_TYPES else prop.type_
        if datatype is None and isinstance(item, str) and prop.language is not None:
            return language_literal(item, prop.language), ("s", item, None, prop.language)
        return literal(item, datatype), dedupe_key(item, datatype)
