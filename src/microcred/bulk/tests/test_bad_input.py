"""Issue 3's bad-input bar, through each way in (the web page, the API, the CLI): wrong
columns, bad emails, a byte-order mark, a 50 MB file, duplicate rows, unknown definitions.
Each gets a clear error naming the line and column (or the limit), and nothing is stored."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from typer.testing import CliRunner

from microcred.bulk import csvfile
from microcred.bulk.models import BulkJob, BulkRow
from microcred.bulk.tests.conftest import learners_csv, make_definition
from microcred.cli.main import app
from microcred.credentials.models import IssuedCredential
from microcred.providers import services as provider_services

FIFTY_MB = 50 * 1024 * 1024
WRONG_COLUMNS = b"mail,name\nana@example.org,Ana\n"
BAD_EMAILS = b"email,result\nana@example.org,A\nana(at)example.org,B\nbo@example,C\n"
DUPLICATES = b"email,result\nana@example.org,A\nbo@example.org,B\nANA@example.org ,A\n"


@pytest.fixture(scope="module")
def fifty_mb() -> bytes:
    row = b"learner@example.org,a narrative long enough to fill the line,A\n"
    return b"email,narrative,result\n" + row * (FIFTY_MB // len(row) + 1)


def _nothing_stored() -> bool:
    return not (BulkJob.objects.exists() or BulkRow.objects.exists()) and not (
        IssuedCredential.objects.exists()
    )


# The web page -----------------------------------------------------------------------


def _page(staff: dict[str, Any], content: bytes, slug: str = "data-101") -> Any:
    client = Client()
    client.force_login(staff["issuer"])
    upload = SimpleUploadedFile("cohort.csv", content, content_type="text/csv")
    return client.post(f"/providers/uni/definitions/{slug}/bulk", {"csv": upload})


@pytest.mark.parametrize(
    ("content", "cells"),
    [
        (WRONG_COLUMNS, ["<td>1</td><td>mail</td><td>unknown column; the columns are: email"]),
        (
            BAD_EMAILS,
            [
                "<td>3</td><td>email</td><td>not an email address</td>",
                "<td>4</td><td>email</td><td>not an email address</td>",
            ],
        ),
        (DUPLICATES, ["<td>4</td><td>email</td><td>duplicate recipient: the same as line 2"]),
    ],
    ids=["wrong-columns", "bad-emails", "duplicates"],
)
def test_the_web_page_lists_row_errors_and_stores_nothing(
    definition: Any, staff: dict[str, Any], content: bytes, cells: list[str]
) -> None:
    page = _page(staff, content).content.decode()
    assert "nothing was issued" in page and "Download the error report (CSV)" in page
    for cell in cells:
        assert cell in page
    assert _nothing_stored()


def test_the_web_page_takes_a_byte_order_mark_and_excel_line_ends(
    definition: Any, staff: dict[str, Any]
) -> None:
    content = "\ufeffEmail,Result\r\nana@example.org,A\r\nbo@example.org,B\r\n".encode()
    response = _page(staff, content)
    job = BulkJob.objects.get()
    assert response["Location"] == f"/providers/uni/bulk/{job.pk}" and job.total == 2
    assert sorted(job.rows.values_list("data__email", flat=True)) == [
        "ana@example.org",
        "bo@example.org",
    ]


def test_the_web_page_refuses_a_50_mb_file_naming_the_limit(
    definition: Any, staff: dict[str, Any], fifty_mb: bytes
) -> None:
    response = _page(staff, fifty_mb)
    page = response.content.decode()
    assert response.status_code == 200 and "the file is larger than 20 MB" in page
    assert 'aria-invalid="true"' in page  # a form error on the file field
    assert _nothing_stored()


def test_the_web_page_of_an_unknown_definition_is_404(
    definition: Any, other_provider: Any, staff: dict[str, Any]
) -> None:
    make_definition(other_provider, staff["outsider"], slug="acme-only")
    assert _page(staff, learners_csv(2), slug="nope").status_code == 404
    # Another provider's definition is unknown here, even by its slug.
    assert _page(staff, learners_csv(2), slug="acme-only").status_code == 404
    assert _nothing_stored()


# The API ----------------------------------------------------------------------------


@pytest.fixture
def api(provider: Any, staff: dict[str, Any]) -> Client:
    _, secret = provider_services.create_api_token(
        actor=staff["owner"], provider=provider, name="bulk token", role="issuer"
    )
    return Client(headers={"Authorization": f"Bearer {secret}"})


def _upload(api: Client, path: str, content: bytes, definition: str = "data-101") -> Any:
    upload = SimpleUploadedFile("cohort.csv", content, "text/csv")
    return api.post(f"/api/v1/bulk-jobs{path}", {"definition": definition, "file": upload})


def _problem(response: Any, status: int) -> dict[str, Any]:
    assert response.status_code == status, response.content
    assert response["Content-Type"] == "application/problem+json"
    body: dict[str, Any] = json.loads(response.content)
    assert body["status"] == status
    return body


@pytest.mark.parametrize(
    ("content", "errors"),
    [
        (WRONG_COLUMNS, [(1, "mail"), (1, "name"), (1, "")]),
        (BAD_EMAILS, [(3, "email"), (4, "email")]),
        (DUPLICATES, [(4, "email")]),
    ],
    ids=["wrong-columns", "bad-emails", "duplicates"],
)
def test_the_api_lists_row_errors_and_stores_nothing(
    api: Client, definition: Any, content: bytes, errors: list[tuple[int, str]]
) -> None:
    report = _upload(api, "/dry-run", content).json()
    assert not report["ok"] and [(e["line"], e["column"]) for e in report["errors"]] == errors
    refused = _problem(_upload(api, "", content), 400)
    assert [(row["line"], row["column"]) for row in refused["rows"]] == errors
    assert "nothing was issued" in refused["errors"]["csv"][0]
    assert _nothing_stored()


def test_the_api_takes_a_byte_order_mark(api: Client, definition: Any) -> None:
    content = b"\xef\xbb\xbf" + learners_csv(3).replace(b"\n", b"\r\n")
    assert _upload(api, "/dry-run", content).json()["would_issue"] == 3
    assert _upload(api, "", content).json()["total"] == 3


def test_the_api_refuses_a_50_mb_file_with_413(
    api: Client, definition: Any, fifty_mb: bytes
) -> None:
    for path in ("/dry-run", ""):
        body = _problem(_upload(api, path, fifty_mb), 413)
        assert body["type"] == "urn:microcred:problem:too-large"
        assert body["detail"] == csvfile.too_large(len(fifty_mb))
        assert body["detail"].endswith(f" ({len(fifty_mb):,} bytes); the limit is 20 MiB")
    assert _nothing_stored()


def test_the_api_refuses_an_unknown_definition(api: Client, definition: Any) -> None:
    for path in ("/dry-run", ""):
        refused = _problem(_upload(api, path, learners_csv(2), definition="nope"), 404)
        assert refused["detail"] == "no such micro-credential"
    assert _nothing_stored()


# The CLI ----------------------------------------------------------------------------

runner = CliRunner()


def _cli(path: Path, *extra: str, definition: str = "data-101") -> Any:
    args = ["issue", "--csv", str(path), "--provider", "uni", "--definition", definition]
    return runner.invoke(app, [*args, "--as", "issuer@example.org", *extra])


@pytest.mark.parametrize(
    ("content", "lines"),
    [
        (WRONG_COLUMNS, ["line 1, mail: unknown column"]),
        (BAD_EMAILS, [f"line {n}, email: not an email address" for n in (3, 4)]),
        (DUPLICATES, ["line 4, email: duplicate recipient: the same as line 2"]),
    ],
    ids=["wrong-columns", "bad-emails", "duplicates"],
)
def test_the_cli_lists_row_errors_and_exits_2(
    definition: Any, tmp_path: Path, content: bytes, lines: list[str]
) -> None:
    path = tmp_path / "cohort.csv"
    path.write_bytes(content)
    for extra in (("--dry-run",), ()):
        result = _cli(path, *extra)
        assert result.exit_code == 2
        for line in lines:
            assert line in result.stdout
    assert _nothing_stored()


def test_the_cli_refuses_a_50_mb_file_by_its_size(
    definition: Any, tmp_path: Path, fifty_mb: bytes
) -> None:
    path = tmp_path / "huge.csv"
    path.write_bytes(fifty_mb)
    result = _cli(path)
    assert result.exit_code == 2 and result.stderr.count("\n") == 1
    assert f"huge.csv: {csvfile.too_large(len(fifty_mb))}; split it" in result.stderr
    assert _nothing_stored()


def test_the_cli_takes_a_byte_order_mark_and_refuses_an_unknown_definition(
    definition: Any, tmp_path: Path
) -> None:
    path = tmp_path / "cohort.csv"
    path.write_bytes(b"\xef\xbb\xbf" + learners_csv(2))
    assert _cli(path, "--dry-run").stdout.startswith("cohort.csv: 2 rows, no errors")
    unknown = _cli(path, definition="nope")
    assert unknown.exit_code == 2 and "'uni' has no micro-credential 'nope'" in unknown.stderr
    assert _nothing_stored()
