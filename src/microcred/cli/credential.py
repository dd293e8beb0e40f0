"""`microcred credential …`: write unsigned credentials, ready for `microcred sign`."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Annotated

import typer

from microcred.cli.common import dumps, friendly_errors, read_bytes, write_atomic
from microcred.core import jsonio

app = typer.Typer(help="Write unsigned Open Badges 3.0 credentials.", no_args_is_help=True)


def allocate_status(list_file: Path) -> dict[str, object]:
    """Take a never-used index from a status list file (saved at once) and return its entry."""
    from microcred.core.crypto.statuslist import StatusListState

    state = StatusListState.from_json(
        jsonio.loads(read_bytes(list_file), where=str(list_file)), where=str(list_file)
    )
    index = state.allocate()
    write_atomic(list_file, dumps(state.to_json()).encode())
    return state.entry(index)


@app.command("sample")
@friendly_errors
def sample(
    issuer: Annotated[str, typer.Option("--issuer", help="Issuer id (the signing key's DID).")],
    recipient_email: Annotated[
        str, typer.Option("--recipient-email", help="Learner's email (stored salted and hashed).")
    ],
    status_list: Annotated[
        Path | None,
        typer.Option("--status-list", help="Status list file to allocate a revocation index from."),
    ] = None,
    out: Annotated[Path | None, typer.Option("--out", help="Write here instead of stdout.")] = None,
) -> None:
    """The sample EU micro-credential "Data Analysis with SQL" (5 ECTS, EQF 6), unsigned."""
    from microcred.core.model import sample_credential

    document = sample_credential(issuer_id=issuer, recipient_email=recipient_email)
    if status_list is not None:
        document["credentialStatus"] = allocate_status(status_list)
    text = dumps(document)
    if out is None:
        typer.echo(text, nl=False)
    else:
        write_atomic(out, text.encode())
        typer.echo(f"wrote {out} ({json.loads(text)['id']})")
