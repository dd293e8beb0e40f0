"""`microcred present`: sign a Verifiable Presentation of credentials with a holder key."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated, Any

import typer

from microcred.cli.common import dumps, fail, friendly_errors, read_bytes, write_atomic


def _credential(path: Path) -> dict[str, Any] | str:
    """A credential file as the presentation embeds it: a VC-JWT stays a JWT (it is
    enveloped), anything else (JSON, baked PNG/SVG) becomes its JSON document."""
    from microcred.core.errors import InputError
    from microcred.core.verify.inputs import decode_bytes

    decoded = decode_bytes(read_bytes(path), where=str(path))
    if decoded.encoding == "vp":
        raise InputError("is a presentation, not a credential", where=str(path))
    return decoded.jwt if decoded.jwt is not None else decoded.document


@friendly_errors
def present(
    credentials: Annotated[
        list[Path], typer.Argument(help="Signed credentials: JSON, VC-JWT, baked PNG or SVG.")
    ],
    key: Annotated[Path, typer.Option("--key", help="The holder's key file (keys new).")],
    holder: Annotated[str, typer.Option("--holder", help="The holder's DID (the key's owner).")],
    challenge: Annotated[
        str, typer.Option("--challenge", help="The verifier's challenge (nonce).")
    ],
    domain: Annotated[
        str | None, typer.Option("--domain", help="The verifier's domain, if it gave one.")
    ] = None,
    out: Annotated[Path | None, typer.Option("--out", help="Write here instead of stdout.")] = None,
) -> None:
    """Sign a Verifiable Presentation (eddsa-rdfc-2022, authentication) of CREDENTIALS."""
    from microcred.core.crypto.keys import load_key_file
    from microcred.core.crypto.presentations import sign_presentation
    from microcred.core.errors import SigningError

    pair = load_key_file(key)
    if not pair.has_secret:
        raise fail(f"{key}: holds no secret key, so it cannot sign")
    try:
        presentation = sign_presentation(
            [_credential(path) for path in credentials],
            pair,
            holder=holder,
            challenge=challenge,
            domain=domain,
        )
    except SigningError as exc:
        raise fail(str(exc)) from None
    if out is None:
        typer.echo(dumps(presentation), nl=False)
    else:
        write_atomic(out, dumps(presentation).encode())
