"""The CLR builder (framework-free): what is embedded, and the association rule."""

from __future__ import annotations

from typing import Any

import pytest

from microcred.core.model.clr import (
    CLR_CONTEXTS,
    ClrIssuer,
    associations,
    build_clr,
    not_embeddable,
)
from microcred.core.model.identity import IdentityObject

V2 = "https://www.w3.org/ns/credentials/v2"


def credential(achievement_id: str, **achievement: Any) -> dict[str, Any]:
    return {
        "@context": [V2],
        "type": ["VerifiableCredential", "OpenBadgeCredential"],
        "credentialSubject": {"achievement": {"id": achievement_id, "name": "x", **achievement}},
        "proof": {"type": "DataIntegrityProof"},
    }


def test_stackable_towards_related_and_alignment_give_associations() -> None:
    documents = [
        credential("urn:a", stackableTowards=["urn:cert", "urn:elsewhere"]),
        credential("urn:cert", related=[{"id": "urn:b", "type": ["Related"]}]),
        credential("urn:b", alignment=[{"targetUrl": "urn:a", "type": ["Alignment"]}]),
        credential("urn:a", stackableTowards="urn:a"),  # the same again, and to itself
    ]
    found = {(a.source_id, a.association_type, a.target_id) for a in associations(documents)}
    assert found == {
        ("urn:a", "isPartOf", "urn:cert"),
        ("urn:cert", "isRelatedTo", "urn:b"),
        ("urn:b", "isRelatedTo", "urn:a"),
    }


def test_an_award_citing_its_components_in_evidence_makes_them_parts_of_it() -> None:
    sql = {**credential("urn:sql"), "id": "urn:uuid:1b6ae3c2-0000-4000-8000-000000000001"}
    viz = {**credential("urn:viz"), "id": "urn:uuid:1b6ae3c2-0000-4000-8000-000000000002"}
    award = {
        **credential("urn:degree"),
        "evidence": [
            {"id": "https://uni.example/credentials/1b6ae3c2-0000-4000-8000-000000000001"},
            {"id": "urn:uuid:1b6ae3c2-0000-4000-8000-000000000002"},
            {"id": "https://elsewhere.example/credentials/not-in-the-record"},
        ],
    }
    found = {
        (a.source_id, a.association_type, a.target_id) for a in associations([sql, viz, award])
    }
    assert found == {("urn:sql", "isPartOf", "urn:degree"), ("urn:viz", "isPartOf", "urn:degree")}


def test_no_association_to_an_achievement_outside_the_record() -> None:
    assert associations([credential("urn:a", stackableTowards=["urn:cert"])]) == []


@pytest.mark.parametrize(
    ("document", "words"),
    [
        ({**credential("urn:a"), "@context": ["https://www.w3.org/2018/credentials/v1"]}, "VC 1.1"),
        ({**credential("urn:a"), "proof": None}, "no embedded proof"),
        ({"type": "Assertion"}, "no Verifiable Credential"),
        ("eyJ.a.b", "no JSON credential"),
    ],
)
def test_what_cannot_be_embedded_says_why(document: Any, words: str) -> None:
    reason = not_embeddable(document)
    assert reason is not None and words in reason


def test_the_record_embeds_credentials_as_they_are_and_hashes_the_learner() -> None:
    documents = [credential("urn:a", stackableTowards=["urn:cert"]), credential("urn:cert")]
    clr = build_clr(
        documents,
        issuer=ClrIssuer("did:key:z6Mk", "microcred"),
        learner_emails=["ana@example.org"],
        partial=True,
    )
    assert clr["@context"] == list(CLR_CONTEXTS) and clr["partial"] is True
    subject = clr["credentialSubject"]
    assert subject["verifiableCredential"] == documents
    [identifier] = subject["identifier"]
    assert "ana@example.org" not in str(identifier)
    assert IdentityObject.model_validate(identifier).matches("ana@example.org")
    assert [a["id"] for a in subject["achievement"]] == ["urn:a", "urn:cert"]
    assert "stackableTowards" not in subject["achievement"][0]  # only the CLR's own terms
    with pytest.raises(ValueError):
        build_clr([], issuer=ClrIssuer("did:key:z6Mk", "m"), learner_emails=[])
