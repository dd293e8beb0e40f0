"""`microcred issue --csv`: in this process on the test database, and end to end in subprocesses."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest
from typer.testing import CliRunner

from microcred.bulk.models import BulkJob
from microcred.bulk.tests.conftest import learners_csv
from microcred.cli.main import app
from microcred.credentials.models import IssuedCredential

runner = CliRunner()


def _issue(path: Path, *extra: str, who: str = "issuer@example.org") -> Any:
    args = ["issue", "--csv", str(path), "--provider", "uni", "--definition", "data-101"]
    return runner.invoke(app, [*args, "--as", who, *extra])


def test_dry_run_prints_errors_and_writes_the_report(definition: Any, tmp_path: Path) -> None:
    path = tmp_path / "cohort.csv"
    path.write_bytes(learners_csv(3) + b"not-an-email,x,A\n=1+1,x,B\n")
    report = tmp_path / "errors.csv"
    result = _issue(path, "--dry-run", "--errors", str(report))
    assert result.exit_code == 2, result.output
    assert "line 5, email: not an email address" in result.stdout
    assert "line 6, email: not an email address" in result.stdout
    assert result.stderr.strip() == "microcred: cohort.csv: 2 errors"
    assert "6,email,'=1+1,not an email address" in report.read_text()
    assert BulkJob.objects.count() == 0


def test_issuing_the_same_file_twice_issues_nothing_the_second_time(
    definition: Any, tmp_path: Path
) -> None:
    path = tmp_path / "cohort.csv"
    path.write_bytes(learners_csv(30))
    dry = _issue(path, "--dry-run")
    assert dry.exit_code == 0, dry.output
    assert "cohort.csv: 30 rows, no errors; would issue 30, skip 0" in dry.stdout
    first = _issue(path)
    assert first.exit_code == 0, first.output
    assert "30 issued, 0 skipped, 0 failed" in first.stdout
    second = _issue(path, "--version", "1")
    assert second.exit_code == 0, second.output
    assert "0 issued, 30 skipped, 0 failed" in second.stdout
    assert IssuedCredential.objects.count() == 30 and BulkJob.objects.count() == 2


def test_a_file_with_errors_is_refused_without_issuing(definition: Any, tmp_path: Path) -> None:
    path = tmp_path / "cohort.csv"
    path.write_bytes(learners_csv(3) + b"learner1@example.com,dup,A\n")
    result = _issue(path)
    assert result.exit_code == 2
    assert "line 5, email: duplicate recipient: the same as line 3" in result.stdout
    assert "nothing was issued" in result.stderr
    assert IssuedCredential.objects.count() == 0


@pytest.mark.parametrize(
    ("extra", "who", "message"),
    [
        (("--provider", "nope"), "issuer@example.org", "no provider 'nope'"),
        (("--version", "9"), "issuer@example.org", "no micro-credential 'data-101' (v9)"),
        ((), "viewer@example.org", "viewer@example.org: only a provider's owner or issuer"),
        ((), "outsider@example.org", "outsider@example.org: only a provider's owner or issuer"),
        ((), "ghost@example.org", "no active user with the email address"),
    ],
)
def test_errors_are_one_line_and_exit_2(
    definition: Any, tmp_path: Path, extra: tuple[str, ...], who: str, message: str
) -> None:
    path = tmp_path / "cohort.csv"
    path.write_bytes(learners_csv(2))
    result = _issue(path, *extra, who=who)
    assert result.exit_code == 2
    assert result.stderr.count("\n") == 1 and message in result.stderr
    assert IssuedCredential.objects.count() == 0


def test_missing_file(definition: Any, tmp_path: Path) -> None:
    result = _issue(tmp_path / "missing.csv")
    assert result.exit_code == 2 and "missing.csv: no such file" in result.stderr


SEED = """
from django.contrib.auth import get_user_model
from microcred.credentials import services as c
from microcred.providers import services as p
owner = get_user_model().objects.create_user(username="o", email="owner@example.org")
uni = p.create_provider(actor=owner, slug="uni", name="Uni", legal_name="Uni B.V.",
                        country="NL", did_method="key")
d = c.create_definition(actor=owner, provider=uni, slug="data-101", name="Data",
                        description="Data analysis.")
c.publish(actor=owner, definition=d)
"""


@pytest.mark.slow
def test_end_to_end_on_a_fresh_sqlite_file(tmp_path: Path) -> None:
    env = dict(os.environ, MICROCRED_ENV="test", MICROCRED_DATA_DIR=str(tmp_path))
    env["MICROCRED_DATABASE_URL"] = f"sqlite:///{tmp_path / 'e2e.sqlite3'}"
    env.pop("PYTEST_VERSION", None)

    def microcred(*args: str) -> subprocess.CompletedProcess[str]:
        command = [sys.executable, "-m", "microcred", *args]
        return subprocess.run(command, env=env, capture_output=True, text=True, timeout=120)

    assert microcred("db", "upgrade").returncode == 0
    seeded = microcred("manage", "shell", "-c", SEED)
    assert seeded.returncode == 0, seeded.stderr
    path = tmp_path / "cohort.csv"
    path.write_bytes("\ufeff".encode() + learners_csv(25))
    args = ["issue", "--csv", str(path), "--provider", "uni", "--definition", "data-101"]
    args += ["--as", "OWNER@example.org"]
    first = microcred(*args)
    assert first.returncode == 0, first.stderr
    assert "25 issued, 0 skipped, 0 failed" in first.stdout
    second = microcred(*args)
    assert second.returncode == 0, second.stderr
    assert "0 issued, 25 skipped, 0 failed" in second.stdout
