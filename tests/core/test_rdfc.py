"""RDFC-1.0 canonicalization: published vectors, RDFC-1.0 escaping, safe mode, work limits."""

from __future__ import annotations

import copy
import json
import re
import time
from pathlib import Path
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from microcred.core.crypto import fastrdf, rdfc
from microcred.core.crypto.documentloader import load_context
from microcred.core.crypto.nquads import escape_literal
from microcred.core.crypto.rdfc import canonicalize, canonicalize_reference
from microcred.core.errors import InputError, UndefinedTermError
from tests.conftest import VECTORS, read_json

EDDSA = VECTORS / "vc-di-eddsa"
OB = VECTORS / "1edtech-obv3p0-eddsa-rdfc-2022"
CLR = VECTORS / "1edtech-clrv2p0-eddsa-rdfc-2022"
TEMPLATE = VECTORS.parents[1] / "interop" / "ob3_template.json"
VOCAB = {"@vocab": "https://ex.org/"}

# (document, expected canonical N-Quads, file whose @context a proof config takes)
VECTOR_CASES = [
    (EDDSA / "unsigned.json", EDDSA / "eddsa-rdfc-2022/canonDocDataInt.txt", None),
    (EDDSA / "employmentAuth.json", EDDSA / "eddsa-rdfc-2022/employ/canonDocDataInt.txt", None),
    (
        EDDSA / "eddsa-rdfc-2022/proofConfigDataInt.json",
        EDDSA / "eddsa-rdfc-2022/proofCanonDataInt.txt",
        None,
    ),
    (
        EDDSA / "eddsa-rdfc-2022/employ/proofConfigDataInt.json",
        EDDSA / "eddsa-rdfc-2022/employ/proofCanonDataInt.txt",
        None,
    ),
    (OB / "unsigned.json", OB / "document-canon.nq", None),
    (OB / "proof-config.json", OB / "proof-canon.nq", OB / "unsigned.json"),
    (CLR / "unsigned.json", CLR / "document-canon.nq", None),
    (CLR / "proof-config.json", CLR / "proof-canon.nq", CLR / "unsigned.json"),
]


def load_case(document: Path, context_from: Path | None) -> dict[str, Any]:
    doc: dict[str, Any] = read_json(document)
    if context_from is not None:
        # The 1EdTech proof configurations are printed without @context; the suite gives a
        # proof configuration the document's @context (vc-di-eddsa, "Proof Configuration").
        doc = {"@context": read_json(context_from)["@context"], **doc}
    return doc


@pytest.mark.parametrize(
    ("document", "expected", "context_from"),
    VECTOR_CASES,
    ids=[str(c[1].relative_to(VECTORS)) for c in VECTOR_CASES],
)
def test_published_vectors(document: Path, expected: Path, context_from: Path | None) -> None:
    doc = load_case(document, context_from)
    before = copy.deepcopy(doc)
    want = expected.read_text(encoding="utf-8")
    assert canonicalize_reference(doc) == want
    assert canonicalize(doc) == want
    assert doc == before  # the caller's document is never modified


def test_bundled_contexts_are_not_mutated_by_canonicalization() -> None:
    for document, _, context_from in VECTOR_CASES:
        canonicalize_reference(load_case(document, context_from))
    contexts = Path(str(rdfc.__file__)).parent / "contexts"
    index = json.loads((contexts / "index.json").read_text())
    for url in ["https://www.w3.org/ns/credentials/v2", "https://w3id.org/security/v2"]:
        assert load_context(url) == json.loads((contexts / index[url]).read_bytes())


def test_dispatch_uses_the_fast_path_first(monkeypatch: pytest.MonkeyPatch) -> None:
    seen: list[dict[str, Any]] = []

    def fast(document: dict[str, Any]) -> str | None:
        seen.append(document)
        return "FAST\n"

    monkeypatch.setattr(fastrdf, "canonicalize_fast", fast)
    doc = read_json(EDDSA / "unsigned.json")
    assert canonicalize(doc) == "FAST\n"
    assert seen == [doc]


def _objects(node: Any, path: tuple[Any, ...] = ()) -> list[tuple[Any, ...]]:
    """Paths of every JSON object of a document outside @context."""
    found: list[tuple[Any, ...]] = []
    if isinstance(node, dict):
        found.append(path)
        for key, value in node.items():
            if key != "@context":
                found += _objects(value, (*path, key))
    elif isinstance(node, list):
        for i, value in enumerate(node):
            found += _objects(value, (*path, i))
    return found


_TEMPLATE_OBJECTS = _objects(read_json(TEMPLATE))
_DEFECTS = [
    ("undefinedKey", "x"),
    ("type", "Bogus"),
    ("type", ["1EdTechJsonSchemaValidator2019"]),
    ("id", "relative/ref"),
    ("id", "#fragment"),
    ("@bogus", 1),
]


@pytest.mark.parametrize("path", _TEMPLATE_OBJECTS, ids=lambda p: "/".join(map(str, p)) or "root")
@pytest.mark.parametrize("defect", _DEFECTS, ids=lambda d: f"{d[0]}={d[1]!r}")
def test_unsafe_documents_are_refused_through_the_public_entry(
    path: tuple[Any, ...], defect: tuple[str, Any]
) -> None:
    # canonicalize() asks the fast path first: it must decline whatever safe mode refuses.
    doc = read_json(TEMPLATE)
    doc["@context"] = doc["@context"][:2]  # without extensions.json the 1EdTech type is undefined
    target = doc
    for key in path:
        target = target[key]
    target[defect[0]] = defect[1]
    with pytest.raises(UndefinedTermError):
        canonicalize(doc)


def test_dispatch_falls_back_to_the_reference_when_the_fast_path_declines(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setattr(fastrdf, "canonicalize_fast", lambda document: None)
    doc = read_json(OB / "unsigned.json")
    assert canonicalize(doc) == (OB / "document-canon.nq").read_text(encoding="utf-8")


# --- RDFC-1.0 escaping ---------------------------------------------------------------

# RDFC-1.0 (canonical N-Quads) and rdf-canonize: ECHAR for these seven ...
ECHAR = {0x08: "\\b", 0x09: "\\t", 0x0A: "\\n", 0x0C: "\\f", 0x0D: "\\r", 0x22: '\\"', 0x5C: "\\\\"}


def expected_escape(char: str) -> str:
    code = ord(char)
    if code in ECHAR:
        return ECHAR[code]
    if code < 0x20 or code == 0x7F:  # ... UCHAR with four upper-case hex digits for these
        return f"\\u{code:04X}"
    return char  # everything else verbatim (no escaping of non-ASCII)


def test_escape_literal_follows_rdfc_rules_for_every_ascii_character() -> None:
    for code in range(0x80):
        assert escape_literal(chr(code)) == expected_escape(chr(code)), hex(code)
    for char in "é😀\u2028\u0085\u00a0\ufffd":
        assert escape_literal(char) == char


def test_literal_escaping_in_canonical_output() -> None:
    value = 'b\bf\ft\tn\nr\rq"s\\u\x01d\x7fe\x1fé😀\u2028'
    out = canonicalize_reference({"@context": VOCAB, "v": value})
    # Expected line as produced by rdf-canonize 5.0.0 (the interop stack) for this input.
    assert out == (
        '_:c14n0 <https://ex.org/v> "b\\bf\\ft\\tn\\nr\\rq\\"s\\\\u\\u0001d\\u007Fe\\u001Fé😀\u2028" .\n'
    )


def test_escaping_applies_inside_blank_node_hashing() -> None:
    # The blank-node labels depend on the hashes of the escaped quads: with pyld's own
    # (URDNA2015) escaping the two nodes below get swapped labels. Expected output from
    # rdf-canonize 5.0.0.
    out = canonicalize_reference({"@context": VOCAB, "a": [{"v": "\x01"}, {"v": "A"}]})
    assert out == (
        '_:c14n0 <https://ex.org/v> "\\u0001" .\n'
        '_:c14n1 <https://ex.org/v> "A" .\n'
        "_:c14n2 <https://ex.org/a> _:c14n0 .\n"
        "_:c14n2 <https://ex.org/a> _:c14n1 .\n"
    )


_UNESCAPE = re.compile(r'\\([btnfr"\\])|\\u([0-9A-F]{4})|\\U([0-9A-F]{8})')
_ECHAR_VALUES = {"b": "\b", "t": "\t", "n": "\n", "f": "\f", "r": "\r", '"': '"', "\\": "\\"}


def parse_literal(line: str) -> str:
    """The value of the (single) string literal in a canonical N-Quads line."""
    match = re.fullmatch(r'_:c14n0 <https://ex\.org/v> "((?:[^"\\]|\\.)*)" \.\n', line)
    assert match is not None, line
    raw = match.group(1)
    assert not re.search(r"[\x00-\x1f\x7f]", raw), "raw control character in canonical form"
    return _UNESCAPE.sub(
        lambda m: (
            _ECHAR_VALUES[m.group(1)] if m.group(1) else chr(int(m.group(2) or m.group(3), 16))
        ),
        raw,
    )


@settings(max_examples=150, deadline=None)
@given(st.text(alphabet=st.characters(exclude_categories=["Cs"]), max_size=40))
def test_canonical_literal_parses_back_to_the_same_value(value: str) -> None:
    out = canonicalize_reference({"@context": VOCAB, "v": value})
    assert parse_literal(out) == value


# --- safe mode -----------------------------------------------------------------------


def template() -> dict[str, Any]:
    doc: dict[str, Any] = read_json(TEMPLATE)
    return doc


def test_template_is_safe_and_canonicalizes() -> None:
    out = canonicalize_reference(template())
    assert "<https://purl.imsglobal.org/spec/vc/ob/vocab.html#Achievement>" in out


def test_undefined_property_is_named_with_its_path() -> None:
    doc = template()
    doc["credentialSubject"]["achievement"]["criteria"]["ectsCredits"] = 5
    with pytest.raises(UndefinedTermError, match="ectsCredits") as caught:
        canonicalize(doc)
    assert caught.value.where == "$.credentialSubject.achievement.criteria.ectsCredits"


def test_undefined_property_in_vc_1_1_credential() -> None:
    doc = {
        "@context": ["https://www.w3.org/2018/credentials/v1"],
        "type": ["VerifiableCredential"],
        "issuer": "did:example:issuer",
        "issuanceDate": "2020-01-01T00:00:00Z",
        "credentialSubject": {"id": "did:example:subject", "favouriteColour": "green"},
    }
    with pytest.raises(UndefinedTermError, match="favouriteColour") as caught:
        canonicalize_reference(doc)
    assert caught.value.where == "$.credentialSubject.favouriteColour"


def test_1edtech_schema_type_needs_the_extensions_context() -> None:
    doc = template()
    doc["credentialSchema"] = [
        {
            "id": "https://purl.imsglobal.org/spec/ob/v3p0/schema/json/ob_v3p0_achievementcredential_schema.json",
            "type": "1EdTechJsonSchemaValidator2019",
        }
    ]
    out = canonicalize(doc)  # the template lists the extensions context: fine
    assert (
        "<https://purl.imsglobal.org/spec/vccs/v1p0/context.json#1EdTechJsonSchemaValidator2019>"
        in out
    )
    doc["@context"] = [c for c in doc["@context"] if not c.endswith("/extensions.json")]
    with pytest.raises(UndefinedTermError, match="1EdTechJsonSchemaValidator2019") as caught:
        canonicalize(doc)
    assert caught.value.where == "$.credentialSchema[0].type"


def test_undefined_type_is_named() -> None:
    doc = template()
    doc["credentialSubject"]["achievement"]["type"] = ["Achievement", "MicroCredential"]
    with pytest.raises(UndefinedTermError, match="MicroCredential") as caught:
        canonicalize(doc)
    assert caught.value.where == "$.credentialSubject.achievement.type[1]"


@pytest.mark.parametrize(
    ("path", "value"),
    [(("id",), "credentials/42"), (("credentialSubject", "achievement", "id"), "ach-101")],
)
def test_relative_iri_is_refused(path: tuple[str, ...], value: str) -> None:
    doc = template()
    target = doc
    for key in path[:-1]:
        target = target[key]
    target[path[-1]] = value
    with pytest.raises(UndefinedTermError, match=re.escape(repr(value))) as caught:
        canonicalize(doc)
    assert caught.value.where == "$." + ".".join(path)


def test_keyword_lookalike_and_missing_context_are_refused() -> None:
    doc = template()
    doc["@foo"] = "bar"
    with pytest.raises(UndefinedTermError, match="@foo"):
        canonicalize(doc)
    with pytest.raises(UndefinedTermError, match="@context"):
        canonicalize({"name": "no context"})


def test_unsafe_mode_drops_silently_like_plain_pyld() -> None:
    doc = template()
    safe_out = canonicalize_reference(doc)
    doc["credentialSubject"]["achievement"]["criteria"]["ectsCredits"] = 5
    assert canonicalize_reference(doc, safe=False) == safe_out


# --- bad input and work limits -------------------------------------------------------


@pytest.mark.parametrize(
    "document",
    [
        [1, 2],
        "a string",
        {"@context": VOCAB, "@id": 5},
        {"@context": {"@version": 2.0}, "a": 1},
        {"@context": 7, "a": 1},
    ],
)
def test_malformed_json_ld_is_an_input_error(document: Any) -> None:
    with pytest.raises(InputError):
        canonicalize(document)


def test_deep_nesting_is_an_input_error() -> None:
    doc: dict[str, Any] = {"@context": VOCAB, "v": "leaf"}
    for _ in range(3000):
        doc = {"@context": VOCAB, "n": doc}
    with pytest.raises(InputError):
        canonicalize(doc)


def test_indistinguishable_blank_nodes_within_limits_are_fine() -> None:
    doc = {"@context": VOCAB, "evidence": [{"name": "same"}, {"name": "same"}]}
    assert canonicalize(doc) == (
        "_:c14n0 <https://ex.org/evidence> _:c14n1 .\n"
        "_:c14n0 <https://ex.org/evidence> _:c14n2 .\n"
        '_:c14n1 <https://ex.org/name> "same" .\n'
        '_:c14n2 <https://ex.org/name> "same" .\n'
    )


def poison(nodes: int) -> dict[str, Any]:
    """Every blank node linked to every other: all first-degree hashes collide."""
    graph = [
        {"@id": f"_:n{i}", "https://ex.org/p": [{"@id": f"_:n{j}"} for j in range(nodes) if j != i]}
        for i in range(nodes)
    ]
    return {"@context": VOCAB, "@graph": graph}


@pytest.mark.parametrize("nodes", [5, 12])
def test_dataset_poisoning_is_refused_quickly(nodes: int) -> None:
    start = time.perf_counter()
    with pytest.raises(InputError, match="too much work"):
        canonicalize(poison(nodes))
    assert time.perf_counter() - start < 5


def test_unpaired_surrogate_is_a_clear_input_error() -> None:
    from microcred.core.crypto import rdfc as rdfc_module
    from microcred.core.errors import InputError as Refused

    document = {
        "@context": ["https://www.w3.org/ns/credentials/v2"],
        "type": ["VerifiableCredential"],
        "issuer": "did:example:issuer",
        "credentialSubject": {"name": "broken \ud800 string"},
    }
    with pytest.raises(Refused, match="unpaired UTF-16 surrogate"):
        rdfc_module.canonicalize(document)
