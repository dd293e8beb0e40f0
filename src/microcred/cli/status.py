"""`microcred status`: keep a Bitstring Status List file, revoke/suspend, publish the signed list.

The file is the issuer's private bookkeeping (list URL, purpose, bits, which indexes were
handed out); `publish` turns it into the signed BitstringStatusListCredential to serve at
the list URL.
"""

from __future__ import annotations

from datetime import UTC, datetime
from pathlib import Path
from typing import Annotated

import typer

from microcred.cli.common import dumps, friendly_errors, read_bytes, write_atomic
from microcred.core import jsonio
from microcred.core.crypto.statuslist import MIN_ENTRIES, PURPOSES, StatusListState
from microcred.core.errors import InputError

app = typer.Typer(
    help="Bitstring Status Lists: create, allocate, revoke, suspend, check, publish.",
    no_args_is_help=True,
)

# The file is our own bookkeeping, so it may be larger than an untrusted document.
MAX_STATE_BYTES = 64 * 1024 * 1024

FileArg = Annotated[Path, typer.Argument(help="Status list file (from `status new`).")]
IndexArg = Annotated[int, typer.Argument(help="Index in the list (from `status allocate`).")]


def _load(path: Path) -> StatusListState:
    data = jsonio.loads(read_bytes(path), where=str(path), max_bytes=MAX_STATE_BYTES)
    return StatusListState.from_json(data, where=str(path))


def _save(path: Path, state: StatusListState) -> None:
    write_atomic(path, dumps(state.to_json()).encode("utf-8"))


@app.command("new")
@friendly_errors
def new(
    url: Annotated[str, typer.Option("--url", help="Where the signed list will be served.")],
    out: Annotated[Path, typer.Option("--out", help="Status list file to create.")],
    purpose: Annotated[
        str, typer.Option("--purpose", help="revocation (permanent) | suspension (reversible)")
    ] = "revocation",
    size: Annotated[
        int, typer.Option("--size", help=f"Number of entries (at least {MIN_ENTRIES}).")
    ] = MIN_ENTRIES,
    issuer: Annotated[
        str | None, typer.Option("--issuer", help="Issuer id (default: the publishing key's DID).")
    ] = None,
) -> None:
    """Create an empty status list file."""
    if purpose not in PURPOSES:
        raise InputError(f"use one of {', '.join(PURPOSES)}", where="--purpose")
    if not url.startswith(("https://", "http://")):
        raise InputError("the list URL must be an http(s) URL", where="--url")
    if out.exists():
        raise InputError("already exists (refusing to overwrite its allocations)", where=str(out))
    state = StatusListState.new(url, purpose, size=size, issuer=issuer)
    _save(out, state)
    typer.echo(f"{out}: new {purpose} list of {state.size} entries for {url}")


@app.command("allocate")
@friendly_errors
def allocate(file: FileArg) -> None:
    """Take a random, never-used index and print its credentialStatus entry (JSON)."""
    state = _load(file)
    index = state.allocate()
    _save(file, state)
    typer.echo(dumps(state.entry(index)), nl=False)


def _change(file: Path, index: int, action: str, done: str) -> None:
    """Apply one status change to the list file; the file is rewritten only if it succeeds."""
    state = _load(file)
    getattr(state, action)(index)
    _save(file, state)
    typer.echo(f"index {index}: {done} (publish the list again)")


@app.command("revoke")
@friendly_errors
def revoke(file: FileArg, index: IndexArg) -> None:
    """Revoke an allocated index (permanent)."""
    _change(file, index, "revoke", "revoked")


@app.command("suspend")
@friendly_errors
def suspend(file: FileArg, index: IndexArg) -> None:
    """Suspend an allocated index of a suspension list."""
    _change(file, index, "suspend", "suspended")


@app.command("unsuspend")
@friendly_errors
def unsuspend(file: FileArg, index: IndexArg) -> None:
    """Lift a suspension (revocations cannot be lifted)."""
    _change(file, index, "unsuspend", "no longer suspended")


@app.command("check")
@friendly_errors
def check(file: FileArg, index: IndexArg) -> None:
    """Print the status of an index."""
    state = _load(file)
    value = state.status_list.get(index)
    word = "revoked" if state.purpose == "revocation" else "suspended"
    allocated = "" if state.is_allocated(index) else " (never allocated)"
    typer.echo(f"index {index}: {word if value else 'not ' + word}{allocated}")


@app.command("publish")
@friendly_errors
def publish(
    file: FileArg,
    key: Annotated[Path, typer.Option("--key", help="Issuer key file (Multikey JSON).")],
    out: Annotated[Path, typer.Option("--out", help="Where to write the signed list credential.")],
    suite: Annotated[
        str, typer.Option("--suite", help="eddsa-rdfc-2022 | eddsa-jcs-2022")
    ] = "eddsa-rdfc-2022",
) -> None:
    """Sign the current list as a BitstringStatusListCredential, ready to serve at its URL."""
    from microcred.core.crypto.keys import load_key_file
    from microcred.core.crypto.suites.base import sign_credential

    if suite not in ("eddsa-rdfc-2022", "eddsa-jcs-2022"):
        raise InputError(f"unknown suite {suite!r}", where="--suite")
    state = _load(file)
    signer = load_key_file(key)
    now = datetime.now(UTC).replace(microsecond=0)
    document = state.credential(state.issuer or signer.controller, now)
    signed = sign_credential(document, signer, suite=suite, created=now)
    write_atomic(out, dumps(signed).encode("utf-8"))
    typer.echo(f"{out}: signed {state.purpose} list for {state.url}")
