"""What every CLI command shares: one clear line on error, exit code 2 for unusable input."""

from __future__ import annotations

import functools
import sys
from collections.abc import Callable
from pathlib import Path
from typing import Any, ParamSpec, TypeVar

import typer

from microcred.core.errors import InputError, MicrocredError

P = ParamSpec("P")
R = TypeVar("R")

EXIT_UNUSABLE = 2


def fail(message: str, code: int = EXIT_UNUSABLE) -> typer.Exit:
    """Print ``microcred: message`` on stderr and return the Exit to raise."""
    typer.echo(f"microcred: {message}", err=True)
    return typer.Exit(code)


def friendly_errors(func: Callable[P, R]) -> Callable[P, R]:
    """Turn the errors a user can cause into one line on stderr and exit 2, never a traceback."""

    @functools.wraps(func)
    def wrapper(*args: P.args, **kwargs: P.kwargs) -> R:
        try:
            return func(*args, **kwargs)
        except InputError as exc:
            raise fail(str(exc)) from None
        except MicrocredError as exc:
            raise fail(str(exc)) from None
        except OSError as exc:
            name = getattr(exc, "filename", None)
            raise fail(f"{name}: {exc.strerror}" if name else str(exc)) from None

    return wrapper


def read_bytes(path: Path) -> bytes:
    """A file's bytes, or ``-`` for standard input; errors name the file."""
    if str(path) == "-":
        return sys.stdin.buffer.read()
    if path.is_dir():
        raise InputError("is a directory", where=str(path))
    try:
        return path.read_bytes()
    except FileNotFoundError:
        raise InputError("no such file", where=str(path)) from None


def write_atomic(path: Path, data: bytes, *, mode: int | None = None) -> None:
    """Write through a temporary file and rename, so a crash never leaves half a file."""
    tmp = path.with_name(f".{path.name}.tmp")
    tmp.write_bytes(data)
    if mode is not None:
        tmp.chmod(mode)
    tmp.replace(path)


def dumps(document: Any) -> str:
    import json

    return json.dumps(document, indent=2, ensure_ascii=False) + "\n"
