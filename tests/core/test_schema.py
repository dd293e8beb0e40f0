"""Everything microcred builds validates against the published OB 3.0 JSON Schemas (read from
../shared at run time, offline), and the model reads every published OB 3.0 example."""

from __future__ import annotations

from functools import cache
from pathlib import Path
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from jsonschema import Draft201909Validator

from microcred.core.errors import InputError
from microcred.core.model import (
    EUElements,
    IntegrationOption,
    ParticipationForm,
    build_credential,
    build_endorsement,
    parse_credential,
    parse_endorsement,
    sample_achievement,
    sample_credential,
    sample_issuer,
)
from tests.conftest import EXAMPLES, STANDARDS, read_json

SCHEMAS = STANDARDS / "schemas" / "ob_v3p0"
OB_EXAMPLES = sorted((EXAMPLES / "ob_v3p0" / "spec").glob("*.json")) + sorted(
    (EXAMPLES / "ob_v3p0" / "validator").glob("*.json")
)
#: Fixtures that are structurally not OB 3.0 credentials, and where the model says so.
MALFORMED = {
    "simple-err-type.json": "type",  # type OtherCredential instead of OpenBadgeCredential
    "simple-noproof.json": "credentialSubject.achievement",  # the subject has no achievement
}


@cache
def _validator(name: str) -> Draft201909Validator:
    schema = read_json(SCHEMAS / f"ob_v3p0_{name}_schema.json")
    Draft201909Validator.check_schema(schema)
    return Draft201909Validator(schema)


def schema_errors(document: dict[str, Any], name: str = "achievementcredential") -> list[str]:
    return [
        f"{'/'.join(map(str, error.absolute_path))}: {error.message}"
        for error in _validator(name).iter_errors(document)
    ]


def _variants() -> list[dict[str, Any]]:
    status = {
        "id": "https://example.edu/status/1#7",
        "type": "BitstringStatusListEntry",
        "statusPurpose": "suspension",
        "statusListIndex": "7",
        "statusListCredential": "https://example.edu/status/1",
    }
    common: dict[str, Any] = {"issuer": sample_issuer(), "achievement": sample_achievement()}
    return [
        sample_credential(),
        build_credential(**common, recipient_email="a@example.com"),
        build_credential(**common, recipient_id="did:example:123", recipient_email=None),
        build_credential(
            issuer="https://example.edu/issuers/1",
            achievement=sample_achievement(),
            recipient_email="b@example.com",
            recipient_id="did:example:456",
            credential_status=status,
            valid_until="2031-01-01T00:00:00Z",
            evidence=[{"type": "Evidence", "narrative": "Passed with honours"}],
            result=[{"type": "Result", "status": "Completed"}],
            narrative="Completed the course",
        ),
    ]


def test_the_schema_check_can_fail() -> None:
    document = sample_credential()
    del document["issuer"]
    document["credentialSubject"]["identifier"][0]["hashed"] = "yes"
    errors = schema_errors(document)
    assert any("'issuer' is a required property" in error for error in errors)
    assert any(error.startswith("credentialSubject/identifier: ") for error in errors)


@pytest.mark.parametrize("index", range(4))
def test_built_credentials_validate(index: int) -> None:
    assert schema_errors(_variants()[index]) == []


_words = st.text(st.characters(codec="utf-8", exclude_categories=("Cs",)), min_size=1, max_size=40)


@settings(max_examples=30, deadline=None)
@given(
    name=_words,
    email=st.one_of(st.none(), st.emails()),
    credits=st.one_of(st.none(), st.integers(1, 240).map(lambda n: n / 2)),
    form=st.sampled_from(list(ParticipationForm)),
    option=st.one_of(st.none(), st.sampled_from(list(IntegrationOption))),
    eqf=st.one_of(st.none(), st.integers(1, 8)),
    with_eu=st.booleans(),
)
def test_generated_credentials_validate(
    name: str,
    email: str | None,
    credits: float | None,
    form: ParticipationForm,
    option: IntegrationOption | None,
    eqf: int | None,
    with_eu: bool,
) -> None:
    eu = EUElements(
        credit_points=credits,
        notional_workload_hours=None if credits else 25,
        eqf_level=eqf,
        nqf_level=None if eqf else "Level 4",
        participation_form=form,
        integration_option=option,
        assessment_type=name,
        quality_assurance=name,
        learning_outcomes=[name],
    )
    document = build_credential(
        issuer=sample_issuer(),
        achievement=sample_achievement().model_copy(update={"name": name}),
        recipient_email=email,
        recipient_id=None if email else "did:example:learner",
        eu=eu if with_eu else None,
        name=name,
    )
    assert schema_errors(document) == []


def test_endorsements_validate() -> None:
    document = build_endorsement(
        issuer=sample_issuer("https://accreditor.example/1"),
        subject_id="https://example.edu/achievements/data-analysis-sql",
        name="Quality label",
        comment="Meets the quality label criteria",
    )
    assert schema_errors(document, "endorsementcredential") == []
    del document["name"]
    assert schema_errors(document, "endorsementcredential") != []


@pytest.mark.parametrize("path", OB_EXAMPLES, ids=lambda p: f"{p.parent.name}/{p.name}")
def test_published_examples_parse(path: Path) -> None:
    document = read_json(path)
    if path.name in MALFORMED:
        with pytest.raises(InputError) as err:
            parse_credential(document)
        assert err.value.where == MALFORMED[path.name]
        return
    if "EndorsementCredential" in document["type"]:
        endorsement = parse_endorsement(document)
        assert endorsement.credential_subject.id
        return
    credential = parse_credential(document)
    assert credential.achievement.name == document["credentialSubject"]["achievement"]["name"]
    assert credential.issuer_id
    assert credential.starts is not None


def test_every_example_is_accounted_for() -> None:
    # Guards against the glob silently matching nothing if ../shared moves.
    assert len(OB_EXAMPLES) >= 24
    names = {path.name for path in OB_EXAMPLES}
    assert set(MALFORMED) <= names
