"""`microcred pathways load FILE`: author a pathway from a YAML or JSON file, in this process.

The file is checked exactly as the API and the page check it; every problem is printed with
its place (``FILE: requirement.children[2].achievementId: ...``) and the command exits 2,
storing nothing. ``--check`` only checks; ``--publish`` publishes the saved draft (which
queues the re-evaluation of every learner for ``microcred worker``).
"""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer

from microcred.cli.common import fail, friendly_errors, read_bytes
from microcred.cli.platform import setup_django

app = typer.Typer(help="Stackable pathways: load, check and publish.", no_args_is_help=True)


def _text(path: Path) -> str:
    try:
        return read_bytes(path).decode("utf-8")
    except UnicodeDecodeError:
        raise fail(f"{path}: not UTF-8 text (a pathway is YAML or JSON)") from None


@app.command("load")
@friendly_errors
def load(
    file: Annotated[Path, typer.Argument(help="The pathway as YAML or JSON ('-': stdin).")],
    provider: Annotated[str, typer.Option("--provider", help="The owning provider's slug.")],
    acting: Annotated[str, typer.Option("--as", help="Email of an owner or issuer.")],
    slug: Annotated[str | None, typer.Option("--slug", help="Default: the pathway's id.")] = None,
    publish: Annotated[bool, typer.Option("--publish", help="Publish it too.")] = False,
    check: Annotated[bool, typer.Option("--check", help="Only check; store nothing.")] = False,
) -> None:
    """Check a pathway file and save it as a draft (a new version if it was published)."""
    setup_django()
    from django.core.exceptions import PermissionDenied, ValidationError

    from microcred.bulk.selectors import user_by_email
    from microcred.pathways import services
    from microcred.providers.models import Provider

    source = _text(file)
    try:
        if check:
            pathway = services.check_source(source)
            typer.echo(f"{file}: {pathway.name} is valid")
            return
        owner = Provider.objects.filter(slug=provider).first()
        if owner is None:
            raise fail(f"--provider: no provider {provider!r}")
        actor = user_by_email(acting)
        row = services.save_pathway(actor=actor, provider=owner, source=source, slug=slug)
        if publish:
            row = services.publish_pathway(actor=actor, pathway=row)
    except ValidationError as error:
        for field, messages in error.message_dict.items():
            for message in messages:
                where = file if field == "source" else f"--{field}"
                typer.echo(f"{where}: {message}", err=True)
        raise typer.Exit(2) from None
    except PermissionDenied as error:
        raise fail(f"--as {acting}: {error}") from None
    typer.echo(f"{owner.slug}/{row.slug} v{row.version}: {row.name} ({row.status})")


@app.command("refresh")
@friendly_errors
def refresh() -> None:
    """Re-evaluate learners whose counted credentials have expired (run daily, e.g. cron)."""
    setup_django()
    from microcred.pathways.jobs import refresh_expired

    typer.echo(f"re-evaluated {refresh_expired()} learner(s) after expiries")
