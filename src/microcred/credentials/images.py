"""A definition's image: a PNG or SVG upload, checked before it is stored in the database.

Uploads are untrusted. A PNG must be what Pillow can open and verify (chunk CRCs, a
complete image) within the size limits; an SVG must parse with defusedxml, which refuses
entity declarations (billion laughs) and external entities, and have an ``<svg>`` root.
Scripts inside an SVG are not stripped (a partial sanitiser would only give false
comfort): the image URL serves SVG with ``Content-Security-Policy: default-src 'none'``,
so nothing in it runs or loads when opened directly, and browsers never run scripts of
an SVG shown through ``<img>``.
"""

from __future__ import annotations

import io
from typing import Final
from xml.etree.ElementTree import ParseError

import defusedxml.ElementTree as SafeET
from defusedxml import DefusedXmlException, DTDForbidden, EntitiesForbidden
from django.core.exceptions import ValidationError
from PIL import Image, UnidentifiedImageError

MAX_BYTES: Final = 512 * 1024
MAX_SIDE: Final = 2048
PNG: Final = "image/png"
SVG: Final = "image/svg+xml"
TYPES: Final = (PNG, SVG)
_PNG_SIGNATURE = b"\x89PNG\r\n\x1a\n"
_SVG_ROOTS = ("{http://www.w3.org/2000/svg}svg", "svg")


def _refuse(problem: str) -> ValidationError:
    return ValidationError({"image": problem})


def _check_png(data: bytes) -> None:
    try:
        with Image.open(io.BytesIO(data), formats=["PNG"]) as image:
            width, height = image.size
            if width > MAX_SIDE or height > MAX_SIDE:
                raise _refuse(
                    f"the PNG is {width}x{height} pixels, over the {MAX_SIDE}x{MAX_SIDE} limit"
                )
            image.verify()  # chunk CRCs and the image data up to IEND
    except (UnidentifiedImageError, OSError, SyntaxError, ValueError) as exc:
        raise _refuse(f"not a valid PNG image ({exc})") from None
    except Image.DecompressionBombError:  # pragma: no cover - the side limit comes first
        raise _refuse("the PNG is too large") from None


def _check_svg(data: bytes) -> None:
    try:
        root = SafeET.fromstring(data, forbid_dtd=False)
    except EntitiesForbidden as exc:
        if exc.sysid or exc.pubid:
            raise _refuse(f"unsafe SVG: external entity {exc.name!r} refused") from None
        raise _refuse(
            f"unsafe SVG: entity declaration {exc.name!r} refused (entity expansion)"
        ) from None
    except DTDForbidden:  # pragma: no cover - DTDs without entities are allowed
        raise _refuse("unsafe SVG: DTD refused") from None
    except DefusedXmlException as exc:
        raise _refuse(f"unsafe SVG: {type(exc).__name__} refused") from None
    except (ParseError, ValueError) as exc:
        raise _refuse(f"not a PNG or SVG image (as SVG: {exc})") from None
    if root.tag not in _SVG_ROOTS:
        raise _refuse(f"not an SVG image: the root element is {root.tag!r}, not <svg>")


def validate_image(data: bytes) -> str:
    """The media type of ``data`` (a PNG or SVG within the limits) or ``ValidationError``
    on ``image`` naming the problem."""
    if not isinstance(data, bytes | bytearray | memoryview):
        raise _refuse("must be the bytes of a PNG or SVG file")
    data = bytes(data)
    if not data:
        raise _refuse("the file is empty")
    if len(data) > MAX_BYTES:
        raise _refuse(f"the image is {len(data)} bytes, over the {MAX_BYTES // 1024} KiB limit")
    if data.startswith(_PNG_SIGNATURE):
        _check_png(data)
        return PNG
    _check_svg(data)
    return SVG


__all__ = ["MAX_BYTES", "MAX_SIDE", "PNG", "SVG", "TYPES", "validate_image"]
