"""`microcred verify`: files, directories, URLs or stdin; a summary table or the JSON reports."""

from __future__ import annotations

import json
import sys
from pathlib import Path
from typing import Annotated

import typer
from rich.console import Console
from rich.table import Table

from microcred.cli.common import fail, friendly_errors, read_bytes
from microcred.core.verify.entry import verify_any
from microcred.core.verify.report import VerificationReport
from microcred.core.verify.verifier import VerifyOptions, load_keys_file

IMAGE_SUFFIXES = {".json", ".jsonld", ".jwt", ".jws", ".png", ".svg", ".txt", ".zip"}
COLUMNS = ("input", "holder / recipient", "achievement", "issuer", "issued", "verdict", "why")


def _expand(inputs: list[str]) -> list[str]:
    names: list[str] = []
    for item in inputs:
        path = Path(item)
        if "://" not in item and path.is_dir():
            names.extend(
                str(p) for p in sorted(path.iterdir()) if p.suffix.lower() in IMAGE_SUFFIXES
            )
        else:
            names.append(item)
    return names


def _verify_one(name: str, options: VerifyOptions) -> list[VerificationReport]:
    """The reports of one input: a zip gives one per entry, a presentation one per credential."""
    if name.startswith(("https://", "http://")):
        from microcred.core.errors import FetchError

        try:
            data = options.fetcher.fetch(name)
        except FetchError as exc:
            report = VerificationReport(name)
            report.add("structure", False, f"Could not fetch the credential: {exc}")
            return [report]
    else:
        data = read_bytes(Path(name))
    return verify_any(data, name=name, options=options)


def print_reports(reports: list[VerificationReport], console: Console | None = None) -> None:
    """The summary table (one row per credential or presentation), then each report."""
    from microcred.core.verify.overview import describe

    console = console or Console(emoji=False)
    table = Table(title="Verification", show_lines=False)
    for column in COLUMNS:
        table.add_column(column, overflow="fold")
    for report in reports:
        failed = report.failed()
        verdict = "[green]VALID[/green]" if report.verified else "[red]NOT VALID[/red]"
        why = failed[0].message if failed else "all checks passed"
        row = describe(report)
        table.add_row(
            report.input,
            row["holder"],
            row["achievement"],
            row["issuer"],
            row["issued"],
            verdict,
            why,
            style="dim" if report.kind == "presentation" else None,
        )
    console.print(table)
    for report in reports:
        console.print(f"\n[bold]{report.input}[/bold]: {report.summary}")
        for check in report.checks:
            mark = "[green]✔[/green]" if check.ok else "[red]✘[/red]"
            console.print(f"  {mark} {check.check:<11} {check.message}", highlight=False)


@friendly_errors
def verify(
    inputs: Annotated[
        list[str],
        typer.Argument(
            help="Credentials or presentations (JSON, JWT, PNG, SVG), zip files of them, "
            "directories, URLs, or -."
        ),
    ],
    as_json: Annotated[
        bool,
        typer.Option(
            "--json", help="Print a JSON array of every report (each credential, presentation)."
        ),
    ] = False,
    challenge: Annotated[
        str | None,
        typer.Option("--challenge", help="The challenge a presentation's proof must carry."),
    ] = None,
    domain: Annotated[
        str | None, typer.Option("--domain", help="The domain a presentation's proof must carry.")
    ] = None,
    keys: Annotated[
        Path | None, typer.Option("--keys", help="Map of verification-method id -> Multikey.")
    ] = None,
    recipient: Annotated[
        str | None, typer.Option("--recipient", help="Expected recipient email.")
    ] = None,
    offline: Annotated[
        bool, typer.Option("--offline", help="Never fetch anything (status lists fail).")
    ] = False,
    allow_private: Annotated[
        bool,
        typer.Option("--allow-private-network", help="Allow fetching from loopback/private hosts."),
    ] = False,
) -> None:
    """Verify credentials, presentations and zips of them. Exit 0 if every report is valid,
    1 if any is not, 2 for unusable arguments."""
    from microcred.core.verify.fetcher import Fetcher, NoFetcher

    fetcher: Fetcher = NoFetcher()
    if not offline:
        from microcred.net import HttpFetcher

        fetcher = HttpFetcher(allow_private=allow_private)
    local_keys = load_keys_file(read_bytes(keys), where=str(keys)) if keys else {}
    options = VerifyOptions(
        fetcher=fetcher,
        local_keys=local_keys,
        recipient_email=recipient,
        challenge=challenge,
        domain=domain,
    )
    names = _expand(inputs)
    if not names:
        raise fail("no credentials found in the inputs")
    reports = [report for name in names for report in _verify_one(name, options)]
    if as_json:
        sys.stdout.write(
            json.dumps([r.to_json() for r in reports], indent=2, ensure_ascii=False) + "\n"
        )
    else:
        print_reports(reports)
    raise typer.Exit(0 if all(r.verified for r in reports) else 1)
