"""Zip files of credentials, opened defensively.

A zip is untrusted: its headers may lie about sizes, a few kilobytes may inflate to
gigabytes, and names may be anything. So entries are read by streaming, counting the
bytes actually produced against a per-entry and a total budget and against the compressed
size (ratio cap): a bomb is stopped after at most one chunk past a limit, never inflated.
Nothing is written to disk; names are only shown. Nested archives are refused (a zip in
a zip multiplies every limit). Every problem is an :class:`InputError` naming the entry.
"""

from __future__ import annotations

import io
import zipfile
import zlib
from dataclasses import dataclass

from microcred.core.errors import InputError

ZIP_MAGICS = (b"PK\x03\x04", b"PK\x05\x06")
ARCHIVE_MAGICS = (*ZIP_MAGICS, b"\x1f\x8b", b"7z\xbc\xaf", b"Rar!", b"BZh")
ARCHIVE_SUFFIXES = (".zip", ".gz", ".tgz", ".tar", ".7z", ".rar", ".bz2", ".xz")
CHUNK = 64 * 1024
SEPARATOR = " › "


@dataclass(frozen=True)
class Limits:
    max_entries: int = 1000
    max_entry_bytes: int = 5 * 1024 * 1024
    max_total_bytes: int = 50 * 1024 * 1024
    #: uncompressed / compressed; credentials (JSON, PNG) stay far below this
    max_ratio: int = 100
    #: below this many bytes the ratio is not checked (tiny, highly repetitive JSON is fine)
    ratio_floor: int = 64 * 1024


DEFAULT_LIMITS = Limits()


def is_zip(data: bytes) -> bool:
    return data.startswith(ZIP_MAGICS)


def entry_name(archive: str, entry: str) -> str:
    return f"{archive}{SEPARATOR}{entry}"


def expand(data: bytes, name: str, *, limits: Limits = DEFAULT_LIMITS) -> list[tuple[str, bytes]]:
    """The files in the zip ``data`` as ``("<name> › <entry>", bytes)``, in archive order;
    directories and macOS metadata are skipped. Raises InputError for the whole archive."""
    try:
        archive = zipfile.ZipFile(io.BytesIO(data))
        infos = archive.infolist()
    except (zipfile.BadZipFile, zipfile.LargeZipFile, ValueError, OSError) as exc:
        raise InputError(f"not a readable zip file ({exc})", where=name) from None
    files = [info for info in infos if not _skipped(info)]
    if len(files) > limits.max_entries:
        raise InputError(
            f"holds {len(files)} files, more than the {limits.max_entries} allowed", where=name
        )
    budget = [limits.max_total_bytes]
    out = []
    for info in files:
        where = entry_name(name, _display(info.filename))
        _check_name(info.filename, where)
        content = _read(archive, info, where, limits, budget)
        if content.startswith(ARCHIVE_MAGICS) or info.filename.lower().endswith(ARCHIVE_SUFFIXES):
            raise InputError(
                "is an archive inside the archive; nested archives are not opened", where=where
            )
        out.append((where, content))
    return out


def _skipped(info: zipfile.ZipInfo) -> bool:
    parts = info.filename.replace("\\", "/").split("/")
    return (
        info.is_dir()
        or parts[0] == "__MACOSX"
        or any(part.startswith("._") or part == ".DS_Store" for part in parts)
    )


def _display(filename: str) -> str:
    # Names are shown to people: control characters would forge lines in a report.
    return "".join(c if c.isprintable() else "?" for c in filename.replace("\\", "/"))


def _check_name(filename: str, where: str) -> None:
    normal = filename.replace("\\", "/")
    if normal.startswith("/") or (len(normal) > 1 and normal[1] == ":"):
        raise InputError("has an absolute path name; refusing the archive", where=where)
    if ".." in normal.split("/"):
        raise InputError("has a path name leading out of the archive (..)", where=where)
    if any(not c.isprintable() for c in filename):
        raise InputError("has control characters in its name", where=where)


def _read(
    archive: zipfile.ZipFile,
    info: zipfile.ZipInfo,
    where: str,
    limits: Limits,
    budget: list[int],
) -> bytes:
    if info.flag_bits & 0x1:
        raise InputError("is encrypted", where=where)
    # The header's file_size may lie: it is only used to refuse early, never trusted.
    if info.file_size > limits.max_entry_bytes:
        raise InputError(_too_big(limits), where=where)
    chunks, read = [], 0
    try:
        with archive.open(info) as stream:
            while chunk := stream.read(CHUNK):
                read += len(chunk)
                _check_budget(read, info.compress_size, where, limits, budget[0])
                chunks.append(chunk)
    except (zipfile.BadZipFile, zlib.error, EOFError, NotImplementedError, OSError) as exc:
        raise InputError(f"cannot be read ({exc})", where=where) from None
    budget[0] -= read
    return b"".join(chunks)


def _check_budget(read: int, compressed: int, where: str, limits: Limits, left: int) -> None:
    if read > limits.max_entry_bytes:
        raise InputError(_too_big(limits), where=where)
    if read > left:
        raise InputError(
            f"takes the archive over {limits.max_total_bytes // (1024 * 1024)} MiB uncompressed",
            where=where,
        )
    if read > limits.ratio_floor and read > max(compressed, 1) * limits.max_ratio:
        raise InputError(
            f"inflates more than {limits.max_ratio}:1 (a zip bomb?); refusing the archive",
            where=where,
        )


def _too_big(limits: Limits) -> str:
    return f"is larger than {limits.max_entry_bytes // (1024 * 1024)} MiB uncompressed"
