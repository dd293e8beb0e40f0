"""Fuzzing the bulk CSV importer: files built from good and bad cells, then mangled.

``csvfile.parse`` never raises; it gives rows or errors that name the line (within the
file) and the column (one of the format's, the header cell at fault, or none for the file
as a whole). Through the
service, ``create_job`` either stores a job with one row per good row or raises a
ValidationError (FileHasErrors names the rows) and leaves nothing behind.
"""

from __future__ import annotations

import csv
import io
from datetime import UTC, datetime
from typing import Any

import pytest
from django.core.exceptions import ValidationError
from hypothesis import HealthCheck, event, example, given, settings
from hypothesis import strategies as st

from microcred.bulk import csvfile
from tests.fuzz.strategies import FUZZ, edits, mutate

NOW = datetime(2026, 6, 1, tzinfo=UTC)
column_names = st.sampled_from([*csvfile.COLUMNS, "EMAIL", " did ", "name", ""])
cells = st.sampled_from(
    [
        "ana@example.org",
        "bo@example.org",
        "not-an-email",
        "did:example:123",
        "did:x",
        "https://example.org/evidence",
        "javascript:alert(1)",
        "2030-01-01",
        "2030-01-01T10:00:00+02:00",
        "2001-01-01",
        "9999-99-99",
        "A",
        "=1+1",
        "",
        " ",
        "x" * 201,
    ]
) | st.text(max_size=20)


@st.composite
def csv_files(draw: st.DrawFn) -> bytes:
    """A header and rows written as CSV (any quoting, line ending, with or without BOM)."""
    header = draw(st.lists(column_names, min_size=1, max_size=4))
    rows = draw(st.lists(st.lists(cells, max_size=len(header) + 1), max_size=6))
    out = io.StringIO(newline="")
    writer = csv.writer(
        out,
        lineterminator=draw(st.sampled_from(["\r\n", "\n", "\r"])),
        quoting=draw(st.sampled_from([csv.QUOTE_MINIMAL, csv.QUOTE_ALL])),
    )
    writer.writerow(header)
    writer.writerows(rows)
    bom = draw(st.sampled_from([b"", b"\xef\xbb\xbf"]))
    return bom + out.getvalue().encode("utf-8", "surrogatepass")


GOOD = {
    "narrative": st.text(max_size=30),
    "result": st.sampled_from(["A", "B+", "passed", "=1+1", ""]),
    "valid_until": st.sampled_from(["2030-01-01", "2031-12-31T12:00:00+02:00", ""]),
    "evidence_url": st.sampled_from(["https://example.org/e/1", ""]),
}


@st.composite
def good_files(draw: st.DrawFn) -> bytes:
    """A file a provider would upload: distinct learners, usable optional cells."""
    optional = draw(st.lists(st.sampled_from(sorted(GOOD)), unique=True, max_size=3))
    header = draw(st.permutations(["email", *optional]))
    count = draw(st.integers(1, 5))
    out = io.StringIO(newline="")
    writer = csv.writer(out)
    writer.writerow(header)
    for n in range(count):
        writer.writerow(
            [f"learner{n}@example.org" if name == "email" else draw(GOOD[name]) for name in header]
        )
    return out.getvalue().encode()


def _mangled(strategy: st.SearchStrategy[bytes]) -> st.SearchStrategy[bytes]:
    return strategy.flatmap(lambda data: edits.map(lambda e: mutate(data, e)))


files = csv_files() | good_files() | _mangled(csv_files()) | _mangled(good_files())


def check_parse(content: bytes) -> csvfile.ParsedFile:
    result = csvfile.parse(content, scope="definition-1", now=NOW)
    last_line = content.count(b"\n") + content.count(b"\r") + 1
    for error in result.errors:
        assert error.line is None or 1 <= error.line <= last_line, error
        if error.line != 1:  # a header error names the header cell as written
            assert error.column in ("", *csvfile.COLUMNS), error
        assert error.message and str(error)
    if result.ok:
        keys = [row.idempotency_key for row in result.rows]
        assert len(keys) == len(set(keys)), "a key appears once"
        assert [row.line for row in result.rows] == sorted({row.line for row in result.rows})
        for row in result.rows:
            assert ("email" in row.data) != ("did" in row.data), row
    return result


@FUZZ
@given(st.binary(max_size=300))
def test_any_bytes(content: bytes) -> None:
    check_parse(content)


@FUZZ
@given(files)
# Excel's "CSV UTF-8" with a formula-like cell and a date: a plain good file.
@example(b"\xef\xbb\xbfemail,result,valid_until\r\nana@example.org,=1+1,2030-01-01\r\n")
def test_built_and_mangled_files(content: bytes) -> None:
    check_parse(content)


@settings(FUZZ, max_examples=min(FUZZ.max_examples, 60))
@given(st.lists(st.from_regex(r"[a-z]{1,8}@[a-z]{1,8}\.(org|com)", fullmatch=True), max_size=8))
def test_a_good_file_gives_one_row_per_learner(emails: list[str]) -> None:
    content = ("email\n" + "".join(f"{e}\n" for e in emails)).encode()
    result = check_parse(content)
    distinct = list(dict.fromkeys(emails))
    if len(distinct) == len(emails):
        assert result.ok and [row.data["email"] for row in result.rows] == emails
    else:
        assert [e.column for e in result.errors] == ["email"] * (len(emails) - len(distinct))


@pytest.fixture
def definition(db: None) -> Any:
    from microcred.bulk.tests.conftest import make_definition
    from microcred.credentials.tests.conftest import make_provider, make_user

    owner = make_user("fuzz-owner")
    return owner, make_definition(make_provider("fuzz-uni", owner), owner)


@settings(
    FUZZ,
    max_examples=min(FUZZ.max_examples, 40),
    suppress_health_check=[*FUZZ.suppress_health_check, HealthCheck.function_scoped_fixture],
)
@given(content=files)
def test_create_job_stores_all_rows_or_nothing(definition: Any, content: bytes) -> None:
    from microcred.bulk import services as bulk_services
    from microcred.bulk.models import BulkJob, BulkRow
    from microcred.bulk.services import FileHasErrors

    owner, made = definition
    jobs, rows = BulkJob.objects.count(), BulkRow.objects.count()
    try:
        job = bulk_services.create_job(
            actor=owner, definition=made, csv_bytes=content, filename="cohort.csv"
        )
    except FileHasErrors as refused:
        event("refused: row errors")
        assert refused.report.errors, "a refused file names its problems"
        assert (BulkJob.objects.count(), BulkRow.objects.count()) == (jobs, rows)
        return
    except ValidationError as refused:
        event("refused: no data rows")
        assert "csv" in refused.message_dict
        assert (BulkJob.objects.count(), BulkRow.objects.count()) == (jobs, rows)
        return
    event("stored")
    expected = check_parse(content)
    assert job.total == len(expected.rows) == BulkRow.objects.filter(job=job).count()
