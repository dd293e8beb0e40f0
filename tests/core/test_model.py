"""The OB 3.0 model: hashed identifiers, parsing with path-naming errors, EU elements,
and the microcred JSON-LD context."""

from __future__ import annotations

import copy
import hashlib
import json
from pathlib import Path
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from pyld import jsonld

from microcred.core.crypto import documentloader
from microcred.core.errors import InputError
from microcred.core.model import (
    EU_TERMS,
    MICROCRED_CONTEXT,
    Achievement,
    EUElements,
    EUMicroCredential,
    IdentityObject,
    ParticipationForm,
    hash_email,
    parse_credential,
    sample_credential,
)
from tests.conftest import EXAMPLES, STANDARDS, read_json

SPEC = EXAMPLES / "ob_v3p0" / "spec"
VALIDATOR = EXAMPLES / "ob_v3p0" / "validator"
CONTEXT_FILE = (
    Path(__file__).resolve().parents[2] / "src/microcred/core/crypto/contexts/microcred-v1.jsonld"
)


def _simple() -> dict[str, Any]:
    doc: dict[str, Any] = read_json(VALIDATOR / "simple.json")
    return doc


def _full() -> dict[str, Any]:
    doc: dict[str, Any] = read_json(SPEC / "fullOpenBadge.json")
    return doc


# --------------------------------------------------------------------------- identity


def test_hash_email_reproduces_the_spec_example() -> None:
    # OB 3.0 IdentityHash example: sha256 of "a@example.com" followed by the salt "Kosher".
    expected = "sha256$b5809d8a92f8858436d7e6b87c12ebc0ae1eac4baecc2c0b913aee2c922ef399"
    assert hash_email("a@example.com", "Kosher") == expected


def test_hash_email_lower_cases_and_strips_before_hashing() -> None:
    assert hash_email("  A@Example.COM\n", "Kosher") == hash_email("a@example.com", "Kosher")


def test_identity_matches_issuers_that_do_not_normalise() -> None:
    raw = "Ana@Example.com"
    digest = hashlib.sha256((raw + "pepper").encode()).hexdigest().upper()
    identity = IdentityObject(
        hashed=True, identity_hash=f"sha256${digest}", identity_type="emailAddress", salt="pepper"
    )
    assert identity.matches(raw)
    assert not identity.matches("other@example.com")
    assert not identity.matches(raw, identity_type="userName")


def test_identity_matches_md5_and_plaintext() -> None:
    md5 = "md5$" + hashlib.md5(b"bob@example.org").hexdigest()
    assert IdentityObject(hashed=True, identity_hash=md5, identity_type="emailAddress").matches(
        "bob@example.org"
    )
    plain = IdentityObject(
        hashed=False, identity_hash="Bob@Example.org", identity_type="emailAddress"
    )
    assert plain.matches("bob@example.org ")
    unknown = IdentityObject(hashed=True, identity_hash="sha1$00", identity_type="emailAddress")
    assert not unknown.matches("bob@example.org")


def test_hash_email_refuses_a_non_email() -> None:
    with pytest.raises(InputError, match="not an email"):
        hash_email("nobody", "salt")


@settings(max_examples=40, deadline=None)
@given(email=st.emails(), salt=st.text(max_size=20))
def test_for_email_round_trips(email: str, salt: str) -> None:
    identity = IdentityObject.for_email(email, salt)
    assert identity.identity_hash.startswith("sha256$")
    assert identity.matches(email.upper())
    assert not identity.matches("x" + email)


def test_for_email_uses_a_fresh_salt_each_time() -> None:
    first = IdentityObject.for_email("a@example.com")
    second = IdentityObject.for_email("a@example.com")
    assert first.salt != second.salt
    assert first.identity_hash != second.identity_hash


# --------------------------------------------------------------------------- parsing


def test_parse_full_example_exposes_typed_fields() -> None:
    credential = parse_credential(_full())
    assert credential.issuer_id == "https://1edtech.edu/issuers/565049"
    achievement = credential.achievement
    assert achievement.achievement_type == "Degree"
    assert achievement.alignment is not None and len(achievement.alignment) == 2
    subject = credential.credential_subject
    assert subject.identifier is not None and subject.identifier[0].matches("student@1edtech.edu")
    assert subject.credits_earned == 42.0
    assert credential.to_json()["credentialSubject"]["achievement"]["name"] == achievement.name


def test_single_values_are_accepted_where_arrays_are_allowed() -> None:
    doc = _simple()
    achievement = doc["credentialSubject"]["achievement"]
    achievement["type"] = "Achievement"
    achievement["alignment"] = {
        "type": "Alignment",
        "targetName": "X",
        "targetUrl": "https://x.org",
    }
    achievement["tag"] = "one"
    credential = parse_credential(doc)
    assert credential.achievement.type == ["Achievement"]
    assert credential.achievement.alignment is not None
    assert credential.achievement.alignment[0].target_name == "X"
    assert credential.achievement.tag == ["one"]


def test_issuer_may_be_a_uri_string() -> None:
    doc = _simple()
    doc["issuer"] = "https://example.edu/issuers/565049"
    credential = parse_credential(doc)
    assert credential.issuer == credential.issuer_id == "https://example.edu/issuers/565049"


def test_vc11_shaped_credentials_are_read() -> None:
    credential = parse_credential(read_json(VALIDATOR / "simple_v1.json"))
    assert credential.is_vc_v1
    assert credential.starts == credential.issuance_date is not None
    doc = read_json(VALIDATOR / "simple_v1.json")
    del doc["issuanceDate"]
    with pytest.raises(InputError) as err:
        parse_credential(doc)
    assert str(err.value) == "issuanceDate: field required"


def _mutated(change: Any) -> InputError:
    doc = _full()
    change(doc)
    with pytest.raises(InputError) as err:
        parse_credential(doc)
    return err.value


@pytest.mark.parametrize(
    ("change", "where", "words"),
    [
        (lambda d: d["credentialSubject"]["achievement"].pop("name"),
         "credentialSubject.achievement.name", "field required"),
        (lambda d: d["credentialSubject"]["identifier"][1].update(hashed="maybe"),
         "credentialSubject.identifier[1].hashed", "boolean"),
        (lambda d: d["credentialSubject"]["identifier"][0].update(extra=1),
         "credentialSubject.identifier[0].extra", "not permitted"),
        (lambda d: d.update(issuer=5), "issuer", "string"),
        (lambda d: d["issuer"].pop("id"), "issuer.id", "field required"),
        (lambda d: d.update(validFrom="2010-01-01T00:00:00"), "validFrom", "time zone"),
        (lambda d: d.update(validFrom="yesterday"), "validFrom", "ISO 8601"),
        (lambda d: d.pop("validFrom"), "validFrom", "field required"),
        (lambda d: d.update(type=["VerifiableCredential"]), "type", "OpenBadgeCredential"),
        (lambda d: d.update({"@context": ["https://www.w3.org/ns/credentials/v2"]}),
         "@context", "Open Badges 3.0 context"),
        (lambda d: d["credentialSubject"]["achievement"]["alignment"][0].pop("targetUrl"),
         "credentialSubject.achievement.alignment[0].targetUrl", "field required"),
        (lambda d: d["credentialSubject"].update(result=[{"type": ["Result"], "status": "Done"}]),
         "credentialSubject.result[0].status", "Completed"),
    ],
)  # fmt: skip
def test_malformed_credentials_name_the_json_path(change: Any, where: str, words: str) -> None:
    error = _mutated(change)
    assert error.where == where
    assert words in error.message
    assert str(error).startswith(f"{where}: ")


def test_non_object_documents_are_refused() -> None:
    with pytest.raises(InputError, match="expected a JSON object"):
        parse_credential([])  # type: ignore[arg-type]


# --------------------------------------------------------------------------- EU elements


def test_eu_elements_round_trip_through_achievement_properties() -> None:
    eu = EUElements(credit_points=2.5, eqf_level=5, participation_form=ParticipationForm.BLENDED)
    props = eu.achievement_properties()
    assert props == {
        "creditPoints": 2.5,
        "creditSystem": "ECTS",
        "eqfLevel": "http://data.europa.eu/snb/eqf/5",
        "participationForm": "Blended",
    }
    assert set(props) <= EU_TERMS
    assert EUElements.from_achievement(props) == eu


def test_eu_elements_are_read_back_from_a_built_credential() -> None:
    credential = parse_credential(sample_credential())
    eu = EUElements.from_achievement(credential.achievement)
    assert eu is not None
    assert (eu.credit_points, eu.eqf_level, eu.participation_form) == (5, 6, "Online")
    assert EUMicroCredential.from_credential(credential).missing() == []


@pytest.mark.parametrize(
    ("key", "value", "words"),
    [
        ("eqfLevel", "http://data.europa.eu/snb/eqf/9", "less than or equal to 8"),
        ("participationForm", "hybrid", "'Online', 'Onsite' or 'Blended'"),
        ("creditSystem", "SBU", "absolute IRI"),
        ("creditPoints", -1, "greater than 0"),
    ],
)
def test_invalid_eu_elements_name_the_property(key: str, value: Any, words: str) -> None:
    doc = sample_credential()
    doc["credentialSubject"]["achievement"][key] = value
    achievement = parse_credential(doc).achievement
    with pytest.raises(InputError) as err:
        EUElements.from_achievement(achievement)
    assert err.value.where == f"credentialSubject.achievement.{key}"
    assert words in err.value.message


def test_plain_open_badge_misses_every_eu_specific_element() -> None:
    credential = parse_credential(read_json(SPEC / "basicOpenBadgeCredential.json"))
    missing = EUMicroCredential.from_credential(credential).missing()
    assert missing == [
        "country/region of the issuer",
        "learning outcomes",
        "notional workload (ECTS credits or hours)",
        "level (EQF or NQF)",
        "type of assessment",
        "form of participation",
        "type of quality assurance",
    ]
    with pytest.raises(InputError, match="missing Annex I elements: country/region"):
        EUMicroCredential.from_credential(credential).check()


# --------------------------------------------------------------------------- the context


def _context() -> dict[str, Any]:
    context: dict[str, Any] = json.loads(CONTEXT_FILE.read_text(encoding="utf-8"))["@context"]
    return context


def test_context_defines_every_eu_term_with_an_absolute_iri() -> None:
    context = _context()
    assert context["@protected"] is True
    for term in EU_TERMS:
        definition = context[term]
        iri = definition if isinstance(definition, str) else definition["@id"]
        assert iri.startswith("https://w3id.org/microcred/vocab#"), term
    for value in ParticipationForm:
        assert context[value.value].startswith("https://w3id.org/microcred/vocab#")


def _all_terms(node: Any) -> set[str]:
    terms: set[str] = set()
    if isinstance(node, dict):
        for key, value in node.items():
            if not key.startswith("@"):
                terms.add(key)
            terms |= _all_terms(value.get("@context") if isinstance(value, dict) else None)
    return terms


def test_context_redefines_no_vc_or_ob_term() -> None:
    others: set[str] = set()
    for name in ("credentials-v2.jsonld", "ob-v3p0-context-3.0.3.json", "ob-v3p0-extensions.json"):
        others |= _all_terms(read_json(STANDARDS / "contexts" / name)["@context"])
    assert set(_context()) & others == set()


def test_context_is_served_by_the_bundled_loader_and_expands_after_ob() -> None:
    assert documentloader.load_context(MICROCRED_CONTEXT)["@context"] == _context()
    doc = sample_credential()
    # pyld raises "protected term redefinition" if the context clashed with VC/OB.
    expanded = jsonld.expand(doc, {"documentLoader": documentloader.pyld_loader})
    achievement = expanded[0]["https://www.w3.org/2018/credentials#credentialSubject"][0][
        "https://purl.imsglobal.org/spec/vc/ob/vocab.html#achievement"
    ][0]
    assert achievement["https://w3id.org/microcred/vocab#eqfLevel"] == [
        {"@id": "http://data.europa.eu/snb/eqf/6"}
    ]
    assert achievement["https://w3id.org/microcred/vocab#participationForm"] == [
        {"@id": "https://w3id.org/microcred/vocab#Online"}
    ]


def test_parsing_does_not_mutate_the_input() -> None:
    doc = _full()
    before = copy.deepcopy(doc)
    parse_credential(doc)
    assert doc == before


def test_achievement_constructor_defaults_its_type() -> None:
    from microcred.core.model import Criteria

    achievement = Achievement(
        id="urn:x", name="n", description="d", criteria=Criteria(narrative="x")
    )
    assert achievement.to_json()["type"] == ["Achievement"]


def test_reading_accepts_a_subject_without_recipient_but_says_so() -> None:
    # Credentials in the wild (DCC fixtures) name no recipient; reading them must work,
    # and the model must tell the verifier so that its report can say it.
    document = _full()
    document["credentialSubject"].pop("id", None)
    document["credentialSubject"].pop("identifier", None)
    assert not parse_credential(document).credential_subject.names_recipient
    assert parse_credential(_full()).credential_subject.names_recipient


def test_reading_accepts_several_status_entries_as_vc2_allows() -> None:
    document = _full()
    entry = {
        "id": "https://example.edu/status/1#5",
        "type": "BitstringStatusListEntry",
        "statusPurpose": "revocation",
        "statusListIndex": "5",
        "statusListCredential": "https://example.edu/status/1",
    }
    document["credentialStatus"] = [entry, {**entry, "statusPurpose": "suspension"}]
    parsed = parse_credential(document)
    assert isinstance(parsed.credential_status, list) and len(parsed.credential_status) == 2
