"""Badge baking: put a credential into a PNG or SVG badge image, and get it back out.

OB 3.0: PNG ``iTXt`` chunk ``openbadgecredential`` (uncompressed); SVG element
``<openbadges:credential>`` (namespace ``https://purl.imsglobal.org/ob/v3p0``) right after
the ``<svg>`` tag, a JWS in ``verify="…"`` or the JSON in a CDATA body. Unbaking also
reads OB 2.0 badges (``openbadges`` iTXt/tEXt chunks, ``<openbadges:assertion>``).

Images are untrusted: the PNG reader works on bytes with CRC and size checks, and SVG
goes through defusedxml (no entities, no external references). Every problem is an
:class:`ImageError`, never a traceback.
"""

from __future__ import annotations

import re
import struct
import zlib
from dataclasses import dataclass
from typing import Literal
from xml.etree.ElementTree import Element, ParseError
from xml.sax.saxutils import quoteattr

import defusedxml.ElementTree as SafeET
from defusedxml import DefusedXmlException, DTDForbidden, EntitiesForbidden

from microcred.core.errors import ImageError

MAX_IMAGE_BYTES = 16 * 1024 * 1024
MAX_CHUNK_BYTES = 8 * 1024 * 1024
MAX_PAYLOAD_BYTES = 2 * 1024 * 1024
OB3_KEYWORD = "openbadgecredential"
OB2_KEYWORD = "openbadges"
OB3_NS = "https://purl.imsglobal.org/ob/v3p0"
OB2_NS = "http://openbadges.org"
SVG_NS = "http://www.w3.org/2000/svg"
PNG_SIGNATURE = b"\x89PNG\r\n\x1a\n"

Kind = Literal["ob3", "ob2"]
Encoding = Literal["json", "jwt", "url"]


@dataclass(frozen=True)
class BakedCredential:
    """What was baked into an image: OB 3.0 or 2.0, as JSON, a compact JWS or a URL."""

    kind: Kind
    encoding: Encoding
    text: str


_JWS = re.compile(r"[A-Za-z0-9_-]+\.[A-Za-z0-9_-]+\.[A-Za-z0-9_-]*")
_URL = re.compile(r"https?://\S+")
# Characters XML 1.0 cannot carry at all, even in CDATA.
_XML_INVALID = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff]")


def _classify(text: str, where: str) -> Encoding:
    stripped = text.strip()
    if stripped.startswith("{"):
        return "json"
    if _JWS.fullmatch(stripped):
        return "jwt"
    if _URL.fullmatch(stripped):
        return "url"
    raise ImageError("the baked payload is neither JSON, a compact JWS nor a URL", where=where)


def _check_payload(payload: str, *, ob3: bool = True) -> Encoding:
    if not isinstance(payload, str) or not payload.strip():
        raise ImageError("the credential to bake is empty", where="payload")
    if len(payload.encode("utf-8")) > MAX_PAYLOAD_BYTES:
        raise ImageError(f"the credential is over {MAX_PAYLOAD_BYTES} bytes", where="payload")
    encoding = _classify(payload, "payload")
    if ob3 and encoding == "url":
        raise ImageError("OB 3.0 bakes the credential itself (JSON or JWS), not a URL")
    return encoding


def _check_size(data: bytes) -> None:
    if len(data) > MAX_IMAGE_BYTES:
        raise ImageError(f"the image is {len(data)} bytes, over the {MAX_IMAGE_BYTES}-byte limit")


# ---------------------------------------------------------------- PNG


@dataclass(frozen=True)
class _Chunk:
    kind: bytes
    data: bytes

    def raw(self) -> bytes:
        crc = zlib.crc32(self.kind + self.data)
        return struct.pack(">I", len(self.data)) + self.kind + self.data + struct.pack(">I", crc)


def _read_chunks(data: bytes) -> list[_Chunk]:
    """Every chunk up to IEND, checking lengths, types and CRCs."""
    _check_size(data)
    if not data.startswith(PNG_SIGNATURE):
        raise ImageError("not a PNG (bad signature)")
    chunks: list[_Chunk] = []
    pos = len(PNG_SIGNATURE)
    while True:
        if pos + 8 > len(data):
            raise ImageError(f"truncated PNG: chunk header cut off at byte {pos}")
        length, kind = struct.unpack(">I4s", data[pos : pos + 8])
        name = kind.decode("latin-1")
        if not kind.isalpha():
            raise ImageError(f"malformed PNG: invalid chunk type {kind!r} at byte {pos}")
        if length > MAX_CHUNK_BYTES:
            raise ImageError(f"PNG chunk {name} claims {length} bytes, over the limit")
        end = pos + 12 + length
        if end > len(data):
            raise ImageError(f"truncated PNG: chunk {name} needs {length} bytes")
        body = data[pos + 8 : pos + 8 + length]
        (crc,) = struct.unpack(">I", data[end - 4 : end])
        if crc != zlib.crc32(kind + body):
            raise ImageError(f"corrupt PNG: CRC mismatch in chunk {name} at byte {pos}")
        if not chunks and kind != b"IHDR":
            raise ImageError("malformed PNG: the first chunk is not IHDR")
        chunks.append(_Chunk(kind, body))
        pos = end
        if kind == b"IEND":
            return chunks


def _text_chunk(chunk: _Chunk) -> tuple[str, str] | None:
    """(keyword, text) of an iTXt or tEXt chunk; None for other chunks."""
    if chunk.kind == b"tEXt":
        keyword, sep, text = chunk.data.partition(b"\x00")
        return (keyword.decode("latin-1"), text.decode("latin-1")) if sep else None
    if chunk.kind != b"iTXt":
        return None
    keyword, sep, rest = chunk.data.partition(b"\x00")
    if not sep or len(rest) < 2:
        raise ImageError("malformed PNG: iTXt chunk without its header fields")
    compressed, rest = rest[0], rest[2:]
    _language, _, rest = rest.partition(b"\x00")
    _translated, _, text = rest.partition(b"\x00")
    if compressed:  # the baking specs forbid it, but read it with a limit all the same
        inflater = zlib.decompressobj()
        try:
            text = inflater.decompress(text, MAX_PAYLOAD_BYTES + 1)
        except zlib.error:
            raise ImageError("malformed PNG: compressed iTXt chunk is not zlib data") from None
        if len(text) > MAX_PAYLOAD_BYTES:
            raise ImageError("PNG iTXt chunk decompresses to more than the payload limit")
    try:
        return keyword.decode("latin-1"), text.decode("utf-8")
    except UnicodeDecodeError:
        raise ImageError("malformed PNG: iTXt text is not UTF-8") from None


def bake_png(image: bytes, payload: str, *, keyword: str = OB3_KEYWORD) -> bytes:
    """The PNG with ``payload`` in an uncompressed iTXt chunk after IHDR (replacing any old one)."""
    _check_payload(payload, ob3=keyword == OB3_KEYWORD)
    chunks = _read_chunks(image)
    kept = [c for c in chunks if (_text_chunk(c) or ("", ""))[0] != keyword]
    header = keyword.encode("latin-1") + b"\x00\x00\x00\x00\x00"
    baked = _Chunk(b"iTXt", header + payload.encode("utf-8"))
    out = [PNG_SIGNATURE, kept[0].raw(), baked.raw()]
    out.extend(chunk.raw() for chunk in kept[1:])
    return b"".join(out)


def _unbake_png(data: bytes) -> BakedCredential:
    found: dict[str, str] = {}
    for chunk in _read_chunks(data):
        pair = _text_chunk(chunk)
        if pair and pair[0] in (OB3_KEYWORD, OB2_KEYWORD):
            found.setdefault(pair[0], pair[1])  # the first one counts, per the spec
    if OB3_KEYWORD in found:
        text = found[OB3_KEYWORD].strip()
        return BakedCredential("ob3", _classify(text, "PNG iTXt openbadgecredential"), text)
    if OB2_KEYWORD in found:
        text = found[OB2_KEYWORD].strip()
        return BakedCredential("ob2", _classify(text, "PNG openbadges chunk"), text)
    raise ImageError("no Open Badges credential is baked into this PNG")


# ---------------------------------------------------------------- SVG

_MISC = re.compile(r"\s+|<\?.*?\?>|<!--.*?-->|<!DOCTYPE(?:[^\[>]|\[.*?\])*>", re.S)
_START_TAG = re.compile(r"<(?P<name>[\w:.-]+)(?:[^>\"']|\"[^\"]*\"|'[^']*')*?(?P<empty>/?)>")
_TOKEN = re.compile(
    r"<!--.*?-->|<!\[CDATA\[.*?\]\]>|<\?.*?\?>|</[^>]*>|<(?:[^>\"']|\"[^\"]*\"|'[^']*')*>|[^<]+",
    re.S,
)


def _parse_svg(text: str) -> Element:
    """Parse with defusedxml: entity declarations and external references are refused."""
    try:
        root = SafeET.fromstring(text, forbid_dtd=False)
    except EntitiesForbidden as exc:
        if exc.sysid or exc.pubid:
            problem = f"external entity {exc.name!r} ({exc.sysid or exc.pubid})"
        else:
            problem = f"entity declaration {exc.name!r} (entity expansion, e.g. billion laughs)"
        raise ImageError(f"unsafe SVG: {problem} refused") from None
    except DTDForbidden:
        raise ImageError("unsafe SVG: it has a DTD (refused)") from None
    except DefusedXmlException as exc:
        raise ImageError(f"unsafe SVG: {type(exc).__name__} (refused)") from None
    except (ParseError, ValueError) as exc:
        raise ImageError(f"malformed SVG: {exc}") from None
    if root.tag not in (f"{{{SVG_NS}}}svg", "svg"):
        raise ImageError(f"not an SVG: the root element is {root.tag!r}")
    return root


def _svg_text(svg: bytes | str) -> str:
    if isinstance(svg, str):
        svg = svg.encode("utf-8")
    _check_size(svg)
    try:
        return svg.decode("utf-8-sig")
    except UnicodeDecodeError:
        raise ImageError("the SVG is not UTF-8") from None


def _root_tag(text: str) -> re.Match[str]:
    pos = 0
    while match := _MISC.match(text, pos):
        if match.end() == pos:
            break
        pos = match.end()
    tag = _START_TAG.match(text, pos)
    if tag is None:
        raise ImageError("malformed SVG: could not find the <svg> start tag")
    return tag


def _without_credentials(text: str, start: int) -> str:
    """Drop the direct children ``<openbadges:credential>`` of the root (re-bake overwrites)."""
    depth, cut_from, pieces, keep_from = 1, -1, [], start
    for token in _TOKEN.finditer(text, start):
        value = token.group()
        opening = value.startswith("<") and not value.startswith(("</", "<!", "<?"))
        if depth == 1 and opening and re.match(r"<openbadges:credential[\s/>]", value):
            cut_from = token.start()
        if opening and not value.endswith("/>"):
            depth += 1
        elif value.startswith("</"):
            depth -= 1
        if cut_from >= 0 and depth == 1:
            pieces.append(text[keep_from:cut_from])
            keep_from, cut_from = token.end(), -1
        if depth == 0:
            break
    pieces.append(text[keep_from:])
    return "".join(pieces)


def _credential_element(payload: str, encoding: Encoding) -> str:
    if _XML_INVALID.search(payload):
        raise ImageError("the credential has characters XML cannot carry", where="payload")
    if encoding == "jwt":
        return f"<openbadges:credential verify={quoteattr(payload.strip())}/>"
    # "]]>" would end the CDATA section early: split it across two sections.
    body = payload.replace("]]>", "]]]]><![CDATA[>")
    return f"<openbadges:credential><![CDATA[{body}]]></openbadges:credential>"


def bake_svg(svg: bytes | str, payload: str) -> bytes:
    """The SVG with ``<openbadges:credential>`` right after the ``<svg>`` tag."""
    encoding = _check_payload(payload)
    text = _svg_text(svg)
    _parse_svg(text)
    tag = _root_tag(text)
    body = _without_credentials(text, tag.end()) if not tag.group("empty") else ""
    start_tag = tag.group()[: -2 if tag.group("empty") else -1].rstrip()
    declared = re.search(r"\sxmlns:openbadges\s*=\s*([\"'])(.*?)\1", start_tag)
    if declared and declared.group(2) != OB3_NS:
        raise ImageError(f"the SVG binds the openbadges prefix to {declared.group(2)}")
    if not declared:
        start_tag += f' xmlns:openbadges="{OB3_NS}"'
    element = _credential_element(payload, encoding)
    closing = f"</{tag.group('name')}>" if tag.group("empty") else ""
    baked = text[: tag.start()] + start_tag + ">" + element + closing + body
    root = _parse_svg(baked)
    if len(root.findall(f".//{{{OB3_NS}}}credential")) != 1:
        raise ImageError("the SVG already carries a credential under another prefix")
    return baked.encode("utf-8")


def _unbake_svg(data: bytes) -> BakedCredential:
    root = _parse_svg(_svg_text(data))
    element = root.find(f".//{{{OB3_NS}}}credential")
    if element is not None:
        verify = element.get("verify")
        text = (verify if verify else "".join(element.itertext())).strip()
        return BakedCredential("ob3", _classify(text, "SVG openbadges:credential"), text)
    element = root.find(f".//{{{OB2_NS}}}assertion")
    if element is not None:
        body = "".join(element.itertext()).strip()
        text = body or (element.get("verify") or "").strip()
        return BakedCredential("ob2", _classify(text, "SVG openbadges:assertion"), text)
    raise ImageError("no Open Badges credential is baked into this SVG")


def unbake(data: bytes) -> BakedCredential:
    """The credential baked into a PNG or SVG badge (OB 3.0 first, then OB 2.0)."""
    _check_size(data)
    if data.startswith(PNG_SIGNATURE):
        return _unbake_png(data)
    head = data[:1024].lstrip(b"\xef\xbb\xbf \t\r\n")
    if head.startswith(b"<"):
        return _unbake_svg(data)
    raise ImageError("not a PNG or SVG image")
