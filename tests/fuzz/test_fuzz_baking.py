"""Fuzzing the baked-image reader: any bytes, hand-built PNGs with valid CRCs, mutated
baked PNGs and SVGs. ``unbake`` returns what was baked or raises ImageError (an
InputError), never anything else."""

from __future__ import annotations

import json
import zlib

from hypothesis import given
from hypothesis import strategies as st

from microcred.core.crypto.baking import (
    OB2_KEYWORD,
    OB3_KEYWORD,
    PNG_SIGNATURE,
    BakedCredential,
    bake_png,
    bake_svg,
    unbake,
)
from microcred.core.errors import ImageError, InputError
from tests.fuzz.strategies import FUZZ, chunk, edits, mutate, small_png

PAYLOAD = json.dumps({"@context": ["https://www.w3.org/ns/credentials/v2"], "id": "urn:x"})
JWT = "eyJhbGciOiJFZERTQSJ9.eyJpc3MiOiJkaWQ6ZXhhbXBsZToxIn0.c2lnbmF0dXJl"
SVG = '<svg xmlns="http://www.w3.org/2000/svg" width="10" height="10"><circle r="4"/></svg>'
BAKED_PNG = bake_png(small_png(), PAYLOAD)
BAKED_SVG = bake_svg(SVG, PAYLOAD)
BAKED_SVG_JWT = bake_svg(SVG, JWT)


def unbake_or_refuse(data: bytes) -> BakedCredential | None:
    """The outcome the reader promises: a payload, or a refusal saying why."""
    try:
        baked = unbake(data)
    except ImageError as error:
        assert str(error), "a refusal must say why"
        assert isinstance(error, InputError)
        return None
    assert baked.kind in ("ob3", "ob2")
    assert baked.encoding in ("json", "jwt", "url")
    assert baked.text == baked.text.strip() and baked.text
    return baked


@FUZZ
@given(st.binary(max_size=400))
def test_any_bytes(data: bytes) -> None:
    unbake_or_refuse(data)


@FUZZ
@given(st.binary(max_size=300))
def test_bytes_after_a_png_signature_or_an_svg_start(tail: bytes) -> None:
    unbake_or_refuse(PNG_SIGNATURE + tail)
    unbake_or_refuse(b"<svg" + tail)


keywords = st.sampled_from([OB3_KEYWORD, OB2_KEYWORD, "Comment", ""]).map(str.encode) | st.binary(
    max_size=12
)
texts = st.sampled_from(
    [PAYLOAD.encode(), JWT.encode(), b"https://example.org/a", b""]
) | st.binary(max_size=60)


@st.composite
def text_chunks(draw: st.DrawFn) -> bytes:
    """A tEXt / iTXt / zTXt chunk, well or badly formed, compressed or not."""
    kind = draw(st.sampled_from([b"tEXt", b"iTXt", b"zTXt", b"IDAT", b"abcd"]))
    keyword, text = draw(keywords), draw(texts)
    if kind == b"iTXt":
        flag = draw(st.sampled_from([b"\x00", b"\x01", b"\x07"]))
        if flag != b"\x00" and draw(st.booleans()):
            text = zlib.compress(text)
        header = flag + draw(st.binary(max_size=2)) + b"en\x00\x00"
        return chunk(kind, keyword + b"\x00" + header + text)
    separator = draw(st.sampled_from([b"\x00", b""]))
    return chunk(kind, keyword + separator + text)


@FUZZ
@given(st.lists(text_chunks(), max_size=4), st.booleans())
def test_png_built_from_valid_chunks(chunks: list[bytes], with_end: bool) -> None:
    """CRCs are right, so the reader has to make sense of what the chunks hold."""
    ihdr = small_png()[8:33]  # the real IHDR chunk of a tiny image
    data = PNG_SIGNATURE + ihdr + b"".join(chunks) + (chunk(b"IEND", b"") if with_end else b"")
    baked = unbake_or_refuse(data)
    if baked is not None:
        assert with_end, "a PNG without IEND is truncated"


@FUZZ
@given(edits)
def test_mutated_baked_png(changes: list[tuple[int, int, bytes]]) -> None:
    unbake_or_refuse(mutate(BAKED_PNG, changes))


@FUZZ
@given(st.sampled_from([BAKED_SVG, BAKED_SVG_JWT]), edits)
def test_mutated_baked_svg(svg: bytes, changes: list[tuple[int, int, bytes]]) -> None:
    unbake_or_refuse(mutate(svg, changes))


svg_pieces = st.sampled_from(
    [
        "<svg>",
        '<svg xmlns="http://www.w3.org/2000/svg">',
        "</svg>",
        '<openbadges:credential xmlns:openbadges="https://purl.imsglobal.org/ob/v3p0">',
        "</openbadges:credential>",
        '<openbadges:assertion xmlns:openbadges="http://openbadges.org" verify="',
        '"/>',
        f' verify="{JWT}"',
        "<![CDATA[",
        "]]>",
        PAYLOAD,
        "<!DOCTYPE svg [<!ENTITY a 'b'>]>",
        '<!ENTITY x SYSTEM "file:///etc/passwd">',
        "&a;",
        "&#0;",
        "<?xml version='1.0'?>",
        "<!-- c -->",
        "<g/>",
        "\ufeff",
        "\x00",
    ]
)


@FUZZ
@given(st.lists(svg_pieces | st.text(max_size=10), max_size=10))
def test_svg_built_from_pieces(pieces: list[str]) -> None:
    unbake_or_refuse("".join(pieces).encode("utf-8", "surrogatepass"))


@FUZZ
@given(st.text(min_size=1, max_size=200))
def test_baked_text_comes_back(text: str) -> None:
    """Whatever bake accepts, unbake gives back unchanged (stripped), in both formats."""
    for bake, image in ((bake_png, small_png()), (bake_svg, SVG)):
        try:
            baked = bake(image, text)  # type: ignore[operator]
        except ImageError:
            continue
        got = unbake_or_refuse(baked)
        assert got is not None and got.text == text.strip()
