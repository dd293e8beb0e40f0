"""The fast RDFC-1.0 path on real inputs: byte-identical to the published vectors and to the
pyld reference on every example, and None for what it does not handle.

Features one at a time and generated credentials: `test_fastrdf_features.py`.
"""

from __future__ import annotations

import json
from typing import Any

import pytest

from microcred.core.crypto import rdfc
from microcred.core.crypto.fastrdf import canonicalize_fast
from microcred.core.errors import InputError
from tests.conftest import EXAMPLES, VECTORS, read_json
from tests.core._fastrdf_helpers import EXT, OB303, V2, same_as_reference, template

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
    fast = same_as_reference(template())
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


# -- what the fast path declines -------------------------------------------------------


def _with(**extra: Any) -> dict[str, Any]:
    document = template()
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
    document = template()
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
