"""Definitions: drafts, publishing, versioning after issuing, EU Annex I, achievement JSON."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.test import Client

from microcred.core.verify.report import VerificationReport
from microcred.credentials import services
from microcred.credentials.models import MicroCredentialDefinition as Definition
from microcred.credentials.tests.conftest import EU_ELEMENTS, fetch_json
from microcred.providers.models import AuditEvent

Make = Callable[..., Any]


def test_draft_edits_in_place_and_publish(make_definition: Make, staff: dict[str, Any]) -> None:
    draft = make_definition("py-1", publish=False)
    edited = services.update_definition(actor=staff["issuer"], definition=draft, name="Python I")
    assert (edited.pk, edited.version, edited.name) == (draft.pk, 1, "Python I")
    published = services.publish(actor=staff["owner"], definition=edited)
    assert published.status == "published"
    # Published but nothing issued yet: still edited in place.
    again = services.update_definition(
        actor=staff["owner"], definition=published, description="New"
    )
    assert (again.pk, again.version, again.status) == (draft.pk, 1, "published")
    actions = list(
        AuditEvent.objects.filter(action__startswith="definition.").values_list("action", flat=True)
    )
    assert actions == [
        "definition.created",
        "definition.updated",
        "definition.published",
        "definition.updated",
    ]


def test_edit_after_issuing_creates_a_new_version(
    definition: Any,
    staff: dict[str, Any],
    client: Client,
    verify: Callable[[dict[str, Any]], VerificationReport],
) -> None:
    issued = services.issue_credential(
        actor=staff["issuer"], definition=definition, recipient_email="ana@example.com"
    )
    old_document = issued.document
    old_achievement = fetch_json(client, "/achievements/uni/data-101/v1")
    new = services.update_definition(
        actor=staff["owner"], definition=definition, name="Data Analysis II"
    )
    assert (new.version, new.status, new.name) == (2, "published", "Data Analysis II")
    definition.refresh_from_db()
    assert (definition.version, definition.status, definition.name) == (
        1,
        "archived",
        "Data Analysis Fundamentals",
    )
    issued.refresh_from_db()
    assert issued.document == old_document and issued.definition_id == definition.pk
    # The old achievement id still resolves to what the old credential says.
    assert fetch_json(client, "/achievements/uni/data-101/v1") == old_achievement
    assert old_achievement == old_document["credentialSubject"]["achievement"]
    assert fetch_json(client, "/achievements/uni/data-101/v2")["name"] == "Data Analysis II"
    # The old credential still verifies (proof and status) after the edit.
    report = verify(old_document)
    assert report.verified, report.to_json()
    second = services.issue_credential(
        actor=staff["issuer"], definition=new, recipient_email="bo@example.com"
    )
    assert second.document["credentialSubject"]["achievement"]["id"].endswith("/v2")
    with pytest.raises(ValidationError):  # only the latest version can be edited
        services.update_definition(actor=staff["owner"], definition=definition, name="x")
    assert AuditEvent.objects.filter(action="definition.versioned").count() == 1


def test_eu_definition_needs_annex_elements_to_publish(
    make_definition: Make, staff: dict[str, Any]
) -> None:
    draft = make_definition("eu-1", publish=False, is_eu=True, learning_outcomes=[])
    with pytest.raises(ValidationError) as caught:
        services.publish(actor=staff["owner"], definition=draft)
    errors = caught.value.message_dict
    for field in (
        "learning_outcomes",
        "eu_elements.credit_points",
        "eu_elements.eqf_level",
        "eu_elements.assessment_type",
        "eu_elements.participation_form",
        "eu_elements.quality_assurance",
    ):
        assert field in errors, field
    draft.refresh_from_db()
    assert draft.status == "draft"
    complete = services.update_definition(
        actor=staff["owner"],
        definition=draft,
        eu_elements=EU_ELEMENTS,
        learning_outcomes=["Model data"],
    )
    assert services.publish(actor=staff["owner"], definition=complete).status == "published"
    # A published EU definition cannot lose a mandatory element.
    with pytest.raises(ValidationError) as caught:
        services.update_definition(
            actor=staff["owner"], definition=complete, eu_elements={"credit_points": 5}
        )
    assert "eu_elements.eqf_level" in caught.value.message_dict


def test_eu_credential_carries_the_elements(
    make_definition: Make,
    staff: dict[str, Any],
    verify: Callable[[dict[str, Any]], VerificationReport],
) -> None:
    definition = make_definition("eu-2", is_eu=True, eu_elements=EU_ELEMENTS)
    issued = services.issue_credential(
        actor=staff["issuer"], definition=definition, recipient_email="a@example.com"
    )
    achievement = issued.document["credentialSubject"]["achievement"]
    assert achievement["eqfLevel"] == "http://data.europa.eu/snb/eqf/6"
    assert achievement["creditPoints"] == 5 and achievement["participationForm"] == "Online"
    assert achievement["learningOutcomes"] == ["Clean a messy data set", "Choose a fitting chart"]
    assert "https://w3id.org/microcred/v1" in issued.document["@context"]
    report = verify(issued.document)
    assert [c.ok for c in report.checks if c.check == "proof"] == [True]


@pytest.mark.parametrize(
    ("fields", "field"),
    [
        ({"eu_elements": {"eqf_level": 11}}, "eu_elements"),
        ({"eu_elements": {"participation_form": "By pigeon"}}, "eu_elements"),
        ({"alignments": [{"targetUrl": "https://esco.example/s/1"}]}, "alignments"),
        ({"learning_outcomes": "one string"}, "learning_outcomes"),
        ({"colour": "red"}, "colour"),
        ({"slug": "Not A Slug!"}, "slug"),
    ],
)
def test_bad_definitions_name_the_field(
    make_definition: Make, fields: dict[str, Any], field: str
) -> None:
    with pytest.raises(ValidationError) as caught:
        make_definition(**({"slug": "bad-1"} | fields), publish=False)
    assert field in caught.value.message_dict
    assert not Definition.objects.exists()


def test_roles(make_definition: Make, staff: dict[str, Any], provider: Any) -> None:
    draft = make_definition("roles-1", publish=False)
    for user in (staff["viewer"], staff["outsider"]):
        with pytest.raises(PermissionDenied):
            services.create_definition(
                actor=user, provider=provider, slug="x", name="x", description="x"
            )
        with pytest.raises(PermissionDenied):
            services.update_definition(actor=user, definition=draft, name="x")
        with pytest.raises(PermissionDenied):
            services.publish(actor=user, definition=draft)
        with pytest.raises(PermissionDenied):
            services.archive(actor=user, definition=draft)
    draft.refresh_from_db()
    assert (draft.name, draft.status) == ("Data Analysis Fundamentals", "draft")


def test_slug_is_unique_per_provider(
    make_definition: Make, staff: dict[str, Any], other_provider: Any
) -> None:
    make_definition("dup-1")
    with pytest.raises(ValidationError):
        make_definition("dup-1")
    other = services.create_definition(
        actor=staff["outsider"],
        provider=other_provider,
        slug="dup-1",
        name="Other",
        description="d",
    )
    assert other.version == 1


def test_achievement_json_is_public_only_when_published(
    make_definition: Make, staff: dict[str, Any], client: Client
) -> None:
    draft = make_definition("ach-1", publish=False)
    assert client.get("/achievements/uni/ach-1/v1").status_code == 404
    services.publish(actor=staff["owner"], definition=draft)
    body = fetch_json(client, "/achievements/uni/ach-1/v1")
    assert body["id"] == "http://127.0.0.1:8000/achievements/uni/ach-1/v1"
    assert body["type"] == ["Achievement"] and body["achievementType"] == "MicroCredential"
    assert body["criteria"]["narrative"].startswith("Passed")
    assert body["alignment"][0]["targetFramework"] == "ESCO"
    assert client.get("/achievements/uni/ach-1/v2").status_code == 404
    assert client.get("/credentials/00000000-0000-0000-0000-000000000000").status_code == 404
