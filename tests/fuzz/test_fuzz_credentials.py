"""Fuzzing the credential parser, the verifier's input reader and ``verify_any``.

- ``parse_credential``: any JSON, and a valid credential with one value replaced or removed,
  gives a model or an InputError naming where (a JSON path), never another exception.
- ``decode_bytes``: any bytes, text or JWT-shaped token gives a decoded input or an InputError.
- ``verify_any``: never raises; every input gives at least one report with an overview, and a
  signed credential with a changed value is never reported valid.
"""

from __future__ import annotations

import base64
import copy
import io
import json
import zipfile
from datetime import UTC, datetime
from typing import Any

from hypothesis import example, given
from hypothesis import strategies as st

from microcred.core.crypto.keys import Ed25519KeyPair
from microcred.core.crypto.suites.base import BatchSigner
from microcred.core.errors import InputError
from microcred.core.model import sample_credential
from microcred.core.model.credential import AchievementCredential
from microcred.core.model.parse import parse_credential
from microcred.core.verify.entry import verify_any
from microcred.core.verify.inputs import DecodedInput, decode_bytes
from microcred.core.verify.report import VerificationReport
from microcred.core.verify.verifier import VerifyOptions
from tests.fuzz.strategies import FUZZ, dumps, edits, json_values, mutate

NOW = datetime(2026, 6, 1, tzinfo=UTC)
KEY = Ed25519KeyPair.from_seed(bytes([7]) * 32)
DOCUMENT = sample_credential(
    issuer_id=KEY.controller or "",
    recipient_email="ana@example.org",
    salt="s",
    valid_from="2026-01-01T00:00:00Z",
)
SIGNED_JCS: dict[str, Any] = BatchSigner(KEY, suite="eddsa-jcs-2022").sign(DOCUMENT)  # type: ignore[assignment]
SIGNED_JWT: str = BatchSigner(KEY, suite="vc-jwt").sign(DOCUMENT)  # type: ignore[assignment]


def replaced(document: dict[str, Any], *path: str | int, value: Any) -> tuple[dict[str, Any], bool]:
    """A regression example for :func:`edited`: ``document`` with one value set."""
    result = copy.deepcopy(document)
    parent: Any = result
    for step in path[:-1]:
        parent = parent[step]
    parent[path[-1]] = value
    return result, True


def _b64(data: bytes) -> str:
    return base64.urlsafe_b64encode(data).rstrip(b"=").decode()


@st.composite
def edited(draw: st.DrawFn, document: dict[str, Any]) -> tuple[dict[str, Any], bool]:
    """``document`` with one value somewhere replaced by any JSON value, or removed;
    also says whether the result differs from the original."""
    result = copy.deepcopy(document)
    parent: Any = result
    while True:
        keys = list(parent) if isinstance(parent, dict) else list(range(len(parent)))
        if not keys:
            break
        step = draw(st.sampled_from(keys))
        child = parent[step]
        if isinstance(child, dict | list) and child and draw(st.booleans()):
            parent = child
            continue
        if draw(st.integers(0, 3)) == 0:
            del parent[step]
        else:
            parent[step] = draw(json_values)
        break
    return result, result != document


def parse_or_refuse(document: Any) -> AchievementCredential | None:
    try:
        return parse_credential(document)
    except InputError as error:
        assert error.where, "the error must name where the problem is"
        return None


@FUZZ
@given(json_values)
def test_parse_any_json(value: Any) -> None:
    parse_or_refuse(value)


@FUZZ
@given(edited(DOCUMENT))
def test_parse_a_credential_with_one_value_changed(case: tuple[dict[str, Any], bool]) -> None:
    parse_or_refuse(case[0])


def decode_or_refuse(data: bytes) -> DecodedInput | None:
    try:
        decoded = decode_bytes(data, where="upload")
    except InputError as error:
        assert str(error)
        return None
    assert isinstance(decoded.document, dict)
    assert decoded.encoding in ("json", "jwt", "ob2", "vp")
    return decoded


@FUZZ
@given(st.binary(max_size=300) | st.text(max_size=300).map(str.encode))
def test_decode_any_bytes(data: bytes) -> None:
    decode_or_refuse(data)


@FUZZ
@given(json_values.map(dumps))
def test_decode_any_json_text(text: str) -> None:
    decode_or_refuse(text.encode())


jwt_parts = st.binary(max_size=60).map(_b64) | json_values.map(lambda v: _b64(dumps(v).encode()))


@FUZZ
@given(jwt_parts, jwt_parts, jwt_parts)
def test_decode_jwt_shaped_tokens(header: str, payload: str, signature: str) -> None:
    decode_or_refuse(f"{header}.{payload}.{signature}".encode())


def verify_never_raises(data: bytes, name: str = "upload.json") -> list[VerificationReport]:
    reports = verify_any(data, name=name, options=VerifyOptions(now=NOW))
    assert reports, "every input gets a report"
    for report in reports:
        assert report.overview is not None
        assert report.checks, "a report says what was checked"
    return reports


@FUZZ
@given(st.binary(max_size=300))
def test_verify_any_bytes(data: bytes) -> None:
    verify_never_raises(data)


@FUZZ
@given(edited(SIGNED_JCS))
# Found by fuzzing: a list as the cryptosuite crashed the suite lookup (unhashable).
@example(replaced(SIGNED_JCS, "proof", "cryptosuite", value=[]))
# Found by fuzzing: a relative context IRI ("0", "") made pyld raise a bare ValueError.
@example(replaced(SIGNED_JCS, "@context", 1, value="0"))
@example(replaced(SIGNED_JCS, "credentialSubject", "achievement", "@context", value=""))
def test_verify_a_signed_credential_with_one_value_changed(
    case: tuple[dict[str, Any], bool],
) -> None:
    document, changed = case
    reports = verify_never_raises(json.dumps(document).encode())
    if changed:
        assert not any(report.verified for report in reports), document


@FUZZ
@given(edits)
def test_verify_a_mutated_jwt(changes: list[tuple[int, int, bytes]]) -> None:
    data = mutate(SIGNED_JWT.encode(), changes)
    reports = verify_never_raises(data)
    if data.strip() != SIGNED_JWT.encode():
        assert not any(report.verified for report in reports)


@FUZZ
@given(
    st.lists(
        st.tuples(st.text("abc/. é{}", max_size=20), st.binary(max_size=80)),
        max_size=3,
        unique_by=lambda entry: entry[0].lstrip("/") or "x",
    )
)
def test_verify_any_zip(entries: list[tuple[str, bytes]]) -> None:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        for name, content in entries:
            archive.writestr(name.lstrip("/") or "x", content)
    verify_never_raises(buffer.getvalue(), "bundle.zip")


def test_a_relative_context_iri_is_reported_not_raised() -> None:
    document, _ = replaced(SIGNED_JCS, "@context", 1, value="0")
    [report] = verify_never_raises(json.dumps(document).encode())
    structure = next(check for check in report.checks if check.check == "structure")
    assert not structure.ok and "invalid JSON-LD" in structure.message, structure


def test_the_unchanged_credentials_verify() -> None:
    """The baseline of the mutation tests: untouched, both signed forms are valid."""
    assert all(r.verified for r in verify_never_raises(json.dumps(SIGNED_JCS).encode()))
    assert all(r.verified for r in verify_never_raises(SIGNED_JWT.encode()))
