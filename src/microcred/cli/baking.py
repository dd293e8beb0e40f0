"""`microcred bake` / `microcred unbake`: a credential in and out of a PNG or SVG badge."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer

from microcred.cli.common import friendly_errors, read_bytes, write_atomic
from microcred.core import jsonio
from microcred.core.crypto.baking import MAX_IMAGE_BYTES, PNG_SIGNATURE, bake_png, bake_svg
from microcred.core.crypto.baking import unbake as unbake_image
from microcred.core.errors import ImageError, InputError


def _payload(cred: Path) -> str:
    """The credential's text: a signed JSON credential or a compact JWS (VC-JWT)."""
    try:
        text = read_bytes(cred).decode("utf-8-sig").strip()
    except UnicodeDecodeError:
        raise InputError("not UTF-8 text", where=str(cred)) from None
    if text.startswith("{"):
        jsonio.loads_object(text, where=str(cred))  # refuse broken JSON before baking it
    return text


def _image_bytes(image: Path) -> bytes:
    """The image's bytes, refusing an oversized file before reading it into memory."""
    if str(image) != "-" and image.is_file() and image.stat().st_size > MAX_IMAGE_BYTES:
        raise ImageError(f"over the {MAX_IMAGE_BYTES}-byte image limit", where=str(image))
    return read_bytes(image)


@friendly_errors
def bake(
    cred: Annotated[Path, typer.Argument(help="Signed credential: JSON file or VC-JWT.")],
    image: Annotated[Path, typer.Option("--image", help="Badge image, PNG or SVG.")],
    out: Annotated[Path, typer.Option("--out", help="Where to write the baked image.")],
) -> None:
    """Bake a credential into a PNG (iTXt) or SVG badge; an earlier one is replaced."""
    payload = _payload(cred)
    data = _image_bytes(image)
    if data.startswith(PNG_SIGNATURE):
        baked = bake_png(data, payload)
    elif data.lstrip(b"\xef\xbb\xbf \t\r\n").startswith(b"<"):
        baked = bake_svg(data, payload)
    else:
        raise ImageError("not a PNG or SVG image", where=str(image))
    write_atomic(out, baked)
    typer.echo(f"{out}: baked ({len(baked)} bytes)", err=True)


@friendly_errors
def unbake(
    image: Annotated[Path, typer.Argument(help="Baked PNG or SVG badge.")],
) -> None:
    """Print the credential baked into a badge (OB 3.0, or OB 2.0 assertion)."""
    try:
        found = unbake_image(_image_bytes(image))
    except ImageError as exc:
        raise ImageError(exc.message, where=str(image)) from None
    typer.echo(found.text)
    typer.echo(f"{image}: {found.kind} {found.encoding}", err=True)
