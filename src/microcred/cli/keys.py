"""`microcred keys …`: create provider keys and their DID documents."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer

from microcred.cli.common import dumps, fail, friendly_errors, write_atomic

app = typer.Typer(
    help="Create Ed25519 keys (Multikey files) and DID documents.", no_args_is_help=True
)


@app.command("new")
@friendly_errors
def new(
    out: Annotated[
        Path, typer.Option("--out", help="Key file to write (Multikey JSON, secret inside).")
    ],
    did_web: Annotated[
        str | None,
        typer.Option(
            "--did-web",
            metavar="HOST[:PATH]",
            help="Make a did:web key, e.g. example.edu:issuers:1",
        ),
    ] = None,
    did_document: Annotated[
        Path | None,
        typer.Option("--did-document", help="Also write the DID document (did.json) here."),
    ] = None,
    key_id: Annotated[
        str,
        typer.Option("--key-id", help="Fragment of a did:web key id (key-2 for a rotated key)."),
    ] = "key-1",
    force: Annotated[bool, typer.Option("--force", help="Overwrite an existing key file.")] = False,
) -> None:
    """Create a key; prints the DID (did:key by default)."""
    from microcred.core.crypto import did
    from microcred.core.crypto.keys import Ed25519KeyPair

    if out.exists() and not force:
        raise fail(f"{out}: already exists (use --force to overwrite a key)")
    key = Ed25519KeyPair.generate()
    if did_web:
        controller = did.did_web_from_host(did_web)
        key = key.with_identity(controller=controller, id=f"{controller}#{key_id}")
    write_atomic(out, dumps(key.to_multikey(include_secret=True)).encode(), mode=0o600)
    if did_document is not None:
        document = (
            did.did_web_document(key.controller, [key])
            if did_web
            else did.did_key_document(key.controller)
        )
        write_atomic(did_document, dumps(document).encode())
    typer.echo(key.controller)


@app.command("show")
@friendly_errors
def show(key_file: Annotated[Path, typer.Argument(help="A key file.")]) -> None:
    """Print a key's public Multikey document (never the secret)."""
    from microcred.core.crypto.keys import load_key_file

    typer.echo(dumps(load_key_file(key_file).to_multikey(include_secret=False)), nl=False)


@app.command("did-document")
@friendly_errors
def did_document(
    key_files: Annotated[list[Path], typer.Argument(help="Key files of one DID, oldest first.")],
    out: Annotated[Path | None, typer.Option("--out", help="Write here instead of stdout.")] = None,
) -> None:
    """The DID document (did.json) of a did:web with all its keys: after a rotation, old keys
    stay listed so that what they signed still verifies; the last key authenticates."""
    from microcred.core.crypto import did
    from microcred.core.crypto.keys import load_key_file
    from microcred.core.errors import InputError

    keys = [load_key_file(path) for path in key_files]
    controllers = {key.controller for key in keys}
    if len(controllers) != 1:
        raise InputError(
            "the keys belong to different DIDs: " + ", ".join(sorted(map(str, controllers)))
        )
    controller = keys[0].controller or ""
    if controller.startswith("did:key:"):
        if len(keys) != 1:
            raise InputError("a did:key has exactly one key")
        document = did.did_key_document(controller)
    else:
        document = did.did_web_document(controller, keys)
    if out is None:
        typer.echo(dumps(document), nl=False)
    else:
        write_atomic(out, dumps(document).encode())
