"""`microcred db upgrade`, `serve`, `worker`, `manage`: the platform's operator commands."""

from __future__ import annotations

import os
from typing import Annotated

import typer

db_app = typer.Typer(help="The platform's database.", no_args_is_help=True)


def setup_django() -> None:
    """Configure Django from the MICROCRED_* environment (once per process)."""
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "microcred.platform.settings")
    import django

    django.setup()


def _manage(*args: str) -> None:
    setup_django()
    from django.core.management import call_command

    call_command(*args)


@db_app.command("upgrade")
def upgrade() -> None:
    """Create or upgrade the database schema (SQLite file by default, or MICROCRED_DATABASE_URL)."""
    from microcred.platform import config

    config.load().data_dir.mkdir(parents=True, exist_ok=True)
    _manage("migrate", "--no-input")


def serve(
    host: Annotated[str, typer.Option("--host", help="Interface to listen on.")] = "127.0.0.1",
    port: Annotated[int, typer.Option("--port", help="Port to listen on.")] = 8000,
) -> None:
    """Serve the web app (ASGI, uvicorn)."""
    import uvicorn

    setup_django()
    uvicorn.run("microcred.platform.asgi:application", host=host, port=port, log_level="info")


def worker(
    worker_id: Annotated[
        str, typer.Option("--worker-id", help="Unique per live worker (default: host:pid).")
    ] = "",
    interval: Annotated[
        float, typer.Option("--interval", help="Seconds between polls of an empty queue.")
    ] = 1.0,
    recover_every: Annotated[
        float, typer.Option("--recover-every", help="Seconds between dead-worker checks.")
    ] = 30.0,
) -> None:
    """Run background jobs (bulk issuing, pathways, email) from the database queue until
    stopped; a dead worker's tasks are taken over (docs/bulk-issuing.md)."""
    setup_django()
    from microcred.platform import workers

    try:
        workers.run(worker_id or None, interval=interval, recover_every=recover_every)
    except workers.WorkerIdInUse as exc:
        raise _fail(f"worker id {exc} is in use by a live worker") from None


def manage(
    args: Annotated[list[str] | None, typer.Argument(help="A Django management command.")] = None,
) -> None:
    """Run a Django management command, e.g. `microcred manage createsuperuser`."""
    setup_django()
    from django.core.management import execute_from_command_line

    execute_from_command_line(["microcred manage", *(args or [])])


def seed_demo() -> None:
    """Create the demo providers, micro-credentials, learners and credentials (idempotent)."""
    setup_django()
    from microcred.platform.seed import DEMO_PASSWORD, seed

    result = seed()
    typer.echo(f"operator (admin): {result.operator}")
    for slug, email in result.owners.items():
        typer.echo(f"provider {slug}: owner {email}")
    typer.echo(f"learners: {', '.join(result.learners)}")
    typer.echo(f"password for every demo account: {DEMO_PASSWORD}")
    typer.echo(f"a valid credential: {result.valid_credential}")
    typer.echo(f"a revoked credential: {result.revoked_credential}")


def api_token(
    provider: Annotated[str, typer.Option("--provider", help="Provider slug.")],
    acting: Annotated[str, typer.Option("--as", help="Email of an owner of the provider.")],
    name: Annotated[str, typer.Option("--name", help="What the token is for.")] = "cli",
    role: Annotated[
        str, typer.Option("--role", help="issuer (read and write) or viewer.")
    ] = "issuer",
) -> None:
    """Create a provider API token (printed once; only its hash is stored)."""
    setup_django()
    from django.contrib.auth import get_user_model
    from django.core.exceptions import PermissionDenied, ValidationError

    from microcred.providers import selectors, services
    from microcred.providers.models import Provider

    user = get_user_model().objects.filter(email__iexact=acting).first()
    try:
        found = selectors.provider_by_slug(provider)
        _, secret = services.create_api_token(actor=user, provider=found, name=name, role=role)  # type: ignore[arg-type]
    except Provider.DoesNotExist:
        raise _fail(f"no provider {provider!r}") from None
    except (PermissionDenied, ValidationError) as exc:
        raise _fail(f"{acting}: {exc}") from None
    typer.echo(secret)


def _fail(message: str) -> typer.Exit:
    typer.echo(f"microcred: {message}", err=True)
    return typer.Exit(2)
