"""Zip files: one report per entry, and hostile archives refused early with a clear reason."""

from __future__ import annotations

import io
import os
import time
import zipfile

import pytest

from microcred.core.errors import InputError
from microcred.core.verify.containers import Limits, expand
from microcred.core.verify.entry import verify_any
from tests.conftest import EXAMPLES
from tests.verify.fixtures import offline_options

VALID = EXAMPLES / "ob_v3p0/validator/simple.json"
EXPIRED = EXAMPLES / "ob_v3p0/validator/simple-err-expired.json"
BAKED = EXAMPLES / "ob_v3p0/validator/simple-jwt.png"


def _zip(entries: dict[str, bytes], *, method: int = zipfile.ZIP_DEFLATED) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", compression=method) as archive:
        for name, content in entries.items():
            if name.endswith("/"):
                archive.writestr(zipfile.ZipInfo(name), b"")
            else:
                archive.writestr(name, content)
    return buffer.getvalue()


def _reports(data: bytes):  # type: ignore[no-untyped-def]
    return verify_any(data, name="bundle.zip", options=offline_options())


def test_one_report_per_entry_named_after_the_archive() -> None:
    data = _zip(
        {
            "ok.json": VALID.read_bytes(),
            "sub/": b"",
            "sub/expired.json": EXPIRED.read_bytes(),
            "sub/baked.png": BAKED.read_bytes(),
            "__MACOSX/._ok.json": b"\x00\x05\x16\x07",
            "notes.txt": b"call Alice about the badges",
        }
    )
    reports = _reports(data)
    assert [r.input for r in reports] == [
        "bundle.zip › ok.json",
        "bundle.zip › sub/expired.json",
        "bundle.zip › sub/baked.png",
        "bundle.zip › notes.txt",
    ]
    assert [r.verified for r in reports] == [True, False, True, False]
    assert {c.check for c in reports[1].failed()} == {"validity"}
    assert "not a credential" in reports[3].checks[0].message
    assert reports[0].overview["achievement"] == "Teamwork"


def test_zip_bomb_is_stopped_without_inflating_it() -> None:
    buffer = io.BytesIO()
    zeros = bytes(1024 * 1024)
    with (
        zipfile.ZipFile(buffer, "w", compression=zipfile.ZIP_DEFLATED) as archive,
        archive.open("bomb.json", "w") as entry,
    ):
        for _ in range(200):  # 200 MiB of zeros, about 200 KB compressed
            entry.write(zeros)
    data = buffer.getvalue()
    assert len(data) < 1024 * 1024
    started = time.perf_counter()
    with pytest.raises(InputError, match=r"bundle.zip › bomb.json: (inflates|is larger)"):
        expand(data, "bundle.zip")
    assert time.perf_counter() - started < 2
    (report,) = _reports(data)
    assert not report.verified and "bomb.json" in report.checks[0].message


def test_ratio_cap_stops_a_small_bomb_at_the_first_chunk() -> None:
    data = _zip({"a.json": bytes(4 * 1024 * 1024)})  # 4 MiB, under the size limit
    with pytest.raises(InputError, match="inflates more than 100:1"):
        expand(data, "bundle.zip")


def test_entry_over_five_mib_is_refused() -> None:
    data = _zip({"big.png": os.urandom(5 * 1024 * 1024 + 1)}, method=zipfile.ZIP_STORED)
    with pytest.raises(InputError, match=r"big\.png: is larger than 5 MiB"):
        expand(data, "bundle.zip")


def test_total_budget_counts_what_was_really_read() -> None:
    entries = {f"{i}.json": os.urandom(40_000) for i in range(3)}
    limits = Limits(max_total_bytes=100_000)
    with pytest.raises(InputError, match=r"2\.json: takes the archive over"):
        expand(_zip(entries, method=zipfile.ZIP_STORED), "b.zip", limits=limits)


def test_more_than_1000_files_is_refused_and_1000_is_not() -> None:
    thousand = {f"{i}.json": b"{}" for i in range(1000)}
    assert len(expand(_zip(thousand), "b.zip")) == 1000
    with pytest.raises(InputError, match="1001 files, more than the 1000 allowed"):
        expand(_zip({**thousand, "extra.json": b"{}"}), "b.zip")


def test_nested_archive_is_refused_naming_the_entry() -> None:
    inner = _zip({"a.json": VALID.read_bytes()})
    data = _zip({"ok.json": VALID.read_bytes(), "more/inner.zip": inner})
    with pytest.raises(InputError, match=r"bundle.zip › more/inner.zip: is an archive inside"):
        expand(data, "bundle.zip")
    # Disguised under another name it is still recognised by its content.
    with pytest.raises(InputError, match=r"renamed\.json: is an archive inside"):
        expand(_zip({"renamed.json": inner}), "bundle.zip")


@pytest.mark.parametrize(
    ("entry", "words"),
    [
        ("../../etc/passwd.json", "leading out of the archive"),
        ("/etc/badge.json", "absolute path"),
        ("C:\\badges\\a.json", "absolute path"),
        ("a\x1b[2Jb.json", "control characters"),
    ],
)
def test_unsafe_path_names_are_refused(entry: str, words: str) -> None:
    with pytest.raises(InputError, match=words):
        expand(_zip({entry: VALID.read_bytes()}), "bundle.zip")


def test_broken_zip_is_a_failed_report_not_an_exception() -> None:
    data = _zip({"ok.json": VALID.read_bytes()})
    (report,) = _reports(data[: len(data) // 2])
    assert not report.verified and "zip" in report.checks[0].message
    (empty,) = _reports(_zip({}))
    assert "holds no files" in empty.checks[0].message
