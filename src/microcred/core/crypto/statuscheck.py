"""Checking a ``credentialStatus`` entry against the status list the verifier fetched.

Reads Bitstring Status List entries, the legacy ``StatusList2021`` shape and the
1EdTech revocation list (a JSON list of revoked credential ids), because OB 3.0
credentials in the wild still use them. Never raises on bad input: every problem
comes back as a :class:`StatusResult` carrying the spec's error code.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from microcred.core.crypto.statuslist import (
    DIGITS,
    ERROR_BASE,
    MIN_ENTRIES,
    PURPOSES,
    StatusList,
)
from microcred.core.errors import StatusListError


@dataclass(frozen=True)
class StatusResult:
    """The outcome of checking one ``credentialStatus`` entry against its fetched list.

    ``error`` is a Bitstring Status List error code (``RANGE_ERROR``, ``STATUS_LIST_LENGTH_ERROR``,
    ``MALFORMED_VALUE_ERROR``, ``STATUS_VERIFICATION_ERROR``) when no status could be read.
    """

    purpose: str | None
    status: int | None
    message: str
    error: str | None = None
    status_message: str | None = None

    @property
    def is_set(self) -> bool:
        return bool(self.status)

    @property
    def valid(self) -> bool:
        """True only when the status was read and is 0 (not revoked, not suspended)."""
        return self.error is None and self.status == 0

    @property
    def error_type(self) -> str | None:
        return None if self.error is None else ERROR_BASE + self.error


# entry type -> (list credential type, list subject type, legacy unprefixed encodedList allowed)
_KINDS = {
    "BitstringStatusListEntry": ("BitstringStatusListCredential", "BitstringStatusList", False),
    "StatusList2021Entry": ("StatusList2021Credential", "StatusList2021", True),
}


def _fail(code: str, message: str, purpose: str | None = None) -> StatusResult:
    return StatusResult(purpose=purpose, status=None, message=message, error=code)


def _types(value: Any) -> set[str]:
    if isinstance(value, str):
        return {value}
    return {v for v in value if isinstance(v, str)} if isinstance(value, list) else set()


def _parse_index(value: Any) -> int:
    # The spec wants a base-10 string; the 1EdTech validator's fixtures use a JSON integer.
    if isinstance(value, int) and not isinstance(value, bool) and value >= 0:
        return value
    if isinstance(value, str) and DIGITS.fullmatch(value):
        return int(value)
    raise StatusListError(
        f"{value!r} is not a non-negative base-10 integer", where="statusListIndex"
    )


def _describe(purpose: str, status: int, index: int, url: Any) -> str:
    where = f"(index {index} of {url})"
    if purpose in PURPOSES:
        past = "revoked" if purpose == "revocation" else "suspended"
        if status:
            return f"{past}: the issuer has {past} this credential {where}"
        return f"not {past} {where}"
    return f"{purpose} status is {status:#x} {where}"


def _status_message(entry: dict[str, Any], status: int) -> str | None:
    messages = entry.get("statusMessage")
    if not isinstance(messages, list):
        return None
    for item in messages:
        if isinstance(item, dict) and isinstance(item.get("status"), str):
            try:
                if int(item["status"], 16) == status:
                    return str(item.get("message", ""))
            except ValueError:
                continue
    return None


def _list_subject(
    entry: dict[str, Any], document: Any, kind: tuple[str, str, bool]
) -> tuple[str, dict[str, Any]] | StatusResult:
    purpose = entry.get("statusPurpose")
    if not isinstance(purpose, str) or not purpose:
        return _fail("MALFORMED_VALUE_ERROR", "the entry has no statusPurpose")
    list_type, subject_type, _ = kind
    if not isinstance(document, dict) or list_type not in _types(document.get("type")):
        return _fail("STATUS_VERIFICATION_ERROR", f"the status list is not a {list_type}", purpose)
    subject = document.get("credentialSubject")
    if not isinstance(subject, dict) or subject_type not in _types(subject.get("type")):
        return _fail(
            "MALFORMED_VALUE_ERROR", f"the list's subject is not a {subject_type}", purpose
        )
    if purpose not in _types(subject.get("statusPurpose")):
        message = f"the entry's purpose {purpose!r} is not a purpose of the status list"
        return _fail("STATUS_VERIFICATION_ERROR", message, purpose)
    return purpose, subject


def _check_bitstring(
    entry: dict[str, Any], document: Any, kind: tuple[str, str, bool], minimum: int
) -> StatusResult:
    found = _list_subject(entry, document, kind)
    if isinstance(found, StatusResult):
        return found
    purpose, subject = found
    try:
        index = _parse_index(entry.get("statusListIndex"))
        size = entry.get("statusSize", 1)
        if isinstance(size, bool) or not isinstance(size, int) or not 1 <= size <= 8:
            raise StatusListError("must be an integer 1..8", where="statusSize")
        bits = StatusList.decode(
            subject.get("encodedList"), status_size=size, allow_unprefixed=kind[2]
        )
    except StatusListError as exc:
        return _fail("MALFORMED_VALUE_ERROR", str(exc), purpose)
    if bits.size < minimum:
        message = f"the list has {bits.size} entries, fewer than the minimum {minimum}"
        return _fail("STATUS_LIST_LENGTH_ERROR", message, purpose)
    if index >= bits.size:
        return _fail("RANGE_ERROR", f"index {index} is outside a list of {bits.size}", purpose)
    status = bits.get(index)
    message = _describe(purpose, status, index, entry.get("statusListCredential"))
    return StatusResult(purpose, status, message, None, _status_message(entry, status))


def _check_1edtech(document: Any, credential_id: str | None) -> StatusResult:
    """1EdTech Revocation List: the credential is revoked when its id is listed (``revoked``
    true or omitted), following the 1EdTech validator."""
    if not credential_id:
        return _fail("MALFORMED_VALUE_ERROR", "the credential has no id to look up", "revocation")
    items = document.get("revokedCredentials") if isinstance(document, dict) else None
    if not isinstance(items, list):
        message = "the 1EdTech revocation list has no revokedCredentials array"
        return _fail("MALFORMED_VALUE_ERROR", message, "revocation")
    for item in items:
        record = item if isinstance(item, dict) else {"id": item}
        if record.get("id") == credential_id and record.get("revoked", True) is not False:
            reason = record.get("revocationReason")
            suffix = f" ({reason})" if isinstance(reason, str) and reason else ""
            return StatusResult("revocation", 1, f"revoked: the issuer has revoked it{suffix}")
    return StatusResult("revocation", 0, "not revoked (not in the issuer's revocation list)")


def check_entry(
    entry: Any,
    list_credential: Any,
    *,
    credential_id: str | None = None,
    minimum: int = MIN_ENTRIES,
) -> StatusResult:
    """Read the status an entry points at, in a list the caller fetched and verified.

    ``list_credential`` is the (proof-checked) status list credential, or for a
    ``1EdTechRevocationList`` entry the fetched revocation list, which needs ``credential_id``.
    Never raises on bad input: problems come back as a result with ``error`` set.
    """
    if not isinstance(entry, dict):
        return _fail("MALFORMED_VALUE_ERROR", "the credentialStatus entry is not an object")
    kind = entry.get("type")
    if kind == "1EdTechRevocationList":
        return _check_1edtech(list_credential, credential_id)
    if not isinstance(kind, str) or kind not in _KINDS:
        return _fail("MALFORMED_VALUE_ERROR", f"unsupported credentialStatus type {kind!r}")
    return _check_bitstring(entry, list_credential, _KINDS[kind], minimum)
