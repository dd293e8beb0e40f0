"""RDFC-1.0 canonical labelling and serialization of a quad list.

A port of pyld's ``URDNA2015`` (which ``rdfc.py`` runs as the reference, with RDFC-1.0
escaping inside the hashed quads) working on pre-serialized N-Quads terms. Like pyld it keeps
duplicate quads, and a quad naming one blank node twice counts twice for that node. The work
limits are ``rdfc.py``'s: beyond them the fast path declines and the reference path raises.
"""

from __future__ import annotations

import hashlib

from pyld.canon import permutations

from microcred.core.crypto.fastrdf.context import Unsupported
from microcred.core.crypto.fastrdf.torfd import Quad

# Same limits as rdfc.py (MAX_PERMUTED_BLANK_NODES, MAX_WORK_FACTOR = 1).
_MAX_PERMUTED = 8


def _line(quad: Quad) -> str:
    s, p, o, g = quad
    return f"{s} {p} {o} {g} .\n" if g else f"{s} {p} {o} .\n"


class _Issuer:
    __slots__ = ("ids", "prefix")

    def __init__(self, prefix: str, ids: dict[str, str] | None = None) -> None:
        self.prefix = prefix
        self.ids: dict[str, str] = {} if ids is None else ids

    def issue(self, old: str) -> str:
        new = self.ids.get(old)
        if new is None:
            new = self.ids[old] = f"{self.prefix}{len(self.ids)}"
        return new

    def copy(self) -> _Issuer:
        return _Issuer(self.prefix, dict(self.ids))


class _Canonicalizer:
    def __init__(self, quads: list[Quad]) -> None:
        self.quads = quads
        self.info: dict[str, list[Quad]] = {}
        for quad in quads:
            for component in (quad[0], quad[2], quad[3]):
                if component.startswith("_:"):
                    self.info.setdefault(component, []).append(quad)
        self.hashes: dict[str, str] = {}
        self.canonical = _Issuer("_:c14n")
        self.deep_budget = 0

    def first_degree(self, node: str) -> str:
        """Hash First Degree Quads: the node's quads with itself as _:a, others as _:z."""
        cached = self.hashes.get(node)
        if cached is not None:
            return cached
        lines = []
        for s, p, o, g in self.info[node]:
            s = s if not s.startswith("_:") else "_:a" if s == node else "_:z"
            o = o if not o.startswith("_:") else "_:a" if o == node else "_:z"
            g = g if not g.startswith("_:") else "_:a" if g == node else "_:z"
            lines.append(_line((s, p, o, g)))
        lines.sort()
        digest = hashlib.sha256("".join(lines).encode("utf-8")).hexdigest()
        self.hashes[node] = digest
        return digest

    def label(self) -> None:
        """Issue canonical identifiers: unique first-degree hashes first, then N-degree."""
        groups: dict[str, list[str]] = {}
        for node in self.info:
            groups.setdefault(self.first_degree(node), []).append(node)
        shared = []
        for _digest, nodes in sorted(groups.items()):
            if len(nodes) == 1:
                self.canonical.issue(nodes[0])
            else:
                shared.append(nodes)
        self.deep_budget = sum(len(nodes) for nodes in shared)
        for nodes in shared:
            results = []
            for node in nodes:
                if node in self.canonical.ids:
                    continue
                issuer = _Issuer("_:b")
                issuer.issue(node)
                results.append(self.n_degree(node, issuer))
            for _digest, issuer in sorted(results, key=lambda result: result[0]):
                for existing in issuer.ids:
                    self.canonical.issue(existing)

    def related_hash(self, related: str, predicate: str, issuer: _Issuer, position: str) -> str:
        """Hash Related Blank Node."""
        if related in self.canonical.ids:
            ident = self.canonical.ids[related]
        elif related in issuer.ids:
            ident = issuer.ids[related]
        else:
            ident = self.first_degree(related)
        text = position + (predicate if position != "g" else "") + ident
        return hashlib.sha256(text.encode("utf-8")).hexdigest()

    def hash_to_related(self, node: str, issuer: _Issuer) -> dict[str, list[str]]:
        result: dict[str, list[str]] = {}
        for s, p, o, g in self.info[node]:
            for component, position in ((s, "s"), (o, "o"), (g, "g")):
                if component.startswith("_:") and component != node:
                    digest = self.related_hash(component, p, issuer, position)
                    result.setdefault(digest, []).append(component)
        if any(len(group) > _MAX_PERMUTED for group in result.values()):
            raise Unsupported("too many indistinguishable blank nodes")
        return result

    def n_degree(self, node: str, issuer: _Issuer) -> tuple[str, _Issuer]:
        """Hash N-Degree Quads."""
        self.deep_budget -= 1
        if self.deep_budget < 0:
            raise Unsupported("blank nodes need too much work")
        md = hashlib.sha256()
        for digest, related in sorted(self.hash_to_related(node, issuer).items()):
            md.update(digest.encode("utf-8"))
            path, issuer = self.choose_path(related, issuer)
            md.update(path.encode("utf-8"))
        return md.hexdigest(), issuer

    def choose_path(self, related: list[str], issuer: _Issuer) -> tuple[str, _Issuer]:
        chosen_path = ""
        chosen_issuer: _Issuer | None = None
        for permutation in permutations(related):
            outcome = self.try_path(permutation, issuer.copy(), chosen_path)
            if outcome is not None and (not chosen_path or outcome[0] < chosen_path):
                chosen_path, chosen_issuer = outcome
        if chosen_issuer is None:
            raise Unsupported("no path chosen")
        return chosen_path, chosen_issuer

    def try_path(
        self, permutation: list[str], issuer: _Issuer, chosen: str
    ) -> tuple[str, _Issuer] | None:
        """One permutation of a related group; None when it cannot beat ``chosen``."""
        path = ""
        recursion: list[str] = []
        for related in permutation:
            if related in self.canonical.ids:
                path += self.canonical.ids[related]
            else:
                if related not in issuer.ids:
                    recursion.append(related)
                path += issuer.issue(related)
            if chosen and len(path) >= len(chosen) and path > chosen:
                return None
        for related in recursion:
            digest, issuer = self.n_degree(related, issuer)
            path += issuer.issue(related) + "<" + digest + ">"
            if chosen and len(path) >= len(chosen) and path > chosen:
                return None
        return path, issuer

    def serialize(self) -> str:
        ids = self.canonical.ids
        lines = [
            _line(
                (
                    ids.get(s, s),
                    p,
                    ids.get(o, o),
                    ids.get(g, g),
                )
            )
            for s, p, o, g in self.quads
        ]
        lines.sort()
        return "".join(lines)


def canonical_nquads(quads: list[Quad]) -> str:
    """RDFC-1.0 canonical N-Quads of ``quads``."""
    canonicalizer = _Canonicalizer(quads)
    canonicalizer.label()
    return canonicalizer.serialize()
