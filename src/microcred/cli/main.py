"""The `microcred` command: thin shells over the core."""

from __future__ import annotations

import typer

from microcred.cli import backup as backup_cli
from microcred.cli import (
    baking,
    credential,
    keys,
    keys_platform,
    platform,
    present,
    sign,
    status,
    verify,
)
from microcred.cli import bulk as bulk_cli
from microcred.cli import pathways as pathways_cli
from microcred.cli import taxonomy as taxonomy_cli

app = typer.Typer(
    help="microcred: issue, bake and verify Open Badges 3.0 micro-credentials.",
    no_args_is_help=True,
    pretty_exceptions_enable=False,
    add_completion=False,
)
app.add_typer(keys.app, name="keys")
# The platform's key lifecycle joins the engine's key-file commands (docs/operations.md, 4).
keys.app.command("rotate-provider")(keys_platform.rotate_provider)
keys.app.command("rotate-kek")(keys_platform.rotate_kek)
keys.app.command("compromised")(keys_platform.compromised)
app.add_typer(status.app, name="status")
app.add_typer(credential.app, name="credential")
app.add_typer(platform.db_app, name="db")
app.add_typer(pathways_cli.app, name="pathways")
app.add_typer(taxonomy_cli.app, name="taxonomy")
app.command("serve")(platform.serve)
app.command("worker")(platform.worker)
app.command("seed-demo")(platform.seed_demo)
app.command("api-token")(platform.api_token)
app.command("backup")(backup_cli.backup)
app.command("restore")(backup_cli.restore)
app.command("manage", context_settings={"allow_extra_args": True, "ignore_unknown_options": True})(
    platform.manage
)
app.command("sign")(sign.sign)
app.command("issue")(bulk_cli.issue)
app.command("verify")(verify.verify)
app.command("present")(present.present)
app.command("bake")(baking.bake)
app.command("unbake")(baking.unbake)


def main() -> None:
    app()


if __name__ == "__main__":
    main()
