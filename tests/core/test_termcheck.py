"""No undefined term reaches a JCS or VC-JWT signature, and the shape cache behind that
check is sound: documents of one shape are all defined or all undefined."""

from __future__ import annotations

import copy
import json
import re
from pathlib import Path
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from microcred.core.crypto import rdfc
from microcred.core.crypto.keys import Ed25519KeyPair
from microcred.core.crypto.suites.base import BatchSigner
from microcred.core.crypto.termcheck import TermGuard, shape_of
from microcred.core.errors import InputError
from microcred.core.model import sample_credential

KEY = Ed25519KeyPair.from_seed(bytes(range(32)))
CONTEXTS = Path(__import__("microcred.core.crypto", fromlist=["x"]).__file__).parent / "contexts"


def _credential(**changes: Any) -> dict[str, Any]:
    document = sample_credential(issuer_id=KEY.controller or "", salt="s")
    document.update(changes)
    return document


@pytest.mark.parametrize("suite", ["eddsa-jcs-2022", "vc-jwt"])
@pytest.mark.parametrize(
    ("change", "words"),
    [
        (lambda d: d["credentialSubject"].update(favouriteColour="blue"), "favouriteColour"),
        (lambda d: d["credentialSubject"]["achievement"].update(type=["Achievement", "Nonsense"]), "Nonsense"),
        (lambda d: d["credentialSubject"].update(id="learner-17"), "relative"),
        (lambda d: d.update({"@context": [*d["@context"], "https://example.org/unknown-context"]}), "unknown-context"),
    ],
)  # fmt: skip
def test_json_signatures_refuse_what_rdf_would_refuse(suite: str, change: Any, words: str) -> None:
    document = _credential()
    change(document)
    with pytest.raises(InputError, match=re.escape(words) if words != "relative" else "relative"):
        BatchSigner(KEY, suite=suite).sign(document)


def test_a_cohort_is_checked_once_per_shape() -> None:
    signer = BatchSigner(KEY, suite="eddsa-jcs-2022")
    for number in range(5):
        document = _credential(id=f"urn:uuid:00000000-0000-4000-8000-{number:012d}")
        document["credentialSubject"]["identifier"][0]["salt"] = f"salt {number}"
        signer.sign(document)
    assert signer.term_guard.checks == 1
    odd = _credential()
    odd["credentialSubject"]["narrative"] = "A different shape: one more property."
    signer.sign(odd)
    assert signer.term_guard.checks == 2


def test_shape_keeps_tokens_and_types_but_not_values() -> None:
    one, _ = shape_of({"type": ["A", "B"], "id": "urn:uuid:1", "name": "Ana Lovelace", "n": 1})
    two, _ = shape_of({"type": ["A", "B"], "id": "urn:uuid:2", "name": "Bo Diddley", "n": 2})
    other, _ = shape_of({"type": ["A", "C"], "id": "urn:uuid:2", "name": "Bo Diddley", "n": 2})
    relative, _ = shape_of({"type": ["A", "B"], "id": "learner-2", "name": "Bo Diddley", "n": 2})
    assert one == two and one != other and one != relative


def test_bundled_terms_fit_the_shape_assumption() -> None:
    # The cache is sound only if no term is digits-only or holds whitespace or IRI-forbidden
    # characters: such strings are classed, not kept, in a shape.
    offenders: set[str] = set()

    def walk(context: Any) -> None:
        if isinstance(context, list):
            for item in context:
                walk(item)
        elif isinstance(context, dict):
            for term, value in context.items():
                plain = not term.startswith("@") and ":" not in term
                if plain and (term.isdigit() or re.search(r"[\s<>\"{}|\\^`]", term)):
                    offenders.add(term)
                if isinstance(value, dict) and "@context" in value:
                    walk(value["@context"])

    for path in CONTEXTS.glob("*.json*"):
        if path.name != "index.json":
            walk(json.loads(path.read_text(encoding="utf-8")).get("@context", {}))
    assert offenders == set()


_POOL = [
    "Achievement", "Completed", "emailAddress", "MicroCredential", "Nonsense", "1EdTechRevocationList",
    "urn:uuid:9d1e", "https://example.edu/x", "did:key:z6Mk", "_:b0", "_:b1",
    "learner-17", "a/b", "12345", "6", "free text here", "x y", "",
]  # fmt: skip


def _string_paths(value: Any, path: tuple[Any, ...] = ()) -> list[tuple[Any, ...]]:
    if isinstance(value, dict):
        return [
            p for k, v in value.items() if k != "@context" for p in _string_paths(v, (*path, k))
        ]
    if isinstance(value, list):
        return [p for i, v in enumerate(value) for p in _string_paths(v, (*path, i))]
    return [path] if isinstance(value, str) else []


def _outcome(document: dict[str, Any]) -> bool:
    try:
        rdfc.canonicalize(document)
    except InputError:
        return False
    return True


@settings(max_examples=60, deadline=None)
@given(st.data())
def test_documents_of_one_shape_share_their_verdict(data: st.DataObject) -> None:
    base = _credential(valid_from="2026-01-01T00:00:00Z")
    paths = _string_paths(base)
    chosen = data.draw(st.lists(st.sampled_from(paths), min_size=1, max_size=4, unique=True))
    variants = []
    for _ in range(2):
        document = copy.deepcopy(base)
        for path in chosen:
            holder: Any = document
            for step in path[:-1]:
                holder = holder[step]
            holder[path[-1]] = data.draw(st.sampled_from(_POOL))
        variants.append(document)
    first, second = variants
    if shape_of(first)[0] == shape_of(second)[0]:
        assert _outcome(first) == _outcome(second)


def test_guard_is_bounded() -> None:
    guard = TermGuard(max_shapes=2)
    for number in range(4):
        document = _credential()
        document["credentialSubject"]["narrative"] = "x" * number + " text"
        document["credentialSubject"][f"{'role' if number % 2 else 'term'}"] = "r"
        guard.check(document)
    assert len(guard._passed) <= 2
