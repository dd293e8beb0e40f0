"""Reading a bulk-issuing CSV file: a pure function of the bytes (no ORM, no clock but ``now``).

The format (also in ``docs/bulk-issuing.md``):

- UTF-8, with or without a byte-order mark; at most :data:`MAX_BYTES` bytes and
  :data:`MAX_ROWS` data rows. Comma-separated, ``"``-quoted as Excel and Python write it.
- A header row naming the columns, in any order and any letter case:
  ``email`` or ``did`` (the recipient; a row gives exactly one of the two), and optionally
  ``narrative``, ``evidence_url`` (http/https), ``result`` (a grade or status text),
  ``valid_until`` (ISO 8601 date or date-time; a date means the end of that day, UTC; a
  time without offset is UTC) and ``idempotency_key`` (at most 200 characters).
- Without an ``idempotency_key`` a row's key is ``csv:`` + SHA-256 of the definition, the
  recipient and the row's content (not its line number), so re-running the same file, or
  the file with rows reordered or appended, issues nothing twice.
- Blank lines are ignored. A recipient or a key appearing twice is an error.

Every problem is a :class:`RowError` naming the line (1 = the header) and column; the
file is only usable when there are none.
"""

from __future__ import annotations

import csv
import hashlib
import io
import json
from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, time

from django.core.exceptions import ValidationError
from django.core.validators import URLValidator, validate_email

from microcred.core.model import normalize_email

MAX_BYTES = 20 * 1024 * 1024
MAX_ROWS = 200_000
MAX_ERRORS = 1_000  # a file this broken is the wrong file; listing more helps nobody
MAX_CELL = 10_000
MAX_KEY = 200
RECIPIENT_COLUMNS = ("email", "did")
OPTIONAL_COLUMNS = ("narrative", "evidence_url", "result", "valid_until", "idempotency_key")
COLUMNS = RECIPIENT_COLUMNS + OPTIONAL_COLUMNS
_URL = URLValidator(schemes=["http", "https"])


@dataclass(frozen=True, slots=True)
class RowError:
    line: int | None  # physical line in the file (1 = header); None = the file as a whole
    column: str
    message: str
    value: str = ""

    def __str__(self) -> str:
        where = f"line {self.line}" if self.line else "file"
        return (
            f"{where}, {self.column}: {self.message}" if self.column else f"{where}: {self.message}"
        )


@dataclass(frozen=True, slots=True)
class Row:
    line: int
    data: dict[str, str]  # only the non-empty cells; valid_until normalised to ISO UTC
    idempotency_key: str


@dataclass(slots=True)
class Problems:
    """The errors found so far while reading a file."""

    errors: list[RowError] = field(default_factory=list)
    truncated: bool = False  # more than MAX_ERRORS errors: the rest were not listed

    @property
    def ok(self) -> bool:
        return not self.errors


@dataclass(slots=True)
class ParsedFile(Problems):
    rows: list[Row] = field(default_factory=list)


def parse(content: bytes, *, scope: str, now: datetime | None = None) -> ParsedFile:
    """Rows and per-row errors of a bulk CSV file; ``scope`` names the definition (for keys)."""
    result = ParsedFile()
    result.rows.extend(read(content, scope=scope, now=now, problems=result))
    return result


def read(
    content: bytes, *, scope: str, problems: Problems, now: datetime | None = None
) -> Iterator[Row]:
    """The file's good rows one at a time, its errors into ``problems`` (see :func:`parse`).

    Lazy so that memory does not grow with the rows: the text is decoded as the CSV reader
    goes, and duplicate detection keeps an 8-byte digest per recipient and key.
    """
    if len(content) > MAX_BYTES:
        problems.errors.append(RowError(None, "", too_large(len(content))))
        return
    records = _records(content, problems)
    header = next(records, None)
    if header is None:
        if problems.ok:
            problems.errors.append(RowError(None, "", "the file is empty: a header row is needed"))
        return
    columns = _header(header[1], problems)
    if columns is not None:
        yield from _rows(records, columns, scope, now or datetime.now(UTC), problems)


def too_large(size: int) -> str:
    """The message for a file over :data:`MAX_BYTES` (shared by the pages, API and CLI)."""
    return f"the file is {size / 2**20:.1f} MiB ({size:,} bytes); the limit is {limit()}"


def limit() -> str:
    return f"{MAX_BYTES // 2**20} MiB"


def _decode_error(content: bytes) -> RowError:
    """Where the first byte that is not UTF-8 is (the incremental decoder only knows its chunk)."""
    try:
        content.decode("utf-8-sig")
        line = None
    except UnicodeDecodeError as error:
        line = content[: error.start].count(b"\n") + 1
    return RowError(line, "", "not UTF-8 text (save the file as CSV UTF-8)")


def _records(content: bytes, problems: Problems) -> Iterator[tuple[int, list[str]]]:
    """(first line, cells) of every non-blank record; a CSV syntax error ends the file."""
    text = io.TextIOWrapper(io.BytesIO(content), encoding="utf-8-sig", newline="")
    reader = csv.reader(text, strict=True)
    line = 1
    while True:
        try:
            cells = next(reader)
        except StopIteration:
            return
        except UnicodeDecodeError:
            problems.errors.append(_decode_error(content))
            return
        except csv.Error as error:
            problems.errors.append(RowError(reader.line_num, "", f"not valid CSV: {error}"))
            return
        if any(cell.strip() for cell in cells):
            yield line, cells
        line = reader.line_num + 1


def _header(cells: list[str], result: Problems) -> list[str] | None:
    names = [cell.strip().lower() for cell in cells]
    errors = [
        RowError(1, name, f"unknown column; the columns are: {', '.join(COLUMNS)}", name)
        for name in names
        if name not in COLUMNS
    ]
    seen: set[str] = set()
    for name in names:
        if name in seen:
            errors.append(RowError(1, name, "this column appears twice", name))
        seen.add(name)
    if not seen & set(RECIPIENT_COLUMNS):
        errors.append(RowError(1, "", "the header needs an email or a did column"))
    result.errors.extend(errors)
    return None if errors else names


def _rows(
    records: Iterator[tuple[int, list[str]]],
    columns: list[str],
    scope: str,
    now: datetime,
    problems: Problems,
) -> Iterator[Row]:
    first_line: dict[int, int] = {}  # digest of a recipient or key -> the line it first was on
    for count, (line, cells) in enumerate(records, start=1):
        if count > MAX_ROWS:
            message = f"more than {MAX_ROWS:,} rows; split the file"
            problems.errors.append(RowError(line, "", message))
            return
        row, errors = _row(line, columns, cells, scope, now)
        if row is not None:
            errors = _duplicates(row, first_line)
            if not errors:
                yield row
        problems.errors.extend(errors)
        if len(problems.errors) > MAX_ERRORS:
            del problems.errors[MAX_ERRORS:]
            problems.truncated = True
            return


def _row(
    line: int, columns: list[str], cells: list[str], scope: str, now: datetime
) -> tuple[Row | None, list[RowError]]:
    if len(cells) > len(columns):
        message = f"{len(cells)} cells, but the header names {len(columns)}"
        return None, [RowError(line, "", message)]
    values = {
        name: cell.strip() for name, cell in zip(columns, cells, strict=False) if cell.strip()
    }
    errors: list[RowError] = []
    for name, value in values.items():
        if len(value) > MAX_CELL:
            errors.append(RowError(line, name, f"longer than {MAX_CELL:,} characters"))
    errors += _recipient(line, values) + _optional(line, values, now)
    if errors:
        return None, errors
    key = values.pop("idempotency_key", "") or default_key(scope, values)
    return Row(line=line, data=values, idempotency_key=key), []


def _recipient(line: int, values: dict[str, str]) -> list[RowError]:
    email, did = values.get("email", ""), values.get("did", "")
    if email and did:
        return [RowError(line, "did", "give an email or a DID, not both", did)]
    if not email and not did:
        return [RowError(line, "email", "no recipient: give an email or a DID")]
    if did:
        if not did.startswith("did:") or did.count(":") < 2 or any(c.isspace() for c in did):
            return [RowError(line, "did", "not a DID (did:method:identifier)", did)]
        return []
    try:
        validate_email(email)
    except ValidationError:
        return [RowError(line, "email", "not an email address", email)]
    values["email"] = normalize_email(email)
    return []


def _optional(line: int, values: dict[str, str], now: datetime) -> list[RowError]:
    errors = []
    url = values.get("evidence_url")
    if url:
        try:
            _URL(url)
        except ValidationError:
            errors.append(RowError(line, "evidence_url", "not an http(s) URL", url))
    if len(values.get("idempotency_key", "")) > MAX_KEY:
        errors.append(RowError(line, "idempotency_key", f"longer than {MAX_KEY} characters"))
    raw = values.get("valid_until")
    if raw:
        moment = parse_moment(raw)
        if moment is None:
            message = "not an ISO 8601 date or date-time (e.g. 2027-06-30)"
            errors.append(RowError(line, "valid_until", message, raw))
        elif moment <= now:
            errors.append(RowError(line, "valid_until", "already in the past", raw))
        else:
            values["valid_until"] = moment.isoformat().replace("+00:00", "Z")
    return errors


def parse_moment(text: str) -> datetime | None:
    """An ISO date (end of that day, UTC) or date-time (UTC unless it has an offset)."""
    try:
        if len(text) == 10:
            return datetime.combine(date.fromisoformat(text), time(23, 59, 59), tzinfo=UTC)
        moment = datetime.fromisoformat(text)
    except ValueError:
        return None
    moment = moment.replace(tzinfo=UTC) if moment.tzinfo is None else moment.astimezone(UTC)
    return moment.replace(microsecond=0)


def default_key(scope: str, values: dict[str, str]) -> str:
    """``csv:`` + SHA-256 of the definition, recipient and content (stable across runs)."""
    content = json.dumps([scope, sorted(values.items())], ensure_ascii=False, separators=(",", ":"))
    return "csv:" + hashlib.sha256(content.encode("utf-8")).hexdigest()


def _digest(kind: str, text: str) -> int:
    # 64 bits: a false "duplicate" needs ~4e9 rows to become likely, 20,000x MAX_ROWS.
    data = f"{kind}:{text}".encode()
    return int.from_bytes(hashlib.blake2b(data, digest_size=8).digest(), "big")


def _duplicates(row: Row, first_line: dict[int, int]) -> list[RowError]:
    recipient = row.data.get("email") or row.data.get("did", "")
    column = "email" if "email" in row.data else "did"
    checks = (
        (_digest("r", recipient), column, "recipient"),
        (_digest("k", row.idempotency_key), "idempotency_key", "row"),
    )
    for marker, name, what in checks:
        earlier = first_line.get(marker)
        if earlier is not None:
            message = f"duplicate {what}: the same as line {earlier}"
            return [RowError(row.line, name, message, recipient)]
    for marker, _, _ in checks:
        first_line[marker] = row.line
    return []


_FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


def safe_cell(value: str) -> str:
    """A cell a spreadsheet will not run as a formula (OWASP: prefix with ``'``)."""
    return "'" + value if value.startswith(_FORMULA_STARTS) else value


def error_report(errors: list[RowError]) -> str:
    """The errors as CSV text (line, column, value, error), safe to open in a spreadsheet."""
    out = io.StringIO(newline="")
    writer = csv.writer(out, lineterminator="\r\n")
    writer.writerow(["line", "column", "value", "error"])
    for error in errors:
        cells = [str(error.line or ""), error.column, error.value, error.message]
        writer.writerow([safe_cell(cell) for cell in cells])
    return out.getvalue()
