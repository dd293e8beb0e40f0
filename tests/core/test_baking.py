"""Badge baking: fixtures unbake, PNG/SVG round trips, re-baking, and hostile images."""

from __future__ import annotations

import io
import json
import struct
import zlib
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from PIL import Image

from microcred.core.crypto.baking import (
    MAX_CHUNK_BYTES,
    BakedCredential,
    bake_png,
    bake_svg,
    unbake,
)
from microcred.core.errors import ImageError
from tests.conftest import EXAMPLES

OB3 = EXAMPLES / "ob_v3p0" / "validator"
JSON_PAYLOAD = json.dumps({"@context": ["https://www.w3.org/ns/credentials/v2"], "id": "urn:x"})
JWT_PAYLOAD = "eyJhbGciOiJFZERTQSJ9.eyJpc3MiOiJkaWQ6ZXhhbXBsZToxIn0.c2lnbmF0dXJl"
SVG = '<svg xmlns="http://www.w3.org/2000/svg" width="10" height="10"><circle r="4"/></svg>'


def _png() -> bytes:
    buffer = io.BytesIO()
    Image.new("RGB", (8, 8), (200, 30, 30)).save(buffer, "PNG")
    return buffer.getvalue()


def _chunks(data: bytes) -> list[tuple[bytes, bytes]]:
    found, pos = [], 8
    while pos < len(data):
        (length,) = struct.unpack(">I", data[pos : pos + 4])
        found.append((data[pos + 4 : pos + 8], data[pos + 8 : pos + 8 + length]))
        pos += 12 + length
    return found


# ------------------------------------------------------------------ fixtures


@pytest.mark.parametrize(
    ("path", "kind", "encoding"),
    [
        (OB3 / "simple-json.png", "ob3", "json"),
        (OB3 / "simple-jwt.png", "ob3", "jwt"),
        (OB3 / "simple-json.svg", "ob3", "json"),
        (OB3 / "simple-jwt.svg", "ob3", "jwt"),
        (EXAMPLES / "ob_v2p0" / "validator" / "simple-badge.png", "ob2", "json"),
    ],
)
def test_fixtures_unbake(path: Path, kind: str, encoding: str) -> None:
    found = unbake(path.read_bytes())
    assert (found.kind, found.encoding) == (kind, encoding)
    if encoding == "json":
        document = json.loads(found.text)
        types = document["type"] if isinstance(document["type"], list) else [document["type"]]
        assert {"OpenBadgeCredential", "Assertion"} & set(types)
    else:
        assert found.text.count(".") == 2 and found.text.startswith("eyJ")


def test_fixture_png_and_svg_hold_the_same_credential() -> None:
    png = json.loads(unbake((OB3 / "simple-json.png").read_bytes()).text)
    svg = json.loads(unbake((OB3 / "simple-json.svg").read_bytes()).text)
    assert png["id"] == svg["id"]


# ------------------------------------------------------------------ PNG


@pytest.mark.parametrize(("payload", "encoding"), [(JSON_PAYLOAD, "json"), (JWT_PAYLOAD, "jwt")])
def test_png_round_trip_is_spec_shaped(payload: str, encoding: str) -> None:
    baked = bake_png(_png(), payload)
    assert unbake(baked) == BakedCredential("ob3", encoding, payload)  # type: ignore[arg-type]
    chunks = _chunks(baked)
    assert [c[0] for c in chunks[:2]] == [b"IHDR", b"iTXt"]  # right after IHDR
    # keyword, compression flag 0, method 0, empty language and translated keyword
    assert chunks[1][1] == b"openbadgecredential\x00\x00\x00\x00\x00" + payload.encode()
    Image.open(io.BytesIO(baked)).load()  # still a valid image for a real decoder


def test_png_rebake_overwrites() -> None:
    baked = bake_png(bake_png(_png(), JSON_PAYLOAD), JWT_PAYLOAD)
    assert unbake(baked).text == JWT_PAYLOAD
    assert baked.count(b"openbadgecredential") == 1


def test_fixture_png_rebake_keeps_image_chunks() -> None:
    original = (OB3 / "simple-json.png").read_bytes()
    baked = bake_png(original, JWT_PAYLOAD)
    assert unbake(baked).text == JWT_PAYLOAD
    assert [c for c in _chunks(baked) if c[0] == b"IDAT"] == [
        c for c in _chunks(original) if c[0] == b"IDAT"
    ]


@settings(max_examples=30, deadline=None)
@given(st.text(min_size=1, max_size=300))
def test_png_round_trips_any_json_string(value: str) -> None:
    payload = json.dumps({"name": value}, ensure_ascii=False)
    assert unbake(bake_png(_png(), payload)).text == payload


def _with_chunk_length(data: bytes, index: int, length: int) -> bytes:
    pos = 8
    for _ in range(index):
        pos += 12 + struct.unpack(">I", data[pos : pos + 4])[0]
    return data[:pos] + struct.pack(">I", length) + data[pos + 4 :]


def test_png_hostile_inputs() -> None:
    png = bake_png(_png(), JSON_PAYLOAD)
    with pytest.raises(ImageError, match="truncated PNG"):
        unbake(png[: len(png) // 2])
    with pytest.raises(ImageError, match="truncated PNG"):
        unbake(png[:-12])  # no IEND
    corrupt = bytearray(png)
    corrupt[33 + 8 + 3] ^= 0xFF  # inside the iTXt keyword (IHDR ends at byte 33)
    with pytest.raises(ImageError, match="CRC mismatch"):
        unbake(bytes(corrupt))
    with pytest.raises(ImageError, match="over the limit"):
        unbake(_with_chunk_length(png, 1, MAX_CHUNK_BYTES + 1))
    with pytest.raises(ImageError, match="truncated PNG"):
        unbake(_with_chunk_length(png, 1, 1_000_000))
    with pytest.raises(ImageError, match="no Open Badges credential"):
        unbake(_png())
    with pytest.raises(ImageError, match="not a PNG or SVG"):
        unbake(b"GIF89a....")
    with pytest.raises(ImageError, match="first chunk is not IHDR"):
        unbake(png[:8] + png[33:])


def test_png_compressed_itxt_bomb_is_limited() -> None:
    bomb = zlib.compress(b"{" + b" " * (8 * 1024 * 1024))
    body = b"openbadgecredential\x00\x01\x00\x00\x00" + bomb
    chunk = struct.pack(">I", len(body)) + b"iTXt" + body
    chunk += struct.pack(">I", zlib.crc32(b"iTXt" + body))
    png = _png()
    with pytest.raises(ImageError, match="decompresses to more"):
        unbake(png[:33] + chunk + png[33:])


def test_bake_refuses_non_images_and_bad_payloads() -> None:
    with pytest.raises(ImageError, match="not a PNG"):
        bake_png(b"not a png", JSON_PAYLOAD)
    with pytest.raises(ImageError, match="neither JSON"):
        bake_png(_png(), "hello world")
    with pytest.raises(ImageError, match="not a URL"):
        bake_png(_png(), "https://example.org/assertion.json")


# ------------------------------------------------------------------ SVG


@pytest.mark.parametrize(("payload", "encoding"), [(JSON_PAYLOAD, "json"), (JWT_PAYLOAD, "jwt")])
def test_svg_round_trip_is_spec_shaped(payload: str, encoding: str) -> None:
    baked = bake_svg(SVG, payload).decode()
    assert unbake(baked.encode()) == BakedCredential("ob3", encoding, payload)  # type: ignore[arg-type]
    assert 'xmlns:openbadges="https://purl.imsglobal.org/ob/v3p0"' in baked
    after_tag = baked.split(">", 1)[1]
    if encoding == "jwt":
        assert after_tag.startswith(f'<openbadges:credential verify="{payload}"/>')
    else:
        assert after_tag.startswith(f"<openbadges:credential><![CDATA[{payload}]]>")


def test_svg_cdata_terminator_in_payload_survives() -> None:
    payload = json.dumps({"name": "a]]>b<c&d"})
    assert unbake(bake_svg(SVG, payload)).text == payload


@settings(max_examples=30, deadline=None)
@given(
    st.text(
        alphabet=st.characters(
            codec="utf-8", exclude_categories=("Cs", "Cc"), exclude_characters="\ufffe\uffff"
        ),
        max_size=200,
    )
)
def test_svg_round_trips_any_json_string(value: str) -> None:
    payload = json.dumps({"name": value}, ensure_ascii=False)
    assert unbake(bake_svg(SVG, payload)).text == payload


def test_svg_rebake_overwrites_fixture_credential() -> None:
    original = (OB3 / "simple-json.svg").read_bytes()
    baked = bake_svg(original, JWT_PAYLOAD)
    assert unbake(baked).text == JWT_PAYLOAD
    assert baked.count(b"<openbadges:credential") == 1
    assert baked.count(b"xmlns:openbadges=") == 1
    assert b'<path fill="none"' in baked  # the drawing is untouched


def test_svg_self_closing_root() -> None:
    baked = bake_svg('<svg xmlns="http://www.w3.org/2000/svg"/>', JSON_PAYLOAD)
    assert baked.endswith(b"</svg>") and unbake(baked).text == JSON_PAYLOAD


def test_ob2_svg_assertion_is_read() -> None:
    svg = (
        '<svg xmlns="http://www.w3.org/2000/svg" xmlns:openbadges="http://openbadges.org">'
        '<openbadges:assertion verify="https://example.org/assertions/1"/></svg>'
    )
    assert unbake(svg.encode()) == BakedCredential("ob2", "url", "https://example.org/assertions/1")
    with pytest.raises(ImageError, match="binds the openbadges prefix"):
        bake_svg(svg, JSON_PAYLOAD)


BILLION_LAUGHS = """<?xml version="1.0"?>
<!DOCTYPE svg [<!ENTITY lol "lol"><!ENTITY lol2 "&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;">
<!ENTITY lol3 "&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;">]>
<svg xmlns="http://www.w3.org/2000/svg">&lol3;</svg>"""
EXTERNAL_ENTITY = """<?xml version="1.0"?>
<!DOCTYPE svg [<!ENTITY secret SYSTEM "file:///etc/passwd">]>
<svg xmlns="http://www.w3.org/2000/svg"><text>&secret;</text></svg>"""


@pytest.mark.parametrize(
    ("svg", "message"),
    [
        (BILLION_LAUGHS, "entity expansion"),
        (EXTERNAL_ENTITY, "external entity 'secret'"),
        ("<svg xmlns='http://www.w3.org/2000/svg'><g></svg>", "malformed SVG"),
        ("<html/>", "root element"),
        (SVG, "no Open Badges credential"),
    ],
)
def test_svg_hostile_or_broken_inputs(svg: str, message: str) -> None:
    with pytest.raises(ImageError, match=message):
        unbake(svg.encode())
    if message != "no Open Badges credential":
        with pytest.raises(ImageError, match=message):
            bake_svg(svg, JSON_PAYLOAD)


def test_svg_payload_with_xml_invalid_characters_is_refused() -> None:
    with pytest.raises(ImageError, match="XML cannot carry"):
        bake_svg(SVG, '{"a": "\x01"}')
