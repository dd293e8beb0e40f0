"""Looking an issuer up: by DID, by the host that controls its id, and suspended entries."""

from __future__ import annotations

import datetime
from collections.abc import Callable
from typing import Any

import pytest

from microcred.verification import services
from microcred.verification.selectors import lookup

pytestmark = pytest.mark.django_db

KEY_DID = "did:key:z6MknNQD1WHLGGraFi6zcbGevuAgkVfdyCdtZnQTGWVVvR5Q"


@pytest.fixture
def university(make_issuer: Callable[..., Any]) -> Any:
    return make_issuer(
        "Example University",
        vetted_on=datetime.date(2025, 3, 1),
        dids=[KEY_DID, "did:web:issuers.example.org"],
        domains=["example.edu"],
    )


def test_an_exact_did_matches(university: Any) -> None:
    match = lookup(KEY_DID)
    assert match is not None and match.active
    assert (match.name, match.matched_by, match.matched) == ("Example University", "did", KEY_DID)
    assert (match.vetted_by, match.vetting_method_label) == ("NVAO", "Accreditation body")
    assert match.summary() == (
        "Known issuer: Example University, vetted by NVAO (accreditation body, 2025-03-01)."
    )
    # A verification method (DID URL) names the same issuer.
    assert lookup(f"{KEY_DID}#{KEY_DID[8:]}") == match


@pytest.mark.parametrize(
    "issuer_id",
    [
        "did:web:example.edu",
        "did:web:EXAMPLE.edu:issuers:x",
        "did:web:example.edu%3A8443:issuers:x#key-1",
        "https://example.edu/issuers/565049",
    ],
)
def test_the_domain_of_a_did_web_or_https_issuer_matches(university: Any, issuer_id: str) -> None:
    match = lookup(issuer_id)
    assert match is not None
    assert (match.name, match.matched_by, match.matched) == (
        "Example University",
        "domain",
        "example.edu",
    )


def test_a_registered_did_web_matches_as_a_did(university: Any) -> None:
    match = lookup("did:web:issuers.example.org")
    assert match is not None and (match.matched_by, match.name) == ("did", "Example University")


@pytest.mark.parametrize(
    "issuer_id",
    [
        "did:web:www.example.edu",  # subdomains are separate entries
        "did:web:example.edu.evil.test",
        "http://example.edu/issuers/1",  # no TLS: no proof of the host
        "did:key:z6MkjoriXdbyWD25YXTed114F8hdJrLXQ567xxPHAUKxpKkS",
        "urn:uuid:6f2e33e5-7a29-4155-840a-59483ba10164",
        "",
    ],
)
def test_unknown_issuers_are_none(university: Any, issuer_id: str) -> None:
    assert lookup(issuer_id) is None


def test_a_domain_the_caller_established_matches(university: Any) -> None:
    match = lookup("urn:uuid:6f2e33e5-7a29-4155-840a-59483ba10164", domain="Example.EDU")
    assert match is not None and (match.matched_by, match.matched) == ("domain", "example.edu")
    assert lookup("urn:uuid:1", domain="elsewhere.example") is None


def test_an_exact_did_wins_over_a_domain(university: Any, make_issuer: Callable[..., Any]) -> None:
    make_issuer("Example Faculty", dids=["did:web:example.edu:faculty"])
    faculty = lookup("did:web:example.edu:faculty")
    other = lookup("did:web:example.edu:other")
    assert faculty is not None and faculty.name == "Example Faculty"
    assert other is not None and other.name == "Example University"


def test_a_suspended_entry_still_matches_and_says_so(operator: Any, university: Any) -> None:
    services.suspend(actor=operator, issuer=university)
    for issuer_id in (KEY_DID, "did:web:example.edu"):
        match = lookup(issuer_id)
        assert match is not None and not match.active and match.state == "suspended"
        assert match.summary().startswith("Registry entry suspended: Example University")
