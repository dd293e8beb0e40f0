"""Bundled JSON-LD contexts: byte-identical to the published files, served offline only."""

from __future__ import annotations

import hashlib
import json
import re
import socket
from importlib import resources
from pathlib import Path
from typing import Any

import pytest

from microcred.core.crypto import documentloader
from microcred.core.crypto.documentloader import (
    BUNDLED_URLS,
    is_bundled,
    load_context,
    pyld_loader,
)
from microcred.core.crypto.rdfc import canonicalize
from microcred.core.errors import ContextError
from tests.conftest import STANDARDS

CONTEXTS = Path(str(resources.files("microcred.core.crypto").joinpath("contexts")))
INDEX: dict[str, str] = json.loads((CONTEXTS / "index.json").read_text(encoding="utf-8"))
MICROCRED_URL = "https://w3id.org/microcred/v1"

# The contexts issue 2 needs at run time; each must be bundled AND have a reference copy.
REQUIRED = {
    "https://www.w3.org/2018/credentials/v1",
    "https://www.w3.org/ns/credentials/v2",
    "https://w3id.org/security/data-integrity/v1",
    "https://w3id.org/security/data-integrity/v2",
    "https://w3id.org/security/multikey/v1",
    "https://w3id.org/security/suites/ed25519-2020/v1",
    "https://www.w3.org/ns/did/v1",
    "https://w3id.org/vc/status-list/2021/v1",
    "https://www.w3.org/ns/credentials/status/v1",
    "https://purl.imsglobal.org/spec/ob/v3p0/context.json",
    "https://purl.imsglobal.org/spec/ob/v3p0/context-3.0.1.json",
    "https://purl.imsglobal.org/spec/ob/v3p0/context-3.0.2.json",
    "https://purl.imsglobal.org/spec/ob/v3p0/context-3.0.3.json",
    "https://purl.imsglobal.org/spec/ob/v3p0/extensions.json",
    "https://purl.imsglobal.org/spec/clr/v2p0/context.json",
    "https://purl.imsglobal.org/spec/clr/v2p0/context-2.0.1.json",
    "https://w3id.org/openbadges/v2",
    "https://openbadgespec.org/v2/context.json",
    "https://w3id.org/security/v1",
    "https://w3id.org/security/v2",
}
# Bundled without a reference copy in the standards folder (provenance in SOURCES.md).
NO_REFERENCE = {
    "https://www.w3.org/ns/credentials/undefined-terms/v2",
    "https://w3id.org/citizenship/v4rc1",
    "https://imsglobal.github.io/openbadges-specification/ob_v3p0.html",
    "https://w3c-ccg.github.io/vc-ed/plugfest-1-2022/jff-vc-edu-plugfest-1-context.json",
    MICROCRED_URL,
}


def standards_map() -> dict[str, Path]:
    """URL -> reference file, parsed from the standards README (the authoritative map)."""
    text = (STANDARDS / "README.md").read_text(encoding="utf-8")
    section = text.split("- `contexts/`", 1)[1].split("\n- `schemas/`", 1)[0]
    mapping: dict[str, Path] = {}
    for line in section.splitlines():
        if "->" not in line:
            continue
        left, right = line.split("->", 1)
        urls = re.findall(r"https?://[^\s`,()]+", left)
        # Remarks in parentheses on the right may name other files: ignore them.
        files = re.findall(r"contexts/[\w.\-]+", re.sub(r"\([^)]*\)", "", right))
        if len(files) == 1:
            files = files * len(urls)
        assert len(files) == len(urls), line
        mapping.update({url: STANDARDS / file for url, file in zip(urls, files, strict=True)})
    return mapping


def sha256(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def test_standards_map_parses_and_covers_the_required_contexts() -> None:
    mapping = standards_map()
    assert set(mapping) >= REQUIRED
    assert mapping["https://openbadgespec.org/v2/context.json"].name == "ob-v2p0-context.json"
    assert mapping["https://w3id.org/security/v2"].name == "security-v2.jsonld"


@pytest.mark.parametrize("url", sorted(REQUIRED))
def test_required_context_is_bundled(url: str) -> None:
    assert url in BUNDLED_URLS
    assert is_bundled(url)


@pytest.mark.parametrize("url", sorted(set(INDEX) - NO_REFERENCE))
def test_bundled_context_is_byte_identical_to_the_published_file(url: str) -> None:
    reference = standards_map()[url]
    bundled = CONTEXTS / INDEX[url]
    assert sha256(bundled) == sha256(reference), f"{bundled.name} differs from {reference}"


def test_published_digests_of_the_vc_contexts() -> None:
    # The digests the standards themselves publish (VC DM 2.0 and 1.1; OB context-3.0.3).
    assert sha256(CONTEXTS / INDEX["https://www.w3.org/ns/credentials/v2"]) == (
        "59955ced6697d61e03f2b2556febe5308ab16842846f5b586d7f1f7adec92734"
    )
    assert sha256(CONTEXTS / INDEX["https://www.w3.org/2018/credentials/v1"]) == (
        "ab4ddd9a531758807a79a5b450510d61ae8d147eab966cc9a200c07095b0cdcc"
    )
    assert sha256(
        CONTEXTS / INDEX["https://purl.imsglobal.org/spec/ob/v3p0/context-3.0.3.json"]
    ) == ("ef2fa9c7846dce233cc166b43639027278be4ee44f00bb1d45c75de2dd0cd761")


def test_every_bundled_file_has_provenance_digest_and_licence() -> None:
    sources = (CONTEXTS / "SOURCES.md").read_text(encoding="utf-8")
    for name in sorted(set(INDEX.values()) - {"microcred-v1.jsonld"}):
        row = next(line for line in sources.splitlines() if line.startswith(f"| `{name}` |"))
        assert sha256(CONTEXTS / name) in row, name
        licence = re.search(r"\(`(LICENSE-[\w.\-]+)`\)", row)
        assert licence is not None, name
        assert (CONTEXTS / licence.group(1)).stat().st_size > 100, licence.group(1)
        assert re.search(r"npm `[^`]+@\d+\.\d+\.\d+`|GitHub `[^`]+` @ `[0-9a-f]{40}`", row), name


def test_index_files_exist_except_the_microcred_context_which_may_come_later() -> None:
    assert INDEX[MICROCRED_URL] == "microcred-v1.jsonld"
    for url, name in INDEX.items():
        if url != MICROCRED_URL:
            assert (CONTEXTS / name).is_file(), name
    assert is_bundled(MICROCRED_URL) == (CONTEXTS / "microcred-v1.jsonld").is_file()


def test_beta_context_matches_the_interop_stacks_copy() -> None:
    # The beta/JFF context is published only as a JS object; the interop tool's own copy
    # (taken independently from the same npm package) must parse to the same value.
    interop = STANDARDS.parent / "interop" / "contexts"
    theirs = json.loads(
        (interop / "imsglobal.github.io_openbadges-specification_ob_v3p0.html.jsonld").read_text()
    )
    assert load_context("https://imsglobal.github.io/openbadges-specification/ob_v3p0.html") == (
        theirs
    )


def test_load_context_parses_once_and_returns_the_same_object() -> None:
    url = "https://www.w3.org/ns/credentials/v2"
    first = load_context(url)
    assert first is load_context(url)
    assert first == json.loads((CONTEXTS / INDEX[url]).read_bytes())
    assert first["@context"]["@protected"] is True


def test_pyld_loader_shape() -> None:
    doc = pyld_loader("https://w3id.org/security/multikey/v1", {})
    assert doc["documentUrl"] == "https://w3id.org/security/multikey/v1"
    assert doc["contextUrl"] is None
    assert doc["document"] is load_context("https://w3id.org/security/multikey/v1")


@pytest.fixture
def no_network(monkeypatch: pytest.MonkeyPatch) -> list[Any]:
    attempts: list[Any] = []

    def refuse(*args: Any, **kwargs: Any) -> Any:
        attempts.append(args)
        raise AssertionError(f"network access attempted: {args!r}")

    monkeypatch.setattr(socket, "socket", refuse)
    monkeypatch.setattr(socket, "create_connection", refuse)
    monkeypatch.setattr(socket, "getaddrinfo", refuse)
    return attempts


@pytest.mark.parametrize(
    "url",
    [
        "https://example.com/contexts/mine.jsonld",
        "http://www.w3.org/ns/credentials/v2",  # http, not https: a different document
        "https://www.w3.org/ns/credentials/v2/",
    ],
)
def test_unknown_context_is_an_error_naming_it_and_nothing_is_fetched(
    url: str, no_network: list[Any]
) -> None:
    assert not is_bundled(url)
    with pytest.raises(ContextError, match=re.escape(url)):
        load_context(url)
    with pytest.raises(ContextError, match=re.escape(url)):
        pyld_loader(url)
    document = {"@context": ["https://www.w3.org/ns/credentials/v2", url], "name": "x"}
    with pytest.raises(ContextError, match=re.escape(url)) as caught:
        canonicalize(document)
    assert caught.value.where == "@context"
    assert no_network == []


def test_listed_but_missing_file_is_a_context_error(monkeypatch: pytest.MonkeyPatch) -> None:
    url = "https://example.org/listed/v1"
    monkeypatch.setitem(documentloader._INDEX, url, "no-such-file.jsonld")
    assert not is_bundled(url)
    with pytest.raises(ContextError, match=re.escape(url)):
        load_context(url)
