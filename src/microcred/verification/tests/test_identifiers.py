"""Which DIDs and domains the registry accepts, and which host controls an issuer id."""

from __future__ import annotations

import pytest

from microcred.verification.identifiers import (
    controlling_domain,
    did_error,
    domain_error,
    normalise_domain,
)


@pytest.mark.parametrize(
    "did",
    [
        "did:web:example.edu",
        "did:web:example.edu%3A8443:issuers:x",
        "did:key:z6MknNQD1WHLGGraFi6zcbGevuAgkVfdyCdtZnQTGWVVvR5Q",
        "did:example:ebfeb1f712ebc6f1c276e12ec21",
    ],
)
def test_real_dids_are_accepted(did: str) -> None:
    assert did_error(did) is None


@pytest.mark.parametrize(
    ("did", "says"),
    [
        ("", "enter a DID"),
        ("https://example.edu", "starts with 'did:'"),
        ("did:key:z6Mk#z6Mk", "without a '#key'"),
        ("did:Web:example.edu", "did:<method>:<id>"),
        ("did:web:", "did:<method>:<id>"),
        ("did:web:exa mple.edu", "did:<method>:<id>"),
        ("did:web:-bad-.edu", "not a usable did:web DID"),
    ],
)
def test_bad_dids_are_refused_with_a_reason(did: str, says: str) -> None:
    message = did_error(did)
    assert message is not None and says in message


@pytest.mark.parametrize(
    ("typed", "stored"),
    [
        ("Example.EDU", "example.edu"),
        ("https://example.edu/", "example.edu"),
        ("HTTP://www.example.edu", "www.example.edu"),
        ("bücher.example", "xn--bcher-kva.example"),
    ],
)
def test_domains_are_stored_lowercase_without_scheme(typed: str, stored: str) -> None:
    assert normalise_domain(typed) == stored
    assert domain_error(stored) is None


@pytest.mark.parametrize(
    ("typed", "says"),
    [
        ("example.edu/issuers", "host name only"),
        ("example.edu:8443", "host name only"),
        ("admin@example.edu", "host name only"),
        ("localhost", "not a domain name"),
        ("exa_mple.edu", "not a domain name"),
        ("10.0.0.1", "not an IP address"),
    ],
)
def test_bad_domains_are_refused_with_a_reason(typed: str, says: str) -> None:
    message = domain_error(normalise_domain(typed))
    assert message is not None and says in message


@pytest.mark.parametrize(
    ("issuer_id", "domain"),
    [
        ("did:web:example.edu", "example.edu"),
        ("did:web:Example.edu:issuers:x", "example.edu"),
        ("did:web:example.edu%3A8443:issuers:x#key-1", "example.edu"),
        ("https://1edtech.edu/issuers/565049", "1edtech.edu"),
        ("http://example.edu/issuers/1", None),  # plain http proves no control of the host
        ("did:key:z6MknNQD1WHLGGraFi6zcbGevuAgkVfdyCdtZnQTGWVVvR5Q", None),
        ("urn:uuid:6f2e33e5-7a29-4155-840a-59483ba10164", None),
        ("did:web:-bad-", None),
    ],
)
def test_the_host_that_controls_an_issuer_id(issuer_id: str, domain: str | None) -> None:
    assert controlling_domain(issuer_id) == domain
