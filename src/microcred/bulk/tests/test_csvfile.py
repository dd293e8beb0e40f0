"""Reading bulk CSV files: the errors a provider sees, keys that make re-runs harmless."""

from __future__ import annotations

import csv
import io
from datetime import UTC, datetime

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from microcred.bulk import csvfile
from microcred.bulk.csvfile import error_report, parse, safe_cell

NOW = datetime(2026, 1, 1, tzinfo=UTC)


def _parse(text: str, **options: object) -> csvfile.ParsedFile:
    return parse(text.encode("utf-8"), scope="uni/data-101/v1", now=NOW)


def _errors(parsed: csvfile.ParsedFile) -> list[tuple[int | None, str]]:
    return [(error.line, error.column) for error in parsed.errors]


def test_good_file_with_bom_and_every_column() -> None:
    text = (
        "\ufeffEmail, Narrative ,evidence_url,result,valid_until,idempotency_key\r\n"
        'Ana@Example.com,"Project, with comma",https://uni.example.edu/p/1,A,2027-06-30,k-1\r\n'
        "bo@example.com,,,,2027-06-30T12:00:00+02:00,\r\n"
    )
    parsed = _parse(text)
    assert parsed.ok and [row.line for row in parsed.rows] == [2, 3]
    first, second = parsed.rows
    assert first.data == {
        "email": "ana@example.com",
        "narrative": "Project, with comma",
        "evidence_url": "https://uni.example.edu/p/1",
        "result": "A",
        "valid_until": "2027-06-30T23:59:59Z",
    }
    assert first.idempotency_key == "k-1"
    assert second.data == {"email": "bo@example.com", "valid_until": "2027-06-30T10:00:00Z"}
    assert second.idempotency_key.startswith("csv:") and len(second.idempotency_key) == 68


def test_did_recipients_and_blank_lines() -> None:
    parsed = _parse("did\n\ndid:web:learner.example.com\n,\ndid:key:z6MkExample\n")
    assert parsed.ok
    assert [(row.line, row.data["did"]) for row in parsed.rows] == [
        (3, "did:web:learner.example.com"),
        (5, "did:key:z6MkExample"),
    ]


def test_row_errors_name_line_and_column() -> None:
    text = (
        "email,did,evidence_url,valid_until\n"
        "not-an-email,,,\n"  # 2
        ",,,\n"  # 3: blank, ignored
        ",,https://x.example,\n"  # 4: no recipient
        "a@example.com,did:web:a.example,,\n"  # 5: both
        ",did web,,\n"  # 6
        "b@example.com,,javascript:alert(1),\n"  # 7
        "c@example.com,,,30/06/2027\n"  # 8
        "d@example.com,,,2020-01-01\n"  # 9: past
        "e@example.com,,,,extra\n"  # 10: too many cells
    )
    parsed = _parse(text)
    assert _errors(parsed) == [
        (2, "email"),
        (4, "email"),
        (5, "did"),
        (6, "did"),
        (7, "evidence_url"),
        (8, "valid_until"),
        (9, "valid_until"),
        (10, ""),
    ]
    assert parsed.rows == []
    assert str(parsed.errors[0]) == "line 2, email: not an email address"
    assert parsed.errors[0].value == "not-an-email"
    assert "already in the past" in parsed.errors[6].message


def test_unknown_duplicate_and_missing_columns() -> None:
    parsed = _parse("Email,grade,email\na@example.com,A,a@example.com\n")
    assert _errors(parsed) == [(1, "grade"), (1, "email")]
    assert (
        "unknown column" in parsed.errors[0].message and "evidence_url" in parsed.errors[0].message
    )
    assert parsed.rows == []
    assert _errors(_parse("narrative\nhello\n")) == [(1, "")]
    assert "email or a did" in _parse("narrative\nhello\n").errors[0].message


def test_duplicate_rows_and_recipients() -> None:
    text = (
        "email,narrative,idempotency_key\n"
        "a@example.com,x,\n"
        "b@example.com,y,key-1\n"
        "A@Example.com ,x,\n"  # same recipient (normalised) as line 2
        "c@example.com,z,key-1\n"  # same explicit key as line 3
    )
    parsed = _parse(text)
    assert _errors(parsed) == [(4, "email"), (5, "idempotency_key")]
    assert parsed.errors[0].message == "duplicate recipient: the same as line 2"
    assert parsed.errors[1].message == "duplicate row: the same as line 3"
    assert [row.line for row in parsed.rows] == [2, 3]


def test_default_keys_are_stable_and_content_bound() -> None:
    first = _parse("email,narrative\na@example.com,x\nb@example.com,y\n").rows
    reordered = _parse("narrative,email\ny,b@example.com\nx,A@EXAMPLE.com\n").rows
    assert {r.idempotency_key for r in first} == {r.idempotency_key for r in reordered}
    changed = _parse("email,narrative\na@example.com,other\n").rows[0]
    assert changed.idempotency_key not in {r.idempotency_key for r in first}
    other_definition = parse(b"email,narrative\na@example.com,x\n", scope="uni/data-101/v2")
    assert other_definition.rows[0].idempotency_key != first[0].idempotency_key


def test_empty_not_utf8_and_broken_csv() -> None:
    assert "empty" in parse(b"", scope="s").errors[0].message
    assert "empty" in parse(b"\xef\xbb\xbf\n\n", scope="s").errors[0].message
    latin1 = "email,narrative\na@example.com,ok\nb@example.com,Universit\xe9\n".encode("latin-1")
    assert _errors(parse(latin1, scope="s")) == [(3, "")]
    assert "UTF-8" in parse(latin1, scope="s").errors[0].message
    broken = parse(b'email,narrative\na@example.com,"unterminated\n', scope="s")
    assert broken.errors and "not valid CSV" in broken.errors[0].message


def test_size_limit_refuses_a_50_mb_file_before_reading_it() -> None:
    content = b"email\n" + b"a@example.com\n" * (50 * 1024 * 1024 // 14)
    parsed = parse(content, scope="s")
    assert not parsed.ok and parsed.rows == []
    assert parsed.errors[0].line is None and "limit is 20 MiB" in parsed.errors[0].message


def test_row_limit(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(csvfile, "MAX_ROWS", 3)
    ok = parse(b"email\na@x.org\nb@x.org\nc@x.org\n", scope="s")
    assert ok.ok and len(ok.rows) == 3
    parsed = parse(b"email\na@x.org\nb@x.org\nc@x.org\nd@x.org\n", scope="s")
    assert _errors(parsed) == [(5, "")] and "more than 3 rows" in parsed.errors[0].message


def test_error_list_is_capped(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(csvfile, "MAX_ERRORS", 5)
    parsed = parse(b"email\n" + b"bad\n" * 20, scope="s")
    assert len(parsed.errors) == 5 and parsed.truncated


def test_multiline_cells_report_the_line_the_row_starts_on() -> None:
    parsed = _parse('email,narrative\na@example.com,"two\nlines"\nnope,x\n')
    assert parsed.rows[0].data["narrative"] == "two\nlines"
    assert _errors(parsed) == [(4, "email")]


def test_error_report_is_safe_against_formula_injection() -> None:
    text = (
        "email,narrative\n"
        '=HYPERLINK("http://evil.example"),x\n'
        "+1+cmd|' /C calc'!A0,x\n"
        "-2+3,x\n"
        "@SUM(A1),x\n"
    )
    report = error_report(_parse(text).errors)
    rows = list(csv.reader(io.StringIO(report)))
    assert rows[0] == ["line", "column", "value", "error"]
    values = [row[2] for row in rows[1:]]
    assert values == [
        '\'=HYPERLINK("http://evil.example")',
        "'+1+cmd|' /C calc'!A0",
        "'-2+3",
        "'@SUM(A1)",
    ]
    assert rows[1][3] == "not an email address"


def test_error_report_quotes_every_cell_that_could_start_a_formula() -> None:
    errors = [
        csvfile.RowError(7, "=col", "-msg", "\tvalue"),
        csvfile.RowError(8, "narrative", "@message", "\rvalue"),
    ]
    rows = list(csv.reader(io.StringIO(error_report(errors), newline="")))
    assert rows[1:] == [
        ["7", "'=col", "'\tvalue", "'-msg"],
        ["8", "narrative", "'\rvalue", "'@message"],
    ]


@settings(max_examples=200, deadline=None)
@given(st.text())
def test_safe_cell_never_starts_a_formula(value: str) -> None:
    cell = safe_cell(value)
    assert not cell.startswith(("=", "+", "-", "@", "\t", "\r"))
    assert cell in (value, "'" + value)
