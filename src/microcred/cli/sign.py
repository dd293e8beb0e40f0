"""`microcred sign`: sign one credential, a directory of them, or a JSON Lines stream (a cohort)."""

from __future__ import annotations

import json
import sys
from collections.abc import Iterator
from pathlib import Path
from typing import Annotated, Any

import typer

from microcred.cli.common import dumps, friendly_errors, read_bytes, write_atomic
from microcred.core import jsonio
from microcred.core.errors import InputError, MicrocredError

SUITES = ("eddsa-rdfc-2022", "eddsa-jcs-2022", "vc-jwt")


def _sources(inputs: list[Path]) -> Iterator[tuple[str, Path | None, dict[str, Any]]]:
    """(name, path, document) for every credential named by the inputs, in order."""
    for path in inputs:
        if str(path) == "-":
            for number, line in enumerate(sys.stdin.buffer, start=1):
                if line.strip():
                    yield (
                        f"stdin line {number}",
                        None,
                        jsonio.loads_object(line, where=f"stdin line {number}"),
                    )
        elif path.is_dir():
            for child in sorted(path.glob("*.json")):
                yield str(child), child, jsonio.loads_object(read_bytes(child), where=str(child))
        else:
            yield str(path), path, jsonio.loads_object(read_bytes(path), where=str(path))


def _serialize(signed: Any, *, lines: bool) -> str:
    if isinstance(signed, str):  # a VC-JWT
        return signed + "\n"
    return json.dumps(signed, ensure_ascii=False) + "\n" if lines else dumps(signed)


def _streaming(inputs: list[Path]) -> bool:
    return any(str(p) == "-" for p in inputs)


def _sign_one(signer: Any, document: dict[str, Any], name: str) -> Any:
    try:
        return signer.sign(document)
    except InputError as exc:
        raise InputError(exc.message, where=name) from None
    except MicrocredError as exc:  # e.g. SigningError: another issuer's credential
        raise InputError(str(exc), where=name) from None


@friendly_errors
def sign(
    inputs: Annotated[
        list[Path],
        typer.Argument(help="Credential files, directories, or - for JSON Lines on stdin."),
    ],
    key: Annotated[Path, typer.Option("--key", help="Key file (Multikey JSON with the secret).")],
    suite: Annotated[
        str, typer.Option("--suite", help="eddsa-rdfc-2022 | eddsa-jcs-2022 | vc-jwt")
    ] = SUITES[0],
    out: Annotated[
        Path | None, typer.Option("--out", help="Output file, or directory for a directory input.")
    ] = None,
) -> None:
    """Sign credentials; a missing issuer id becomes the key's DID."""
    from microcred.core.crypto.keys import load_key_file
    from microcred.core.crypto.suites.base import BatchSigner

    if suite not in SUITES:
        raise InputError(
            f"unknown suite {suite!r}; use one of {', '.join(SUITES)}", where="--suite"
        )
    signer = BatchSigner(load_key_file(key), suite=suite)
    streaming = _streaming(inputs)
    to_dir = out is not None and (out.is_dir() or any(p.is_dir() for p in inputs))
    if to_dir and out is not None:
        out.mkdir(parents=True, exist_ok=True)
    lines = not to_dir and (streaming or len(inputs) > 1 or any(p.is_dir() for p in inputs))
    # Files are written only once every credential has signed: a bad one leaves nothing behind.
    # Standard output streams, one complete JSON line per credential, for pipelines.
    pending: list[tuple[Path | None, str]] = []
    for name, path, document in _sources(inputs):
        text = _serialize(_sign_one(signer, document, name), lines=lines)
        if out is None:
            sys.stdout.write(text)
            sys.stdout.flush()
        else:
            pending.append((path, text))
    if out is not None and to_dir:
        for path, text in pending:
            suffix = ".jwt" if suite == "vc-jwt" else ".json"
            write_atomic(out / ((path.stem if path else "stdin") + suffix), text.encode())
    elif out is not None:
        write_atomic(out, "".join(text for _, text in pending).encode())
    if out is not None:
        typer.echo(f"{out}: signed {len(pending)} credential(s) with {suite}", err=True)
