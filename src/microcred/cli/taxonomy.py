"""`microcred taxonomy import esco|onet|custom PATH`: store a skills taxonomy release.

ESCO and O*NET read a folder of the official tables (CSV); custom reads one YAML file
(docs/skills.md#taxonomies). One transaction: a bad file or row is reported with its place
and exit code 2, storing nothing. Re-importing the same release changes nothing.
"""

from __future__ import annotations

from enum import StrEnum
from pathlib import Path
from typing import Annotated

import typer

from microcred.cli.common import friendly_errors
from microcred.cli.platform import setup_django
from microcred.cli.taxonomy_embed import embed

app = typer.Typer(help="Skills taxonomies (ESCO, O*NET, custom YAML).", no_args_is_help=True)


class SchemeName(StrEnum):
    esco = "esco"
    onet = "onet"
    custom = "custom"


@app.command("import")
@friendly_errors
def import_(
    scheme: Annotated[SchemeName, typer.Argument(help="esco, onet or custom.")],
    path: Annotated[
        Path, typer.Argument(help="ESCO/O*NET: the folder of CSV files; custom: the YAML file.")
    ],
) -> None:
    """Import (or re-import) a taxonomy: skills, occupations and their skill relations."""
    setup_django()
    from microcred.skills.attribution import attribution_for, onet_attribution
    from microcred.skills.importing import import_taxonomy

    result = import_taxonomy(scheme.value, path)
    typer.echo(f"{result.release} ({result.scheme})")
    typer.echo(f"  skills:      {result.skills}")
    typer.echo(f"  occupations: {result.occupations}")
    typer.echo(f"  relations:   {result.relations}")
    for credit in attribution_for([result.scheme]):
        if credit.scheme == "onet":  # the credit names the release imported
            typer.echo(onet_attribution(result.release.removeprefix("O*NET").strip() or "29.2"))
        else:
            typer.echo(" ".join(filter(None, (credit.text, credit.note))))


app.command("embed")(embed)  # microcred.cli.taxonomy_embed
