"""The fast RDFC-1.0 path, feature by feature and on generated credentials: each answer is
byte-identical to the pyld reference.

Published vectors, the examples and what the fast path declines: `test_fastrdf.py`.
"""

from __future__ import annotations

import copy
from pathlib import Path
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from microcred.core.crypto.fastrdf import canonicalize_fast
from tests.conftest import EXAMPLES, VECTORS, read_json
from tests.core._fastrdf_helpers import OB_XSD, RDF, V2, same_as_reference, template

# -- features, each against the reference -----------------------------------------------


def test_literal_escaping_is_rdfc10() -> None:
    document = template()
    document["name"] = 'C0: \x00\x01\b\t\n\x0b\f\r\x1f DEL:\x7f quote:" backslash:\\ é 🎓 \ufffe'
    fast = same_as_reference(document)
    expected = (
        '"C0: \\u0000\\u0001\\b\\t\\n\\u000B\\f\\r\\u001F DEL:\\u007F quote:\\" '
        'backslash:\\\\ é 🎓 \ufffe"'
    )
    assert f"<https://schema.org/name> {expected} ." in fast


def test_numbers_booleans_and_lists() -> None:
    document = template()
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
    fast = same_as_reference(document)
    assert f'"2.5E0"^^<{OB_XSD}float>' in fast
    assert f'"false"^^<{OB_XSD}boolean>' in fast
    assert fast.count(f"<{RDF}first>") == 4  # duplicates stay in a list
    assert f"<{RDF}rest> <{RDF}nil>" in fast


@pytest.mark.parametrize("value", [3, 0, -7, 1.0, 1e21, 1.5e-7, 123456789.125, 10**22])
def test_number_forms(value: float) -> None:
    document = template()
    document["credentialSubject"]["achievement"]["creditsAvailable"] = value
    same_as_reference(document)


def test_json_literals_are_jcs() -> None:
    document = template()
    schema = {"type": "object", "z": [1.0, 2.5, True, None], "é": "\u2028", "a": {"b": 1e30}}
    document["credentialSchema"] = [
        {"id": "https://example.org/schema.json", "type": "JsonSchema", "jsonSchema": schema}
    ]
    fast = same_as_reference(document)
    assert '{\\"a\\":{\\"b\\":1e+30},\\"type\\":\\"object\\"' in fast
    assert f"^^<{RDF}JSON>" in fast


def test_proof_is_a_named_graph() -> None:
    document = read_json(EXAMPLES / "ob_v3p0" / "validator" / "simple.json")
    fast = same_as_reference(document)
    (link,) = [line for line in fast.splitlines() if "<https://w3id.org/security#proof>" in line]
    graph = link.split()[2]  # <credential> sec:proof _:c14nN .
    assert graph.startswith("_:c14n")
    in_graph = [line for line in fast.splitlines() if line.endswith(f" {graph} .")]
    assert any("<https://w3id.org/security#proofValue>" in line for line in in_graph)


def test_inline_context_prefixes_and_vocab() -> None:
    document = template()
    document["@context"] = [*document["@context"], {"ex": "https://example.org/vocab#"}]
    document["credentialSubject"]["ex:note"] = "inline prefix"
    same_as_reference(document)
    examples = read_json(VECTORS / "vc-di-eddsa" / "unsigned.json")  # examples/v2 has @vocab
    same_as_reference(examples)


def test_language_tagged_strings() -> None:
    document = template()
    document["@context"] = [*document["@context"], {"@language": "en-GB"}]
    document["description"] = {"@value": "Beschreibung", "@language": "DE"}
    document["credentialSubject"]["achievement"]["tag"] = ["x", {"@value": "x", "@language": None}]
    fast = same_as_reference(document)
    assert '"Python Data Engineering Fundamentals"@en-gb' in fast
    assert '"Beschreibung"@de' in fast
    assert '"x" .' in fast and '"x"@en-gb' in fast


def test_indistinguishable_blank_nodes_use_n_degree_hashing() -> None:
    document = template()
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
    same_as_reference(document)


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
    document = template()
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
    same_as_reference(document)


def test_generated_proof_configs_match_reference() -> None:
    config = {
        "@context": [V2],
        "type": "DataIntegrityProof",
        "cryptosuite": "eddsa-rdfc-2022",
        "created": "2025-01-15T09:30:00Z",
        "verificationMethod": "did:key:z6Mk#z6Mk",
        "proofPurpose": "assertionMethod",
    }
    same_as_reference(config)


def test_repeated_calls_are_stable(tmp_path: Path) -> None:
    document = template()
    first = canonicalize_fast(document)
    assert all(canonicalize_fast(copy.deepcopy(document)) == first for _ in range(3))
    assert document == template()  # the input is not modified
