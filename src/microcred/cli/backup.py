"""`microcred backup FILE` and `microcred restore FILE`: the whole platform database
(SQLite online backup, or pg_dump/pg_restore on PostgreSQL); logic in platform/backups.py."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer

from microcred.cli.common import friendly_errors
from microcred.cli.platform import setup_django

FORCE_BACKUP = "Overwrite FILE if it exists."
FORCE_RESTORE = "Replace the configured database even though it holds data."


@friendly_errors
def backup(
    file: Annotated[Path, typer.Argument(help="Where to write the backup.")],
    force: Annotated[bool, typer.Option("--force", help=FORCE_BACKUP)] = False,
) -> None:
    """Back up the platform database (consistent while serve and workers run)."""
    setup_django()
    from microcred.platform import backups

    done = backups.backup(file, force=force)
    typer.echo(f"backed up {done.database} to {done.file} ({done.migrations} migrations applied)")
    typer.echo("keep MICROCRED_KEY_ENCRYPTION_KEY apart from this file: both are needed to sign")


@friendly_errors
def restore(
    file: Annotated[Path, typer.Argument(help="A file written by `microcred backup`.")],
    force: Annotated[bool, typer.Option("--force", help=FORCE_RESTORE)] = False,
) -> None:
    """Restore the platform database from a backup, then upgrade its schema."""
    setup_django()
    from django.core.management import call_command

    from microcred.platform import backups

    done = backups.restore(file, force=force)
    typer.echo(f"restored {done.file} into {done.database}")
    if done.pending:
        typer.echo(f"upgrading the schema ({done.pending} migrations newer than the backup)")
    call_command("migrate", "--no-input", verbosity=0)
    typer.echo(
        "done; start serve and the workers with the same MICROCRED_KEY_ENCRYPTION_KEY and "
        "MICROCRED_BASE_URL as when the backup was made"
    )
