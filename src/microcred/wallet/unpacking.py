"""What an import holds: each credential in a file, a zip of files or a presentation, with
its format, the bytes to keep and the verifier's report. Reads only; storing is
``services.py``'s job."""

from __future__ import annotations

import json
from dataclasses import dataclass
from typing import Any

from microcred.core.crypto.baking import unbake
from microcred.core.crypto.presentations import jwt_of_envelope
from microcred.core.errors import FetchError, InputError
from microcred.core.verify.containers import expand, is_zip
from microcred.core.verify.inputs import PNG_MAGIC, decode_bytes
from microcred.core.verify.report import VerificationReport
from microcred.wallet import reading, verifying


@dataclass(frozen=True)
class Candidate:
    name: str
    document: dict[str, Any]
    format: str
    original: bytes
    report: VerificationReport


@dataclass(frozen=True)
class Unusable:
    """A file (or an entry of a zip) that holds no credential, and why."""

    name: str
    message: str


def unpack(data: bytes, *, name: str) -> list[Candidate | Unusable]:
    """Every credential in ``data``; a zip is opened entry by entry (nested archives and
    bombs are refused by the core's ``expand``), a presentation gives its credentials."""
    if not is_zip(data):
        return _file(data, name=name)
    try:
        entries = expand(data, name)
    except InputError as exc:
        return [Unusable(name, exc.message)]
    if not entries:
        return [Unusable(name, "the zip holds no files")]
    found: list[Candidate | Unusable] = []
    for entry, content in entries:
        found.extend(_file(content, name=entry))
    return found


def _file(data: bytes, *, name: str, hosted: bool = True) -> list[Candidate | Unusable]:
    try:
        decoded = decode_bytes(data, where=name)
    except InputError as exc:
        url = _baked_url(data) if hosted else None
        if url is not None:
            return _hosted(url, name=name)
        return [Unusable(name, exc.message)]
    if decoded.encoding == "vp":
        return _presentation(data, decoded.document, name=name)
    problem = reading.credential_problem(decoded.document)
    if problem is not None:
        return [Unusable(name, problem)]
    reports = verifying.verify(data, name=name, document=decoded.document)
    fmt = reading.format_of(decoded)
    return [Candidate(name, decoded.document, fmt, data, reports[0])]


def _presentation(
    data: bytes, document: dict[str, Any], *, name: str
) -> list[Candidate | Unusable]:
    """The credentials a presentation carries, each kept as it was inside (a JWT as the JWT)."""
    raw = document.get("verifiableCredential")
    items = raw if isinstance(raw, list) else [raw] if raw is not None else []
    reports = [
        r for r in verifying.verify(data, name=name, document=None) if r.kind != "presentation"
    ]
    if not items or len(reports) != len(items):
        return [Unusable(name, "the presentation holds no credential that can be read")]
    found: list[Candidate | Unusable] = []
    for item, report in zip(items, reports, strict=True):
        document_in = report.credential
        if not isinstance(document_in, dict) or reading.credential_problem(document_in):
            found.append(Unusable(report.input, "not a credential"))
            continue
        token = jwt_of_envelope(item) if isinstance(item, dict) else item
        if isinstance(token, str):
            found.append(Candidate(report.input, document_in, "vc-jwt", token.encode(), report))
        else:
            original = json.dumps(item).encode()
            found.append(Candidate(report.input, document_in, "ob3-json", original, report))
    return found


def _baked_url(data: bytes) -> str | None:
    """The hosted-assertion URL an Open Badges 2.0 image was baked with, if that is all it holds."""
    if not (data.startswith(PNG_MAGIC) or data.lstrip()[:1] == b"<"):
        return None
    try:
        baked = unbake(data)
    except InputError:
        return None
    return baked.text.strip() if baked.encoding == "url" else None


def _hosted(url: str, *, name: str) -> list[Candidate | Unusable]:
    """Fetch the assertion an image points to (through the SSRF-safe fetcher) and import it;
    the stored bytes are the fetched assertion, so a re-check verifies what was imported."""
    try:
        data = verifying.fetch_url(url)
    except FetchError as exc:
        return [Unusable(name, f"the badge points to {url}, which could not be fetched: {exc}")]
    return _file(data, name=f"{name} › {url}", hosted=False)
