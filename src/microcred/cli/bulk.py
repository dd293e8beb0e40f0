"""`microcred issue --csv FILE`: bulk issuing from the command line, in this process.

A dry run prints the file's errors (and can write them as a CSV report); otherwise the
file becomes a bulk job that is issued here with a progress bar. The same file issued
twice issues nothing the second time. The CSV format is in ``docs/bulk-issuing.md``.
"""

from __future__ import annotations

import time
from pathlib import Path
from typing import TYPE_CHECKING, Annotated

import typer
from rich.console import Console
from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeRemainingColumn

from microcred.cli.common import fail, friendly_errors, read_bytes
from microcred.cli.platform import setup_django

if TYPE_CHECKING:
    from microcred.bulk.models import BulkJob
    from microcred.bulk.services import DryRunReport

SHOWN_ERRORS = 50


def _plural(count: int, word: str) -> str:
    return f"{count} {word}" if count == 1 else f"{count} {word}s"


def _print_errors(report: DryRunReport, errors_file: Path | None) -> None:
    for error in report.errors[:SHOWN_ERRORS]:
        typer.echo(str(error))
    more = len(report.errors) - SHOWN_ERRORS
    if more > 0 or report.truncated:
        typer.echo(f"… and {'more' if report.truncated else more} more errors")
    if errors_file is not None:
        errors_file.write_text(report.error_csv(), encoding="utf-8", newline="")
        typer.echo(f"error report written to {errors_file}")


def _dry_run_summary(report: DryRunReport) -> str:
    return (
        f"{report.filename}: {report.rows} rows, no errors; would issue {report.would_issue}, "
        f"skip {report.already_issued} (issued before)"
    )


def _run(job: BulkJob) -> BulkJob:
    from microcred.bulk import services

    columns = (
        TextColumn("issuing"),
        BarColumn(),
        MofNCompleteColumn(),
        TimeRemainingColumn(),
    )
    with Progress(*columns, console=Console(stderr=True)) as progress:
        bar = progress.add_task("issuing", total=job.total)

        def advance(current: BulkJob) -> None:
            progress.update(bar, completed=current.total - current.pending)

        return services.run_job(job.pk, on_progress=advance)


def _report_job(job: BulkJob, seconds: float) -> None:
    from microcred.bulk import selectors

    rate = f", {job.issued / seconds:.0f}/s" if job.issued and seconds > 0 else ""
    typer.echo(
        f"bulk job {job.pk}: {job.issued} issued, {job.skipped} skipped, "
        f"{job.failed} failed ({job.total} rows in {seconds:.1f} s{rate})"
    )
    for row in selectors.failed_rows(job)[:SHOWN_ERRORS]:
        typer.echo(f"line {row.line}: {row.error}")
    if job.state != job.State.DONE:
        raise fail(f"bulk job {job.pk} {job.state}: {job.error}")
    if job.failed:
        raise typer.Exit(1)


def _issue(
    content: bytes, filename: str, names: tuple[str, str, int | None], acting: str, *, dry: bool
) -> DryRunReport | BulkJob:
    from microcred.bulk import selectors, services

    actor = selectors.user_by_email(acting)
    definition = selectors.definition_for(*names)
    if dry:
        return services.dry_run(
            actor=actor, definition=definition, csv_bytes=content, filename=filename
        )
    return services.create_job(
        actor=actor, definition=definition, csv_bytes=content, filename=filename
    )


def _refuse_too_large(path: Path) -> None:
    """A file over the limit is refused by its size, before it is read."""
    from microcred.bulk import csvfile

    size = path.stat().st_size if str(path) != "-" and path.is_file() else 0
    if size > csvfile.MAX_BYTES:
        raise fail(f"{path}: {csvfile.too_large(size)}; split it")


@friendly_errors
def issue(
    csv_file: Annotated[
        Path, typer.Option("--csv", help="The CSV file (see docs/bulk-issuing.md).")
    ],
    provider: Annotated[str, typer.Option("--provider", help="The provider's slug.")],
    definition: Annotated[str, typer.Option("--definition", help="The micro-credential's slug.")],
    acting: Annotated[str, typer.Option("--as", help="Email of the acting owner or issuer.")],
    version: Annotated[
        int | None,
        typer.Option("--version", help="Definition version (default: newest published)."),
    ] = None,
    dry_run: Annotated[bool, typer.Option("--dry-run", help="Only check the file.")] = False,
    errors_file: Annotated[
        Path | None, typer.Option("--errors", help="Write the error report (CSV) to this file.")
    ] = None,
) -> None:
    """Issue a micro-credential to every row of a CSV file (dry run first with --dry-run)."""
    setup_django()
    from django.core.exceptions import PermissionDenied, ValidationError

    from microcred.bulk import services

    _refuse_too_large(csv_file)
    content = read_bytes(csv_file)
    names = (provider, definition, version)
    try:
        outcome = _issue(content, csv_file.name, names, acting, dry=dry_run)
    except services.FileHasErrors as refused:
        _print_errors(refused.report, errors_file)
        raise fail(services.error_text(refused)) from None
    except ValidationError as error:
        raise fail(services.error_text(error)) from None
    except PermissionDenied as error:
        raise fail(f"{acting}: {error}") from None
    if isinstance(outcome, services.DryRunReport):
        if not outcome.ok:
            _print_errors(outcome, errors_file)
            raise fail(f"{outcome.filename}: {_plural(len(outcome.errors), 'error')}")
        typer.echo(_dry_run_summary(outcome))
        return
    started = time.perf_counter()
    job = _run(outcome)
    _report_job(job, time.perf_counter() - started)
