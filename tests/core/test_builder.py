"""The credential builder: contexts, recipient, validity, EU elements, and no undefined term
ever reaching a document that will be signed."""

from __future__ import annotations

import json
import re
from datetime import UTC, datetime, timedelta, timezone
from pathlib import Path
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from pyld import jsonld

from microcred.core.crypto.rdfc import canonicalize
from microcred.core.errors import InputError, UndefinedTermError
from microcred.core.model import (
    MICROCRED_CONTEXT,
    OB_EXTENSIONS_CONTEXT,
    Achievement,
    Criteria,
    EUElements,
    IdentityObject,
    ParticipationForm,
    SupervisionVerification,
    build_credential,
    build_endorsement,
    build_from_template,
    credential_template,
    parse_credential,
    sample_achievement,
    sample_credential,
    sample_eu_elements,
    sample_issuer,
)
from tests.conftest import STANDARDS

REPO_CONTEXTS = Path(__file__).resolve().parents[2] / "src/microcred/core/crypto/contexts"
XSD_DOUBLE = "<http://www.w3.org/2001/XMLSchema#double>"


def _plain(**overrides: Any) -> dict[str, Any]:
    args: dict[str, Any] = {
        "issuer": sample_issuer(),
        "achievement": sample_achievement(),
        "recipient_email": "learner@example.com",
    }
    args.update(overrides)
    return build_credential(**args)


# --------------------------------------------------------------------------- an independent
# check, not using microcred's rdfc: expand with plain pyld over the *published* context files
# in ../shared (plus our own context) and count what survives expansion.


def _shared_loader(url: str, options: Any = None) -> dict[str, Any]:
    index = json.loads((REPO_CONTEXTS / "index.json").read_text(encoding="utf-8"))
    name = index[url]  # KeyError = an unknown context: a test failure, never a fetch
    path = STANDARDS / "contexts" / name
    if not path.is_file():
        path = REPO_CONTEXTS / name  # microcred's own context lives only in the repo
    document = json.loads(path.read_text(encoding="utf-8"))
    return {"contextUrl": None, "documentUrl": url, "document": document}


def _compact_entries(node: Any) -> int:
    """Properties (not keywords, not id/type) with a non-null value, recursively."""
    if isinstance(node, list):
        return sum(_compact_entries(item) for item in node)
    if not isinstance(node, dict):
        return 0
    count = 0
    for key, value in node.items():
        if key in ("@context", "id", "type") or value is None:
            continue
        count += 1 + _compact_entries(value)
    return count


def _expanded_entries(node: Any, bad: list[str]) -> int:
    if isinstance(node, list):
        return sum(_expanded_entries(item, bad) for item in node)
    if not isinstance(node, dict):
        return 0
    count = 0
    for key, value in node.items():
        if key in ("@id", "@type"):
            for iri in value if isinstance(value, list) else [value]:
                if not re.match(r"^[a-zA-Z][a-zA-Z0-9+.-]*:", iri) or "example.org/base" in iri:
                    bad.append(iri)
        elif not key.startswith("@"):
            count += 1
            count += _expanded_entries(value, bad)
        else:
            count += _expanded_entries(value, bad)
    return count


def assert_nothing_dropped(document: dict[str, Any]) -> None:
    expanded = jsonld.expand(document, {"documentLoader": _shared_loader, "base": ""})
    relative: list[str] = []
    assert _expanded_entries(expanded, relative) == _compact_entries(document)
    assert relative == []


def test_the_independent_check_can_fail() -> None:
    document = sample_credential()
    document["credentialSubject"]["achievement"]["ectsCredits"] = 5
    with pytest.raises(AssertionError):
        assert_nothing_dropped(document)
    document = sample_credential()
    document["credentialSubject"]["achievement"]["participationForm"] = "hybrid"
    with pytest.raises(AssertionError):
        assert_nothing_dropped(document)
    with pytest.raises(UndefinedTermError):
        canonicalize(document)


def _variants() -> list[dict[str, Any]]:
    status = {
        "id": "https://example.edu/status/1#94567",
        "type": "BitstringStatusListEntry",
        "statusPurpose": "revocation",
        "statusListIndex": "94567",
        "statusListCredential": "https://example.edu/status/1",
    }
    return [
        sample_credential(),
        _plain(),
        _plain(issuer="did:key:z6MkrJVnaZkeFzdQyMZu1cgjg7k1pZZ6pvBQ7XJPt4swbTQ2",
               recipient_email=None, recipient_id="did:example:learner"),
        _plain(credential_status=status, valid_until="2030-01-01T00:00:00+01:00",
               evidence=[{"type": ["Evidence"], "id": "https://example.edu/e/1", "name": "Project"}],
               narrative="Built a *reporting* database.", name="SQL for Ana"),
        _plain(eu=EUElements(notional_workload_hours=30, nqf_level="NLQF 5",
                             participation_form=ParticipationForm.ONSITE,
                             assessment_type="Oral exam", quality_assurance="ISO 9001",
                             learning_outcomes="Explain joins")),
    ]  # fmt: skip


@pytest.mark.parametrize("index", range(5))
def test_built_credentials_lose_no_term(index: int) -> None:
    document = _variants()[index]
    assert_nothing_dropped(document)
    canonicalize(document)  # microcred's safe mode: raises on undefined terms


def test_eu_values_become_typed_literals_and_iris() -> None:
    eu = sample_eu_elements().model_copy(update={"credit_points": 2.5})
    nquads = canonicalize(_plain(eu=eu))
    vocab = "https://w3id.org/microcred/vocab#"
    assert f'<{vocab}creditPoints> "2.5E0"^^{XSD_DOUBLE}' in nquads
    assert f'<{vocab}notionalWorkloadHours> "1.4E2"^^{XSD_DOUBLE}' in nquads
    assert f"<{vocab}eqfLevel> <http://data.europa.eu/snb/eqf/6>" in nquads
    assert f"<{vocab}participationForm> <{vocab}Online>" in nquads
    assert f"<{vocab}supervisionVerification> <{vocab}SupervisedWithIdentityVerification>" in nquads
    assert (
        f"<{vocab}creditSystem> <http://data.europa.eu/snb/education-credit/6fcec5c5af>" in nquads
    )


_text = st.text(st.characters(codec="utf-8", exclude_categories=("Cs",)), min_size=1, max_size=30)


@settings(max_examples=25, deadline=None)
@given(
    name=_text,
    credits=st.one_of(st.none(), st.integers(1, 600).map(lambda n: n / 4)),
    eqf=st.integers(1, 8),
    form=st.sampled_from(list(ParticipationForm)),
    supervision=st.one_of(st.none(), st.sampled_from(list(SupervisionVerification))),
    outcomes=st.lists(_text, min_size=1, max_size=3),
    email=st.emails(),
)
def test_generated_credentials_lose_no_term(
    name: str,
    credits: float | None,
    eqf: int,
    form: ParticipationForm,
    supervision: SupervisionVerification | None,
    outcomes: list[str],
    email: str,
) -> None:
    eu = EUElements(
        credit_points=credits,
        notional_workload_hours=None if credits else 12,
        eqf_level=eqf,
        participation_form=form,
        supervision_verification=supervision,
        assessment_type=name,
        quality_assurance=name,
        learning_outcomes=outcomes,
    )
    achievement = sample_achievement().model_copy(update={"name": name, "description": name})
    document = build_credential(
        issuer=sample_issuer(), achievement=achievement, recipient_email=email, eu=eu, name=name
    )
    assert_nothing_dropped(document)
    canonicalize(document)


# --------------------------------------------------------------------------- the document


def test_contexts_and_schema() -> None:
    plain, eu = _plain(), sample_credential()
    base = [
        "https://www.w3.org/ns/credentials/v2",
        "https://purl.imsglobal.org/spec/ob/v3p0/context-3.0.3.json",
        OB_EXTENSIONS_CONTEXT,
    ]
    assert plain["@context"] == base
    assert eu["@context"] == [*base, MICROCRED_CONTEXT]
    assert plain["type"] == ["VerifiableCredential", "OpenBadgeCredential"]
    assert plain["credentialSchema"] == [
        {
            "id": "https://purl.imsglobal.org/spec/ob/v3p0/schema/json/"
            "ob_v3p0_achievementcredential_schema.json",
            "type": "1EdTechJsonSchemaValidator2019",
        }
    ]
    assert "creditPoints" not in json.dumps(plain)


def test_ids_and_dates() -> None:
    before = datetime.now(UTC).replace(microsecond=0)
    document = _plain()
    assert re.fullmatch(r"urn:uuid:[0-9a-f-]{36}", document["id"])
    assert re.fullmatch(r"\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ", document["validFrom"])
    assert datetime.fromisoformat(document["validFrom"]) >= before
    assert _plain()["id"] != document["id"]
    cet = timezone(timedelta(hours=1))
    fixed = _plain(credential_id="https://example.edu/c/1",
                   valid_from=datetime(2025, 3, 1, 10, 30, 15, 999, tzinfo=cet),
                   valid_until="2026-03-01T09:30:15+00:00")  # fmt: skip
    assert fixed["id"] == "https://example.edu/c/1"
    assert (fixed["validFrom"], fixed["validUntil"]) == (
        "2025-03-01T09:30:15Z",
        "2026-03-01T09:30:15Z",
    )


@pytest.mark.parametrize(
    ("overrides", "where"),
    [
        ({"valid_from": "2025-01-02T00:00:00Z", "valid_until": "2025-01-01T00:00:00Z"},
         "validUntil"),
        ({"valid_from": datetime(2025, 1, 1)}, "validFrom/validUntil"),
        ({"valid_from": "2025-01-01"}, "validFrom"),
        ({"recipient_email": None}, "recipient"),
        ({"recipient_email": "not-an-email"}, "recipient email"),
        ({"evidence": [{"type": "Nope"}]}, "evidence[0].type"),
        ({"result": [{"type": ["Result"], "status": "Done"}]}, "credentialSubject.result[0].status"),
        ({"credential_status": {"id": "x"}}, "credentialStatus.type"),
    ],
)  # fmt: skip
def test_bad_arguments_are_input_errors(overrides: dict[str, Any], where: str) -> None:
    with pytest.raises(InputError) as err:
        _plain(**overrides)
    assert err.value.where == where


def test_recipient_is_a_salted_hash_that_matches_the_email() -> None:
    document = _plain(recipient_email="Ana@Example.com", salt="s1")
    (identifier,) = document["credentialSubject"]["identifier"]
    assert identifier["salt"] == "s1" and identifier["hashed"] is True
    assert "ana@example.com" not in json.dumps(document).lower()
    assert IdentityObject.model_validate(identifier).matches("ana@example.com")
    other = _plain(recipient_email="Ana@Example.com")
    assert other["credentialSubject"]["identifier"][0]["salt"] != "s1"


def test_unknown_extension_properties_are_refused() -> None:
    achievement = sample_achievement().model_copy(update={})
    broken = Achievement.model_validate({**achievement.to_json(), "ectsCredits": 5})
    with pytest.raises(InputError) as err:
        _plain(achievement=broken)
    assert err.value.where == "achievement.ectsCredits"
    issuer = sample_issuer().model_copy()
    with pytest.raises(InputError) as err:
        _plain(issuer=issuer.model_validate({**issuer.to_json(), "vat": "NL1"}))
    assert err.value.where == "issuer.vat"


def test_eu_elements_mark_a_micro_credential() -> None:
    bare = Achievement(id="urn:x", name="n", description="d", criteria=Criteria(narrative="c"))
    document = _plain(achievement=bare, eu=sample_eu_elements())
    achievement = document["credentialSubject"]["achievement"]
    assert achievement["achievementType"] == "MicroCredential"
    assert achievement["creditsAvailable"] == 5
    assert parse_credential(document).achievement.credits_available == 5


def test_incomplete_eu_micro_credentials_are_refused_with_the_missing_elements() -> None:
    with pytest.raises(InputError) as err:
        _plain(issuer="https://example.edu/issuers/1", eu=EUElements(credit_points=5))
    message = err.value.message
    for element in ("country/region of the issuer", "awarding body", "learning outcomes",
                    "level (EQF or NQF)", "type of assessment", "form of participation",
                    "type of quality assurance"):  # fmt: skip
        assert element in message
    assert "notional workload" not in message


def test_endorsement_builder() -> None:
    document = build_endorsement(
        issuer=sample_issuer("https://accreditor.example/1"),
        subject_id="https://example.edu/issuers/1",
        name="Accredited institution",
        comment="In good standing",
        valid_until="2030-01-01T00:00:00Z",
    )
    assert document["type"] == ["VerifiableCredential", "EndorsementCredential"]
    assert document["credentialSubject"]["endorsementComment"] == "In good standing"
    assert document["credentialSchema"][0]["id"].endswith("endorsementcredential_schema.json")
    assert_nothing_dropped(document)
    canonicalize(document)


def test_reissuing_a_parsed_eu_achievement_keeps_the_microcred_context() -> None:
    achievement = parse_credential(sample_credential()).achievement
    document = build_credential(
        issuer=sample_issuer(), achievement=achievement, recipient_email="c@example.com"
    )
    assert document["@context"][-1] == MICROCRED_CONTEXT
    assert document["credentialSubject"]["achievement"]["eqfLevel"].endswith("/eqf/6")
    assert_nothing_dropped(document)


# ------------------------------------------------------------------- templates (batch issuing)


def test_template_credentials_equal_one_off_credentials_and_share_nothing() -> None:
    eu = sample_eu_elements()
    template = credential_template(issuer=sample_issuer(), achievement=sample_achievement(), eu=eu)
    common: dict[str, Any] = {
        "recipient_email": "ana@example.com",
        "credential_id": "urn:uuid:1",
        "valid_from": "2025-03-01T09:30:15Z",
        "salt": "s1",
        "result": [{"type": ["Result"], "value": "A"}],
    }
    first = build_from_template(template, **common)
    one_off = build_credential(
        issuer=sample_issuer(), achievement=sample_achievement(), eu=eu, **common
    )
    assert first == one_off
    parse_credential(first)
    second = build_from_template(template, **{**common, "recipient_email": "bo@example.com"})
    first["credentialSubject"]["achievement"]["name"] = "changed"
    first["issuer"]["name"] = "changed"
    assert second["credentialSubject"]["achievement"]["name"] == sample_achievement().name
    assert second["issuer"]["name"] == sample_issuer().name
    assert template.achievement["name"] == sample_achievement().name


def test_a_template_is_checked_when_made_and_rows_check_what_differs() -> None:
    with pytest.raises(InputError, match="awarding body"):
        credential_template(issuer="https://example.edu/issuers/1",
                            achievement=sample_achievement(), eu=EUElements(credit_points=5))  # fmt: skip
    template = credential_template(issuer=sample_issuer(), achievement=sample_achievement())
    with pytest.raises(InputError) as err:
        build_from_template(template, recipient_id="not a uri")
    assert err.value.where == "credentialSubject.id"
    with pytest.raises(InputError) as err:
        build_from_template(template, recipient_email="x@example.com", evidence=[{"type": "No"}])
    assert err.value.where == "evidence[0].type"
