"""Bitstring Status List v1.0: the bitstring, index allocation and list credentials.

The bitstring is MSB-first (index 0 is the most significant bit of byte 0) and is
published as multibase base64url-no-pad (prefix ``u``) of its GZIP compression. Lists
have at least 131,072 entries so that one credential hides in the herd. Checking an
entry against a fetched list lives in :mod:`microcred.core.crypto.statuscheck`.
"""

from __future__ import annotations

import base64
import binascii
import re
import secrets
import zlib
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any, ClassVar

from microcred.core.errors import StatusListError

MIN_ENTRIES = 131_072
MAX_LIST_BYTES = 16 * 1024 * 1024  # decompressed; a gzip bomb stops here
MAX_ENCODED_CHARS = 4 * 1024 * 1024
PURPOSES = ("revocation", "suspension")
VC_V2 = "https://www.w3.org/ns/credentials/v2"
ERROR_BASE = "https://www.w3.org/ns/credentials/status-list#"

# mtime 0, no flags, OS 3: the header of the spec's example, so equal bits encode equally.
_GZIP_HEADER = b"\x1f\x8b\x08\x00\x00\x00\x00\x00\x00\x03"
_B64URL = re.compile(r"[A-Za-z0-9_-]*")
DIGITS = re.compile(r"[0-9]{1,10}")


def _b64url_decode(text: str, where: str) -> bytes:
    if not _B64URL.fullmatch(text):
        raise StatusListError("not base64url without padding", where=where)
    try:
        return base64.urlsafe_b64decode(text + "=" * (-len(text) % 4))
    except (binascii.Error, ValueError):
        raise StatusListError("not valid base64url", where=where) from None


def _gunzip(data: bytes, max_bytes: int, where: str) -> bytes:
    """Decompress one GZIP member, refusing more than ``max_bytes`` of output."""
    inflater = zlib.decompressobj(wbits=31)
    try:
        out = inflater.decompress(data, max_bytes + 1)
    except zlib.error as exc:
        raise StatusListError(f"not valid GZIP data ({exc})", where=where) from None
    if len(out) > max_bytes:
        raise StatusListError(
            f"decompresses to more than {max_bytes} bytes (refused as a possible gzip bomb)",
            where=where,
        )
    if not inflater.eof:
        raise StatusListError("truncated GZIP data", where=where)
    return out


class StatusList:
    """A status bitstring of ``len(bits) * 8 // status_size`` entries."""

    def __init__(self, bits: bytes | bytearray, *, status_size: int = 1) -> None:
        if not 1 <= status_size <= 8:
            raise StatusListError(f"statusSize must be 1..8, got {status_size}", where="statusSize")
        self.bits = bytearray(bits)
        self.status_size = status_size

    @classmethod
    def create(
        cls, size: int = MIN_ENTRIES, *, status_size: int = 1, minimum: int = MIN_ENTRIES
    ) -> StatusList:
        """A list of ``size`` zero entries, rounded up to whole bytes (refused below
        ``minimum``: herd privacy)."""
        if size < minimum:
            raise StatusListError(f"a status list needs at least {minimum} entries, got {size}")
        if size * status_size > MAX_LIST_BYTES * 8:
            raise StatusListError(f"{size} entries is over the {MAX_LIST_BYTES}-byte limit")
        return cls(bytes(-(-size * status_size // 8)), status_size=status_size)

    @property
    def size(self) -> int:
        return len(self.bits) * 8 // self.status_size

    def encode(self) -> str:
        """Multibase (``u``) base64url-no-pad of the GZIP-compressed bitstring."""
        deflate = zlib.compressobj(6, zlib.DEFLATED, -15)
        body = deflate.compress(bytes(self.bits)) + deflate.flush()
        trailer = zlib.crc32(self.bits).to_bytes(4, "little")
        trailer += (len(self.bits) & 0xFFFFFFFF).to_bytes(4, "little")
        raw = _GZIP_HEADER + body + trailer
        return "u" + base64.urlsafe_b64encode(raw).rstrip(b"=").decode("ascii")

    @classmethod
    def decode(
        cls,
        encoded: Any,
        *,
        status_size: int = 1,
        max_bytes: int = MAX_LIST_BYTES,
        allow_unprefixed: bool = False,
        where: str = "encodedList",
    ) -> StatusList:
        """Expand an ``encodedList``; ``allow_unprefixed`` reads StatusList2021's bare base64url."""
        if not isinstance(encoded, str) or not encoded:
            raise StatusListError("must be a non-empty string", where=where)
        if len(encoded) > MAX_ENCODED_CHARS:
            raise StatusListError(f"longer than {MAX_ENCODED_CHARS} characters", where=where)
        if encoded.startswith("u"):
            text = encoded[1:]
        elif allow_unprefixed and encoded.startswith("H4sI"):
            text = encoded
        else:
            raise StatusListError("must be multibase base64url (start with 'u')", where=where)
        return cls(_gunzip(_b64url_decode(text, where), max_bytes, where), status_size=status_size)

    def _check_index(self, index: int) -> None:
        if isinstance(index, bool) or not isinstance(index, int) or not 0 <= index < self.size:
            raise StatusListError(f"is outside 0..{self.size - 1}", where=f"index {index!r}")

    def get(self, index: int) -> int:
        """The ``status_size``-bit value of entry ``index`` (MSB-first)."""
        self._check_index(index)
        value = 0
        for bit in range(index * self.status_size, (index + 1) * self.status_size):
            value = (value << 1) | ((self.bits[bit >> 3] >> (7 - (bit & 7))) & 1)
        return value

    def set(self, index: int, value: int | bool) -> None:
        self._check_index(index)
        value = int(value)
        if not 0 <= value < (1 << self.status_size):
            raise StatusListError(f"value {value} does not fit in {self.status_size} bit(s)")
        start = index * self.status_size
        for offset in range(self.status_size):
            bit = start + offset
            mask = 1 << (7 - (bit & 7))
            if (value >> (self.status_size - 1 - offset)) & 1:
                self.bits[bit >> 3] |= mask
            else:
                self.bits[bit >> 3] &= ~mask & 0xFF


def status_entry(
    list_url: str, index: int, purpose: str, *, status_size: int = 1
) -> dict[str, Any]:
    """A ``BitstringStatusListEntry`` for a credential's ``credentialStatus``."""
    entry: dict[str, Any] = {
        "id": f"{list_url}#{index}",
        "type": "BitstringStatusListEntry",
        "statusPurpose": purpose,
        "statusListIndex": str(index),
        "statusListCredential": list_url,
    }
    if status_size != 1:
        entry["statusSize"] = status_size
    return entry


def _iso(moment: str | datetime) -> str:
    if isinstance(moment, str):
        return moment
    return moment.astimezone(UTC).replace(microsecond=0).isoformat().replace("+00:00", "Z")


def status_list_credential(
    url: str,
    purpose: str | Sequence[str],
    issuer: str | dict[str, Any],
    encoded_list: str,
    valid_from: str | datetime,
    *,
    valid_until: str | datetime | None = None,
    ttl_ms: int | None = None,
) -> dict[str, Any]:
    """An unsigned VC 2.0 ``BitstringStatusListCredential`` (sign it before publishing)."""
    subject: dict[str, Any] = {
        "id": f"{url}#list",
        "type": "BitstringStatusList",
        "statusPurpose": purpose if isinstance(purpose, str) else list(purpose),
        "encodedList": encoded_list,
    }
    if ttl_ms is not None:
        subject["ttl"] = ttl_ms
    credential: dict[str, Any] = {
        "@context": [VC_V2],
        "id": url,
        "type": ["VerifiableCredential", "BitstringStatusListCredential"],
        "issuer": issuer,
        "validFrom": _iso(valid_from),
    }
    if valid_until is not None:
        credential["validUntil"] = _iso(valid_until)
    credential["credentialSubject"] = subject
    return credential


@dataclass
class StatusListState:
    """An issuer's status list with its bookkeeping: which indexes were handed out."""

    url: str
    purpose: str
    status_list: StatusList
    allocated: StatusList
    issuer: str | None = None
    FORMAT: ClassVar[str] = "microcred-status-list/1"

    @classmethod
    def new(
        cls,
        url: str,
        purpose: str,
        *,
        size: int = MIN_ENTRIES,
        issuer: str | None = None,
        minimum: int = MIN_ENTRIES,
    ) -> StatusListState:
        """A fresh list; ``minimum`` is lowered only by tests (herd privacy needs 131,072)."""
        if purpose not in PURPOSES:
            raise StatusListError(f"purpose must be one of {', '.join(PURPOSES)}", where="purpose")
        if not url:
            raise StatusListError("the list needs a URL", where="url")
        bits = StatusList.create(size, minimum=minimum)
        return cls(url, purpose, bits, StatusList.create(size, minimum=minimum), issuer)

    @property
    def size(self) -> int:
        return self.status_list.size

    def is_allocated(self, index: int) -> bool:
        return bool(self.allocated.get(index))

    def allocate(self) -> int:
        """A random index never handed out before (random per the spec's herd-privacy advice)."""
        size = self.size
        used = int.from_bytes(self.allocated.bits, "big").bit_count()
        if used >= size:
            raise StatusListError(f"the status list is full ({size} indexes allocated)")
        if used < size - size // 8:
            while True:  # at most 7/8 taken: at most 8 draws on average
                index = secrets.randbelow(size)
                if not self.allocated.get(index):
                    break
        else:  # nearly full: pick the k-th free index instead of retrying
            index = self._kth_free(secrets.randbelow(size - used))
        self.allocated.set(index, 1)
        return index

    def _kth_free(self, k: int) -> int:
        for byte_no, byte in enumerate(self.allocated.bits):
            free_here = 8 - byte.bit_count()
            if k >= free_here:
                k -= free_here
                continue
            for bit in range(8):
                if not (byte >> (7 - bit)) & 1:
                    if k == 0:
                        return byte_no * 8 + bit
                    k -= 1
        raise StatusListError("the status list is full")  # unreachable: used < size

    def _allocated_index(self, index: int) -> int:
        if isinstance(index, bool) or not isinstance(index, int) or not 0 <= index < self.size:
            raise StatusListError(f"is outside 0..{self.size - 1}", where=f"index {index}")
        if not self.is_allocated(index):
            raise StatusListError("was never allocated", where=f"index {index}")
        return index

    def _require(self, purpose: str, action: str) -> None:
        if self.purpose != purpose:
            raise StatusListError(f"cannot {action} on a {self.purpose} list", where="purpose")

    def revoke(self, index: int) -> None:
        self._require("revocation", "revoke")
        self.status_list.set(self._allocated_index(index), 1)

    def suspend(self, index: int) -> None:
        self._require("suspension", "suspend")
        self.status_list.set(self._allocated_index(index), 1)

    def unsuspend(self, index: int) -> None:
        if self.purpose == "revocation":
            raise StatusListError("revocation is permanent: a revoked index cannot be cleared")
        self._require("suspension", "unsuspend")
        self.status_list.set(self._allocated_index(index), 0)

    def status(self, index: int) -> int:
        return self.status_list.get(self._allocated_index(index))

    def entry(self, index: int) -> dict[str, Any]:
        return status_entry(self.url, self._allocated_index(index), self.purpose)

    def credential(
        self, issuer: str | dict[str, Any], valid_from: str | datetime
    ) -> dict[str, Any]:
        encoded = self.status_list.encode()
        return status_list_credential(self.url, self.purpose, issuer, encoded, valid_from)

    def to_json(self) -> dict[str, Any]:
        data: dict[str, Any] = {
            "format": self.FORMAT,
            "url": self.url,
            "purpose": self.purpose,
            "size": self.size,
            "encodedList": self.status_list.encode(),
            "allocated": self.allocated.encode(),
        }
        if self.issuer is not None:
            data["issuer"] = self.issuer
        return data

    @classmethod
    def from_json(cls, data: Any, *, where: str = "status list file") -> StatusListState:
        if not isinstance(data, dict) or data.get("format") != cls.FORMAT:
            raise StatusListError(f"not a {cls.FORMAT} document", where=where)
        url, purpose, size, issuer = (data.get(k) for k in ("url", "purpose", "size", "issuer"))
        if not isinstance(url, str) or purpose not in PURPOSES:
            raise StatusListError("needs a string 'url' and a known 'purpose'", where=where)
        if issuer is not None and not isinstance(issuer, str):
            raise StatusListError("'issuer' must be a string", where=where)
        bits = StatusList.decode(data.get("encodedList", ""), where=f"{where}: encodedList")
        taken = StatusList.decode(data.get("allocated", ""), where=f"{where}: allocated")
        if size != bits.size or size != taken.size or bits.size < MIN_ENTRIES:
            raise StatusListError("'size' disagrees with the stored bitstrings", where=where)
        return cls(url, str(purpose), bits, taken, issuer)
