"""Bitstring Status List: spec encodings, the 1EdTech list, checking, allocation, hostile input."""

from __future__ import annotations

import base64
import copy
import gzip
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from microcred.core.crypto.statuscheck import check_entry
from microcred.core.crypto.statuslist import (
    MIN_ENTRIES,
    StatusList,
    StatusListState,
    status_entry,
    status_list_credential,
)
from microcred.core.errors import StatusListError
from tests.conftest import EXAMPLES, VECTORS, read_json

EMPTY = "uH4sIAAAAAAAAA-3BMQEAAADCoPVPbQwfoAAAAAAAAAAAAAAAAAAAAIC3AYbSVKsAQAAA"
BSL = EXAMPLES / "bitstring_status_list"
VALIDATOR = EXAMPLES / "ob_v3p0" / "validator"


def _testlist() -> dict[str, Any]:
    value: dict[str, Any] = read_json(
        VECTORS / "bitstring-status-list" / "1edtech-validator-testlist.json"
    )
    return value


def _multibase_gzip(raw: bytes) -> str:
    return "u" + base64.urlsafe_b64encode(gzip.compress(raw)).rstrip(b"=").decode()


# ------------------------------------------------------------------ encoding


def test_empty_list_encodes_to_the_spec_example() -> None:
    assert StatusList.create().encode() == EMPTY
    assert (
        read_json(BSL / "02-example-bitstringstatuslistcredential.json")["credentialSubject"][
            "encodedList"
        ]
        == EMPTY
    )


def test_spec_example_decodes_to_131072_clear_entries() -> None:
    bits = StatusList.decode(EMPTY)
    assert bits.size == MIN_ENTRIES
    assert len(bits.bits) == 16384 and not any(bits.bits)


def test_1edtech_list_has_only_index_23_set_msb_first() -> None:
    bits = StatusList.decode(_testlist()["credentialSubject"]["encodedList"])
    assert bits.size == MIN_ENTRIES
    assert bits.get(23) == 1
    assert [i for i in range(bits.size) if bits.get(i)] == [23]
    assert bits.bits[2] == 0x01  # index 23 is the least significant bit of byte 2


def test_set_is_msb_first() -> None:
    bits = StatusList.create()
    bits.set(0, True)
    bits.set(9, 1)
    assert bits.bits[:2] == b"\x80\x40"


def test_refuses_lists_below_herd_privacy_minimum() -> None:
    with pytest.raises(StatusListError, match="at least 131072"):
        StatusList.create(131_071)


@settings(max_examples=40, deadline=None)
@given(st.dictionaries(st.integers(0, MIN_ENTRIES - 1), st.booleans(), max_size=30))
def test_set_get_and_encode_decode_round_trip(changes: dict[int, bool]) -> None:
    bits = StatusList.create()
    for index, value in changes.items():
        bits.set(index, value)
    again = StatusList.decode(bits.encode())
    for index, value in changes.items():
        assert bits.get(index) == int(value)
        assert again.get(index) == int(value)
    assert again.bits == bits.bits


@settings(max_examples=25, deadline=None)
@given(st.integers(0, MIN_ENTRIES // 2 - 1), st.integers(0, 3))
def test_two_bit_entries_round_trip(index: int, value: int) -> None:
    bits = StatusList.create(MIN_ENTRIES // 2, status_size=2, minimum=1)
    bits.set(index, value)
    assert StatusList.decode(bits.encode(), status_size=2).get(index) == value


@pytest.mark.parametrize("index", [-1, MIN_ENTRIES, True])
def test_out_of_range_index_is_refused(index: int) -> None:
    with pytest.raises(StatusListError, match="outside"):
        StatusList.create().get(index)


# ------------------------------------------------------------------ hostile input


def test_gzip_bomb_is_refused() -> None:
    bomb = _multibase_gzip(bytes(64 * 1024 * 1024))  # 64 MiB of zeros, ~64 KB compressed
    with pytest.raises(StatusListError, match="gzip bomb"):
        StatusList.decode(bomb)


@pytest.mark.parametrize(
    ("encoded", "message"),
    [
        ("", "non-empty"),
        ("H4sIAAAAAAAAA-3BMQEAAADCoPVPbQwfoAAAAAAAAAAAAAAAAAAAAIC3AYbSVKsAQAAA", "start with 'u'"),
        ("u!!!", "base64url"),
        ("uAAAA", "GZIP"),
        (EMPTY[:33], "truncated"),
    ],
)
def test_malformed_encoded_lists(encoded: str, message: str) -> None:
    with pytest.raises(StatusListError, match=message):
        StatusList.decode(encoded)


# ------------------------------------------------------------------ checking


def test_validator_fixture_index_23_is_revoked() -> None:
    for name in (
        "bit-string-list-credential-status-revoked.json",
        "bit-string-list-credential-status-revoked-blank-nodes.json",
    ):
        entry = read_json(VALIDATOR / name)["credentialStatus"]
        result = check_entry(entry, _testlist())
        assert result.error is None
        assert result.status == 1 and result.is_set and not result.valid
        assert result.purpose == "revocation"
        assert result.message.startswith("revoked")


@pytest.mark.parametrize("index", ["0", "22", "24", "131071"])
def test_other_indexes_are_not_revoked(index: str) -> None:
    entry = status_entry("https://example.com/credentials/status/3", int(index), "revocation")
    result = check_entry(entry, _testlist())
    assert result.valid and result.status == 0 and result.message.startswith("not revoked")


def test_check_error_codes() -> None:
    testlist = _testlist()
    entry = status_entry("https://example.com/credentials/status/3", 23, "revocation")
    assert check_entry({**entry, "statusListIndex": "131072"}, testlist).error == "RANGE_ERROR"
    assert (
        check_entry({**entry, "statusListIndex": "-1"}, testlist).error == "MALFORMED_VALUE_ERROR"
    )
    assert (
        check_entry({**entry, "statusListIndex": "2x"}, testlist).error == "MALFORMED_VALUE_ERROR"
    )
    mismatch = check_entry({**entry, "statusPurpose": "suspension"}, testlist)
    assert mismatch.error == "STATUS_VERIFICATION_ERROR" and not mismatch.valid
    short = copy.deepcopy(testlist)
    short["credentialSubject"]["encodedList"] = _multibase_gzip(bytes(1024))
    length = check_entry(entry, short)
    assert length.error == "STATUS_LIST_LENGTH_ERROR"
    assert (
        length.error_type
        == "https://www.w3.org/ns/credentials/status-list#STATUS_LIST_LENGTH_ERROR"
    )
    broken = copy.deepcopy(testlist)
    broken["credentialSubject"]["encodedList"] = "u" + "A" * 40
    assert check_entry(entry, broken).error == "MALFORMED_VALUE_ERROR"
    wrong_type = {**testlist, "type": ["VerifiableCredential"]}
    assert check_entry(entry, wrong_type).error == "STATUS_VERIFICATION_ERROR"
    assert check_entry({**entry, "type": "Nope"}, testlist).error == "MALFORMED_VALUE_ERROR"
    assert check_entry("not an object", testlist).error == "MALFORMED_VALUE_ERROR"


def test_status_size_and_status_message() -> None:
    bits = StatusList.create(MIN_ENTRIES, status_size=2)
    bits.set(7, 2)
    url = "https://example.com/status/msg"
    credential = status_list_credential(
        url, "message", "did:example:1", bits.encode(), "2025-01-01T00:00:00Z"
    )
    entry = {
        **status_entry(url, 7, "message", status_size=2),
        "statusMessage": [
            {"status": "0x0", "message": "pending"},
            {"status": "0x2", "message": "accepted"},
        ],
    }
    result = check_entry(entry, credential)
    assert (result.status, result.status_message) == (2, "accepted")


def test_statuslist2021_entries_are_read() -> None:
    bits = StatusList.create()
    bits.set(94567, 1)
    legacy = {
        "type": ["VerifiableCredential", "StatusList2021Credential"],
        "credentialSubject": {
            "type": "StatusList2021",
            "statusPurpose": "revocation",
            "encodedList": bits.encode()[1:],  # 2021 lists were bare base64url
        },
    }
    entry = {
        "type": "StatusList2021Entry",
        "statusPurpose": "revocation",
        "statusListIndex": "94567",
        "statusListCredential": "https://example.com/status/2021",
    }
    assert check_entry(entry, legacy).status == 1
    assert check_entry({**entry, "statusListIndex": "94566"}, legacy).valid


def test_1edtech_revocation_list() -> None:
    credential = read_json(VALIDATOR / "credential-status-revoked.json")
    entry = credential["credentialStatus"]
    assert entry["type"] == "1EdTechRevocationList"
    revocations = {
        "id": entry["id"],
        "revokedCredentials": [
            {"id": "urn:uuid:other", "revoked": True},
            {"id": credential["id"], "revocationReason": "issued in error"},
        ],
    }
    result = check_entry(entry, revocations, credential_id=credential["id"])
    assert result.status == 1 and not result.valid and "issued in error" in result.message
    revocations["revokedCredentials"][1]["revoked"] = False
    assert check_entry(entry, revocations, credential_id=credential["id"]).valid
    assert check_entry(entry, {"revokedCredentials": []}, credential_id=credential["id"]).valid
    assert check_entry(entry, {"nope": 1}, credential_id=credential["id"]).error
    assert check_entry(entry, revocations).error == "MALFORMED_VALUE_ERROR"


# ------------------------------------------------------------------ builders and state


def test_builders_match_the_spec_examples() -> None:
    spec = read_json(BSL / "04-a-status-list-verifiable-credential.json")
    built = status_list_credential(
        spec["id"], "revocation", spec["issuer"], EMPTY, spec["validFrom"]
    )
    assert built["type"] == spec["type"]
    # the spec example's subject id is arbitrary; everything else must match
    assert {**built["credentialSubject"], "id": spec["credentialSubject"]["id"]} == spec[
        "credentialSubject"
    ]
    assert built["credentialSubject"]["id"] == spec["id"] + "#list"
    assert built["validFrom"] == spec["validFrom"]
    example = read_json(BSL / "03-a-revocable-verifiable-credential.json")["credentialStatus"]
    assert status_entry(example["statusListCredential"], 94567, "revocation") == example


def test_state_allocates_revokes_and_persists() -> None:
    state = StatusListState.new("https://example.com/status/1", "revocation", issuer="did:ex:1")
    index = state.allocate()
    other = state.allocate()
    state.revoke(index)
    again = StatusListState.from_json(state.to_json())
    assert (again.status(index), again.status(other)) == (1, 0)
    assert again.is_allocated(index) and again.issuer == "did:ex:1"
    assert again.allocate() not in {index, other}
    credential = again.credential("did:ex:1", "2025-01-01T00:00:00Z")
    assert check_entry(again.entry(index), credential).status == 1
    with pytest.raises(StatusListError, match="permanent"):
        again.unsuspend(index)
    with pytest.raises(StatusListError, match="never allocated"):
        again.revoke(next(i for i in range(MIN_ENTRIES) if not again.is_allocated(i)))


def test_suspension_is_reversible() -> None:
    state = StatusListState.new("https://example.com/status/2", "suspension")
    index = state.allocate()
    state.suspend(index)
    assert state.status(index) == 1
    state.unsuspend(index)
    assert state.status(index) == 0
    with pytest.raises(StatusListError, match="cannot revoke"):
        state.revoke(index)


@settings(max_examples=10, deadline=None)
@given(st.integers(1, 4))
def test_allocation_never_repeats_until_full(bytes_long: int) -> None:
    size = bytes_long * 8
    state = StatusListState.new("https://example.com/s", "revocation", size=size, minimum=1)
    seen = [state.allocate() for _ in range(size)]
    assert sorted(seen) == list(range(size))
    with pytest.raises(StatusListError, match="full"):
        state.allocate()


def test_allocation_spreads_over_the_list() -> None:
    state = StatusListState.new("https://example.com/s", "revocation")
    seen = [state.allocate() for _ in range(2000)]
    assert len(set(seen)) == 2000
    # random, not sequential: a sequential allocator would stay below 2000
    assert max(seen) > 10 * 2000 and seen != sorted(seen)


@pytest.mark.parametrize(
    "data",
    [
        None,
        {},
        {"format": "microcred-status-list/1", "url": 3, "purpose": "revocation"},
        {
            "format": "microcred-status-list/1",
            "url": "u",
            "purpose": "revocation",
            "size": 8,
            "encodedList": EMPTY,
            "allocated": EMPTY,
        },
    ],
)
def test_state_refuses_bad_files(data: Any) -> None:
    with pytest.raises(StatusListError):
        StatusListState.from_json(data)
