"""The fast RDFC-1.0 path: byte-identical to the vectors and to the pyld reference, or None."""

from __future__ import annotations

import copy
import json
from pathlib import Path
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from microcred.core.crypto import rdfc
from microcred.core.crypto.fastrdf import canonicalize_fast
from microcred.core.errors import InputError
from tests.conftest import EXAMPLES, SHARED, VECTORS, read_json

V2 = "https://www.w3.org/ns/credentials/v2"
OB303 = "https://purl.imsglobal.org/spec/ob/v3p0/context-3.0.3.json"
EXT = "https://purl.imsglobal.org/spec/ob/v3p0/extensions.json"
TEMPLATE = SHARED / "interop" / "ob3_template.json"
OB_XSD = "https://www.w3.org/2001/XMLSchema#"  # (sic) the OB 3.0.3 context uses https
RDF = "http://www.w3.org/1999/02/22-rdf-syntax-ns#"


def _template() -> dict[str, Any]:
    document: dict[str, Any] = read_json(TEMPLATE)
    document["issuer"]["id"] = "did:key:z6MkjZRZv3aez3r18pB1RBFJR1kwUVJ5jHt92JmQwXbd5hwi"
    return document


def _same_as_reference(document: dict[str, Any]) -> str:
    """Assert the fast path answers and equals the reference; return the N-Quads."""
    fast = canonicalize_fast(document)
    assert fast is not None, "the fast path declined a document it should handle"
    assert fast == rdfc.canonicalize_reference(document)
    rdfc.check_safe(document)  # a fast answer implies the safe-mode check passes
    return fast


# -- published vectors -------------------------------------------------------------------

ONE_EDTECH = ["1edtech-obv3p0-eddsa-rdfc-2022", "1edtech-clrv2p0-eddsa-rdfc-2022"]


@pytest.mark.parametrize("folder", ONE_EDTECH)
def test_1edtech_vectors(folder: str) -> None:
    unsigned = read_json(VECTORS / folder / "unsigned.json")
    proof_config = {
        "@context": unsigned["@context"],
        **read_json(VECTORS / folder / "proof-config.json"),
    }
    assert canonicalize_fast(unsigned) == (VECTORS / folder / "document-canon.nq").read_text(
        "utf-8"
    )
    assert canonicalize_fast(proof_config) == (VECTORS / folder / "proof-canon.nq").read_text(
        "utf-8"
    )


W3C = VECTORS / "vc-di-eddsa"


@pytest.mark.parametrize(
    ("document", "expected"),
    [
        ("unsigned.json", "eddsa-rdfc-2022/canonDocDataInt.txt"),
        ("eddsa-rdfc-2022/proofConfigDataInt.json", "eddsa-rdfc-2022/proofCanonDataInt.txt"),
        ("employmentAuth.json", "eddsa-rdfc-2022/employ/canonDocDataInt.txt"),
        (
            "eddsa-rdfc-2022/employ/proofConfigDataInt.json",
            "eddsa-rdfc-2022/employ/proofCanonDataInt.txt",
        ),
    ],
)
def test_w3c_vectors(document: str, expected: str) -> None:
    assert canonicalize_fast(read_json(W3C / document)) == (W3C / expected).read_text("utf-8")


def test_interop_template() -> None:
    fast = _same_as_reference(_template())
    assert fast.count("\n") == 54


def _examples() -> list[tuple[str, dict[str, Any]]]:
    cases = []
    for path in sorted(EXAMPLES.rglob("*.json*")):
        try:
            document = json.loads(path.read_text("utf-8"))
        except (ValueError, UnicodeDecodeError):
            continue
        if not isinstance(document, dict):
            continue
        name = str(path.relative_to(EXAMPLES))
        cases.append((name, document))
        if "proof" in document:
            unsigned = {k: v for k, v in document.items() if k != "proof"}
            cases.append((name + " without proof", unsigned))
    return cases


EXAMPLE_CASES = _examples()


@pytest.mark.parametrize(("name", "document"), EXAMPLE_CASES, ids=[c[0] for c in EXAMPLE_CASES])
def test_examples_match_reference(name: str, document: dict[str, Any]) -> None:
    """Every example the reference accepts (bundled contexts, defined terms) goes fast."""
    try:
        reference = rdfc.canonicalize_reference(document)
    except InputError:
        assert canonicalize_fast(document) is None
        return
    assert canonicalize_fast(document) == reference


def test_examples_cover_the_fast_path() -> None:
    handled = [name for name, doc in EXAMPLE_CASES if canonicalize_fast(doc) is not None]
    assert len(handled) >= 100  # most examples (signed ones with their proof graphs too)
    assert any("proof" in doc for _, doc in EXAMPLE_CASES if canonicalize_fast(doc) is not None)


# -- features, each against the reference -----------------------------------------------


def test_literal_escaping_is_rdfc10() -> None:
    document = _template()
    document["name"] = 'C0: \x00\x01\b\t\n\x0b\f\r\x1f DEL:\x7f quote:" backslash:\\ é 🎓 \ufffe'
    fast = _same_as_reference(document)
    expected = (
        '"C0: \\u0000\\u0001\\b\\t\\n\\u000B\\f\\r\\u001F DEL:\\u007F quote:\\" '
        'backslash:\\\\ é 🎓 \ufffe"'
    )
    assert f"<https://schema.org/name> {expected} ." in fast


def test_numbers_booleans_and_lists() -> None:
    document = _template()
    achievement = document["credentialSubject"]["achievement"]
    achievement["creditsAvailable"] = 2.5
    achievement["resultDescription"] = [
        {
            "id": "urn:uuid:9f1b0c3e-0000-4000-8000-000000000001",
            "type": "ResultDescription",
            "name": "Grade",
            "resultType": "LetterGrade",
            "allowedValue": ["A", "B", "C", "A"],
        },
        {
            "id": "urn:uuid:9f1b0c3e-0000-4000-8000-000000000002",
            "type": "ResultDescription",
            "name": "Empty",
            "resultType": "LetterGrade",
            "allowedValue": [],
        },
    ]
    document["credentialSubject"]["identifier"] = [
        {
            "type": "IdentityObject",
            "hashed": False,
            "identityHash": "x@example.org",
            "identityType": "emailAddress",
            "salt": "s",
        }
    ]
    fast = _same_as_reference(document)
    assert f'"2.5E0"^^<{OB_XSD}float>' in fast
    assert f'"false"^^<{OB_XSD}boolean>' in fast
    assert fast.count(f"<{RDF}first>") == 4  # duplicates stay in a list
    assert f"<{RDF}rest> <{RDF}nil>" in fast


@pytest.mark.parametrize("value", [3, 0, -7, 1.0, 1e21, 1.5e-7, 123456789.125, 10**22])
def test_number_forms(value: float) -> None:
    document = _template()
    document["credentialSubject"]["achievement"]["creditsAvailable"] = value
    _same_as_reference(document)


def test_json_literals_are_jcs() -> None:
    document = _template()
    schema = {"type": "object", "z": [1.0, 2.5, True, None], "é": "\u2028", "a": {"b": 1e30}}
    document["credentialSchema"] = [
        {"id": "https://example.org/schema.json", "type": "JsonSchema", "jsonSchema": schema}
    ]
    fast = _same_as_reference(document)
    assert '{\\"a\\":{\\"b\\":1e+30},\\"type\\":\\"object\\"' in fast
    assert f"^^<{RDF}JSON>" in fast


def test_proof_is_a_named_graph() -> None:
    document = read_json(EXAMPLES / "ob_v3p0" / "validator" / "simple.json")
    fast = _same_as_reference(document)
    (link,) = [line for line in fast.splitlines() if "<https://w3id.org/security#proof>" in line]
    graph = link.split()[2]  # <credential> sec:proof _:c14nN .
    assert graph.startswith("_:c14n")
    in_graph = [line for line in fast.splitlines() if line.endswith(f" {graph} .")]
    assert any("<https://w3id.org/security#proofValue>" in line for line in in_graph)


def test_inline_context_prefixes_and_vocab() -> None:
    document = _template()
    document["@context"] = [*document["@context"], {"ex": "https://example.org/vocab#"}]
    document["credentialSubject"]["ex:note"] = "inline prefix"
    _same_as_reference(document)
    examples = read_json(VECTORS / "vc-di-eddsa" / "unsigned.json")  # examples/v2 has @vocab
    _same_as_reference(examples)


def test_language_tagged_strings() -> None:
    document = _template()
    document["@context"] = [*document["@context"], {"@language": "en-GB"}]
    document["description"] = {"@value": "Beschreibung", "@language": "DE"}
    document["credentialSubject"]["achievement"]["tag"] = ["x", {"@value": "x", "@language": None}]
    fast = _same_as_reference(document)
    assert '"Python Data Engineering Fundamentals"@en-gb' in fast
    assert '"Beschreibung"@de' in fast
    assert '"x" .' in fast and '"x"@en-gb' in fast


def test_indistinguishable_blank_nodes_use_n_degree_hashing() -> None:
    document = _template()
    alignment = document["credentialSubject"]["achievement"]["alignment"][0]
    document["credentialSubject"]["achievement"]["alignment"] = [
        alignment,
        copy.deepcopy(alignment),
    ]
    document["credentialSubject"]["result"] = [
        {"type": ["Result"], "value": "A"},
        {"type": ["Result"], "value": "A"},
        {"type": ["Result"], "value": "B"},
    ]
    del document["credentialSubject"]["id"]
    _same_as_reference(document)


# -- what the fast path declines -------------------------------------------------------


def _with(**extra: Any) -> dict[str, Any]:
    document = _template()
    document.update(extra)
    return document


@pytest.mark.parametrize(
    "document",
    [
        _with(name={"@value": "x", "@direction": "rtl"}),
        _with(name={"@value": "x", "@language": "not a tag"}),
        _with(id="relative/id"),
        _with(undefinedTerm="x"),
        _with(**{"@context": [V2, "https://example.org/unknown-context"]}),
        _with(**{"@context": [V2, OB303, EXT, {"@direction": "ltr"}]}),
        _with(
            **{
                "@context": [
                    V2,
                    OB303,
                    EXT,
                    {"ex": {"@id": "https://e.org/x", "@reverse": "https://e.org/y"}},
                ]
            },
            ex="urn:x:1",
        ),
        _with(**{"@included": [{"id": "urn:x:2", "name": "n"}]}),
        _with(
            **{
                "@context": [
                    V2,
                    OB303,
                    EXT,
                    {"m": {"@id": "https://e.org/m", "@container": "@index"}},
                ]
            },
            m={"a": "b"},
        ),
        _with(type=["VerifiableCredential", "_:blankType"]),
        {"@context": [V2], "@graph": [{"id": "urn:x:3", "name": "n"}]},
        [{"@context": [V2], "name": "n"}],
        {"name": "no context"},
    ],
)
def test_unsupported_features_return_none(document: Any) -> None:
    assert canonicalize_fast(document) is None


def test_list_of_lists_returns_none() -> None:
    document = _template()
    document["credentialSubject"]["achievement"]["resultDescription"] = [
        {
            "id": "urn:x:rd",
            "type": "ResultDescription",
            "name": "n",
            "resultType": "LetterGrade",
            "allowedValue": [["A"], ["B"]],
        }
    ]
    assert canonicalize_fast(document) is None


# -- generated credentials -------------------------------------------------------------

AWKWARD = st.one_of(
    st.text(st.characters(blacklist_categories=("Cs",)), max_size=24),
    st.sampled_from(
        [
            "",
            "\x00\x01\b\f\t\n\r\x7f",
            '"quoted" \\back\\slash\\',
            "emoji 🎓👩‍🎓",
            "\ufffe\uffff",
            "é\u2028\u0085\xa0",
            "_:b0",
            "<https://x>",
            '" .\n_:a <p> "x',
        ],
    ),
)
NUMBERS = st.one_of(
    st.integers(-(10**6), 10**6),
    st.floats(allow_nan=False, allow_infinity=False),
    st.sampled_from([0.1, 1e21, 1e-7, 5.0, -0.0]),
)
JSON_VALUES = st.recursive(
    st.none()
    | st.booleans()
    | st.integers(-(2**40), 2**40)
    | AWKWARD
    | st.floats(allow_nan=False, allow_infinity=False),
    lambda inner: st.lists(inner, max_size=3) | st.dictionaries(AWKWARD, inner, max_size=3),
    max_leaves=8,
)


def _one_or_many(draw: Any, item: Any) -> Any:
    return item if draw(st.booleans()) else [item]


def _blank_node_objects(draw: Any, document: dict[str, Any]) -> None:
    """Objects without ids, sometimes identical ones (Hash N-Degree Quads then decides)."""
    subject = document["credentialSubject"]
    alignment = {
        "type": ["Alignment"],
        "targetName": draw(AWKWARD),
        "targetUrl": "https://example.org/a",
    }
    count = draw(st.integers(0, 3))
    subject["achievement"]["alignment"] = (
        _one_or_many(draw, alignment)
        if count == 1
        else [copy.deepcopy(alignment) for _ in range(count)]
    )
    subject["result"] = [
        {"type": ["Result"], "value": draw(AWKWARD), "status": "Completed"}
        for _ in range(draw(st.integers(0, 2)))
    ]
    document["evidence"] = _one_or_many(draw, {"type": ["Evidence"], "narrative": draw(AWKWARD)})


@st.composite
def credentials(draw: Any) -> dict[str, Any]:
    document = _template()
    subject = document["credentialSubject"]
    achievement = subject["achievement"]
    document["name"] = draw(AWKWARD)
    achievement["description"] = draw(AWKWARD)
    achievement["criteria"]["narrative"] = draw(AWKWARD)
    achievement["creditsAvailable"] = draw(NUMBERS)
    achievement["tag"] = draw(st.lists(AWKWARD, max_size=4))
    if draw(st.booleans()):
        del document["validUntil"]
    if draw(st.booleans()):
        del subject["id"]  # the subject becomes a blank node
    if draw(st.booleans()):
        del achievement["image"]["id"]
    _blank_node_objects(draw, document)
    document["issuer"]["image"]["caption"] = draw(AWKWARD)
    if draw(st.booleans()):
        document["credentialSchema"] = [
            {
                "id": "https://example.org/s.json",
                "type": "JsonSchema",
                "jsonSchema": draw(JSON_VALUES),
            }
        ]
    return document


@settings(max_examples=80, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(credentials())
def test_generated_credentials_match_reference(document: dict[str, Any]) -> None:
    _same_as_reference(document)


def test_generated_proof_configs_match_reference() -> None:
    config = {
        "@context": [V2],
        "type": "DataIntegrityProof",
        "cryptosuite": "eddsa-rdfc-2022",
        "created": "2025-01-15T09:30:00Z",
        "verificationMethod": "did:key:z6Mk#z6Mk",
        "proofPurpose": "assertionMethod",
    }
    _same_as_reference(config)


def test_repeated_calls_are_stable(tmp_path: Path) -> None:
    document = _template()
    first = canonicalize_fast(document)
    assert all(canonicalize_fast(copy.deepcopy(document)) == first for _ in range(3))
    assert document == _template()  # the input is not modified
