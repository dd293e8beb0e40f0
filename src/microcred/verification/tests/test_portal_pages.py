"""The verification portal through Django's test client: several files, a zip, pasted JWTs,
URLs on a loopback server; bad input (non-credentials, too big, too many, private and slow
and lying servers); CSRF; the client's rate budget. Nothing is ever stored."""

from __future__ import annotations

import re
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from tests.localserver import serve

from microcred.platform.tests.access_world import snapshot
from microcred.verification.tests.conftest import document_bytes, signed_elsewhere, zipped

pytestmark = pytest.mark.django_db


def _upload(name: str, data: bytes, kind: str = "application/json") -> SimpleUploadedFile:
    return SimpleUploadedFile(name, data, kind)


def _rows(page: Any) -> list[list[str]]:
    """The summary table as text: holder, achievement, issuer, issued, verdict per row."""
    html = page.content.decode()
    body = html.split("<tbody>", 1)[1].split("</tbody>", 1)[0]
    rows = []
    for row in re.findall(r"<tr id=\"row-\d+\">(.*?)</tr>", body, re.S):
        cells = re.findall(r"<t[dh][^>]*>(.*?)</t[dh]>", row, re.S)
        rows.append([" ".join(re.sub(r"<[^>]+>", " ", c).split()) for c in cells[1:]])
    return rows


def _verdicts(page: Any) -> list[str]:
    return [row[-1].split(" ", 1)[1] for row in _rows(page)]


def test_the_form_works_without_an_account() -> None:
    page = Client().get("/verify")
    html = page.content.decode()
    assert page.status_code == 200
    assert 'type="file" id="id_files" name="files" multiple' in html
    for field in ("id_files", "id_pasted", "id_urls"):
        assert f'<label for="{field}">' in html
    assert 'name="csrfmiddlewaretoken"' in html and 'enctype="multipart/form-data"' in html


def test_several_files_give_a_table_then_a_report_each(issue: Any, make_issuer: Any) -> None:
    valid, revoked = issue(), issue("bo@example.org", state="revoked")
    make_issuer("Uni University", dids=[valid.document["issuer"]["id"]], vetted_by="NVAO")
    before = snapshot()
    page = Client().post(
        "/verify",
        {
            "files": [
                _upload("valid.json", document_bytes(valid)),
                _upload("revoked.json", document_bytes(revoked)),
                _upload("expired.json", signed_elsewhere(expired=True)),
                _upload("tampered.json", signed_elsewhere(tampered=True)),
                _upload("notes.txt", b"hello", "text/plain"),
            ]
        },
    )
    assert page.status_code == 200
    assert _verdicts(page) == [
        "Valid", "Revoked", "Expired", "Signature does not hold", "Unusable input",
    ]  # fmt: skip
    rows = _rows(page)
    assert rows[0][1:3] == ["Data Analysis Fundamentals", "Uni University B.V. (known)"]
    assert rows[2][1:4] == [
        "Data Analysis with SQL", "Example University of Applied Sciences", "3 March 2025",
    ]  # fmt: skip
    html = page.content.decode()
    for number in range(1, 6):
        assert f'href="#credential-{number}"' in html and f'id="credential-{number}"' in html
    assert "Known issuer: Uni University, vetted by NVAO (accreditation body)." in html
    assert "Unknown issuer: not in this platform&#x27;s trust registry." in html
    assert "Issuer not confirmed" in html  # the tampered one: the registry is not asked
    assert "file notes.txt" in html
    assert snapshot() == before  # nothing stored


def test_a_suspended_registry_entry_is_shown(issue: Any, make_issuer: Any, operator: Any) -> None:
    from microcred.verification import services

    row = issue()
    entry = make_issuer("Uni University", dids=[row.document["issuer"]["id"]])
    services.suspend(actor=operator, issuer=entry)
    page = Client().post("/verify", {"files": [_upload("c.json", document_bytes(row))]})
    assert "Registry entry suspended: Uni University" in page.content.decode()


def test_a_zip_gives_one_row_per_credential(issue: Any) -> None:
    files = {f"c{n}.json": document_bytes(issue(f"l{n}@example.org")) for n in range(3)}
    files["other.jwt"] = signed_elsewhere(suite="vc-jwt")
    page = Client().post(
        "/verify", {"files": [_upload("cv.zip", zipped(files), "application/zip")]}
    )
    assert _verdicts(page) == ["Valid"] * 4
    assert "cv.zip › c0.json" in page.content.decode()


def test_pasted_jwts_one_per_line_and_pasted_json() -> None:
    jwt = signed_elsewhere(suite="vc-jwt").decode()
    page = Client().post("/verify", {"pasted": f"{jwt}\n\n{jwt}\n"})
    assert _verdicts(page) == ["Valid", "Valid"]
    assert "pasted line 3" in page.content.decode()
    page = Client().post("/verify", {"pasted": signed_elsewhere().decode()})
    assert _verdicts(page) == ["Valid"]


def test_non_credential_json_is_unusable_input() -> None:
    page = Client().post("/verify", {"pasted": '{"hello": "world"}\n'})
    assert _verdicts(page) == ["Unusable input"]
    page = Client().post("/verify", {"pasted": '{"broken": '})
    assert _verdicts(page) == ["Unusable input"]
    assert "line 1" in page.content.decode()


def test_a_url_on_a_loopback_server(settings: Any, issue: Any) -> None:
    settings.MICROCRED_VERIFY_ALLOW_PRIVATE_NETWORK = True
    body = document_bytes(issue())
    routes = {"/badge.json": (200, {"Content-Type": "application/json"}, body)}
    with serve(routes) as base:
        page = Client().post("/verify", {"urls": f"{base}/badge.json\n{base}/missing"})
    assert _verdicts(page) == ["Valid", "Unusable input"]
    assert "HTTP 404" in page.content.decode()


def test_private_addresses_and_plain_http_are_refused_by_default() -> None:
    urls = "https://127.0.0.1:1/badge.json\nhttps://10.0.0.1/badge.json\nhttp://example.org/b"
    page = Client().post("/verify", {"urls": urls})
    assert _verdicts(page) == ["Unusable input"] * 3
    html = page.content.decode()
    assert "non-public address 127.0.0.1" in html and "non-public address 10.0.0.1" in html
    assert "only https URLs are fetched" in html


@contextmanager
def _slow_server(delay: float) -> Iterator[str]:
    class Slow(BaseHTTPRequestHandler):
        def do_GET(self) -> None:
            time.sleep(delay)
            self.send_response(200)
            self.end_headers()

        def log_message(self, *args: object) -> None:
            return

    server = ThreadingHTTPServer(("127.0.0.1", 0), Slow)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}"
    finally:
        server.shutdown()
        server.server_close()


def test_slow_and_lying_servers(settings: Any) -> None:
    settings.MICROCRED_VERIFY_ALLOW_PRIVATE_NETWORK = True
    settings.MICROCRED_VERIFY_FETCH_TIMEOUT = 0.3
    html_page = (200, {"Content-Type": "text/html"}, b"<html><body>My CV</body></html>")
    with _slow_server(2.0) as slow, serve({"/cv": html_page}) as lying:
        started = time.monotonic()
        page = Client().post("/verify", {"urls": f"{slow}/badge.json\n{lying}/cv"})
        assert time.monotonic() - started < 1.8  # the timeout, not the server, ended it
    assert _verdicts(page) == ["Unusable input", "Unusable input"]
    html = page.content.decode()
    assert "ReadTimeout" in html and "URL line 1" in html and "URL line 2" in html


def test_malformed_urls_are_named_by_line() -> None:
    page = Client().post("/verify", {"urls": "https://ok.example/a\nftp://x/y\nnot a url"})
    html = page.content.decode()
    assert page.status_code == 400
    assert "URL line 2 (ftp://x/y): not an http(s) URL" in html
    assert "URL line 3 (not a url)" in html and "Nothing was verified" in html


def test_a_request_over_the_size_limit_is_refused_unread(settings: Any) -> None:
    settings.MICROCRED_VERIFY_MAX_BYTES = 50 * 1024
    big = _upload("huge.json", b"{" + b" " * 60 * 1024 + b"}")
    page = Client().post("/verify", {"files": [big]})
    assert page.status_code == 413
    assert "at most 50 KiB in total" in page.content.decode()


def test_too_many_items(settings: Any) -> None:
    settings.MICROCRED_VERIFY_MAX_PAGE_ITEMS = 3
    page = Client().post("/verify", {"pasted": "a.b.c\n" * 4})
    assert page.status_code == 413
    assert "4 inputs: at most 3 can be verified in one page" in page.content.decode()


def test_more_files_than_django_accepts() -> None:
    files = [_upload(f"f{n}.json", b"{}") for n in range(101)]
    page = Client().post("/verify", {"files": files})
    assert page.status_code == 413 and "Too many files" in page.content.decode()


def test_nothing_to_verify() -> None:
    page = Client().post("/verify", {"pasted": "  ", "urls": ""})
    assert page.status_code == 400 and "nothing to verify" in page.content.decode().lower()


def test_csrf_is_on() -> None:
    client = Client(enforce_csrf_checks=True)
    response = client.post("/verify", {"pasted": signed_elsewhere().decode()})
    assert response.status_code == 403
    client.get("/verify")
    token = client.cookies["csrftoken"].value
    response = client.post(
        "/verify", {"pasted": signed_elsewhere().decode(), "csrfmiddlewaretoken": token}
    )
    assert response.status_code == 200


def test_the_rate_budget_per_address(settings: Any, frozen_rate_clock: float) -> None:
    settings.MICROCRED_VERIFY_RATE_PER_MINUTE = 3
    client = Client()
    jwt = signed_elsewhere(suite="vc-jwt").decode()
    assert client.post("/verify", {"pasted": f"{jwt}\n{jwt}"}).status_code == 200
    refused = client.post("/verify", {"pasted": f"{jwt}\n{jwt}"})
    assert refused.status_code == 429 and int(refused["Retry-After"]) >= 1
    assert "too many verifications" in refused.content.decode().lower()
    assert client.post("/verify", {"pasted": jwt}).status_code == 200  # what is left
    other = Client(REMOTE_ADDR="10.1.2.3")
    assert other.post("/verify", {"pasted": jwt}).status_code == 200
