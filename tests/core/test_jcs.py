"""The guarded json.dumps shortcut for JCS equals RFC 8785 byte for byte, and signing
never changes the caller's document (it is not deep-copied any more)."""

from __future__ import annotations

import copy
import json
from typing import Any

import pytest
import rfc8785
from hypothesis import given, settings
from hypothesis import strategies as st

from microcred.core.crypto.keys import Ed25519KeyPair
from microcred.core.crypto.suites.base import sign_credential
from microcred.core.crypto.suites.eddsa_jcs_2022 import jcs_bytes
from microcred.core.errors import InputError
from microcred.core.model import sample_credential
from tests.conftest import VECTORS

_keys = st.text(st.characters(codec="utf-8"), max_size=6)
_scalars = (
    st.none()
    | st.booleans()
    | st.integers(min_value=-(2**60), max_value=2**60)
    | st.floats(allow_nan=False, allow_infinity=False)
    | st.text(st.characters(codec="utf-8"), max_size=12)
)
_json = st.recursive(
    _scalars,
    lambda children: st.lists(children, max_size=4) | st.dictionaries(_keys, children, max_size=4),
    max_leaves=25,
)


@settings(max_examples=400, deadline=None)
@given(st.dictionaries(_keys, _json, max_size=5))
def test_shortcut_equals_rfc8785(document: dict[str, Any]) -> None:
    _same_as_rfc8785(document)


def _same_as_rfc8785(document: dict[str, Any]) -> None:
    try:
        expected = bytes(rfc8785.dumps(document))
    except (rfc8785.CanonicalizationError, ValueError):
        with pytest.raises(InputError, match="JCS"):
            jcs_bytes(document)
        return
    assert jcs_bytes(document) == expected


@pytest.mark.parametrize(
    "document",
    [
        {"\ue000": 1, "\U0001f600": 2},  # sorts differently in UTF-16 and in code points
        {"big": 2**60, "small": -(2**53) - 1},
        {"edge": 2**53 - 1, "negative": -(2**53) + 1},
        {"float": 1.5, "exp": 1e21, "tiny": 5e-7},
        {"controls": '\b\f\n\r\t\x01\x1f\x7f\u2028"\\'},
    ],
)
def test_edge_cases_match(document: dict[str, Any]) -> None:
    _same_as_rfc8785(document)


def test_w3c_jcs_vector_document() -> None:
    unsigned = json.loads((VECTORS / "vc-di-eddsa" / "unsigned.json").read_text())
    expected = (VECTORS / "vc-di-eddsa" / "eddsa-jcs-2022" / "canonDocJCS.txt").read_bytes()
    assert jcs_bytes(unsigned) == expected


@pytest.mark.parametrize("suite", ["eddsa-rdfc-2022", "eddsa-jcs-2022"])
def test_signing_leaves_the_input_untouched(suite: str) -> None:
    key = Ed25519KeyPair.from_seed(bytes(32))
    document = sample_credential(issuer_id=key.controller or "", salt="x")
    document.pop("issuer")
    before = copy.deepcopy(document)
    signed = sign_credential(document, key, suite=suite)
    twice = sign_credential(signed, key, suite=suite)
    assert document == before
    assert "proof" not in document and isinstance(signed["proof"], dict)
    assert isinstance(twice["proof"], list) and len(twice["proof"]) == 2
