"""Hand-built learners with platform credentials aligned to a small skill vocabulary."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest
from allauth.account.models import EmailAddress  # type: ignore[import-untyped]

from microcred.credentials import issuing
from microcred.credentials import services as credentials
from microcred.credentials.models import IssuedCredential, MicroCredentialDefinition
from microcred.credentials.tests.conftest import EU_ELEMENTS, make_provider, make_user
from microcred.skills.models import Occupation, OccupationSkill, Skill
from microcred.talent import employers
from microcred.talent.models import Employer, Role

SLUGS = ("sql", "data-cleaning", "statistics", "data-visualisation", "python-programming")


def uri(slug: str) -> str:
    return f"urn:microcred:demo:skill:{slug}"


@pytest.fixture
def skills(db: None) -> dict[str, Skill]:
    return {
        slug: Skill.objects.create(
            scheme="custom", code=slug, uri=uri(slug), label=slug.replace("-", " "), release="t"
        )
        for slug in SLUGS
    }


@pytest.fixture
def occupation(skills: dict[str, Skill]) -> Occupation:
    found = Occupation.objects.create(
        scheme="custom",
        code="data-analyst",
        uri="urn:microcred:demo:occupation:data-analyst",
        label="data analyst",
        release="t",
    )
    for slug in ("sql", "data-cleaning", "statistics"):
        OccupationSkill.objects.create(
            occupation=found, skill=skills[slug], relation="essential", importance=1.0, level=5
        )
    OccupationSkill.objects.create(
        occupation=found, skill=skills["python-programming"], relation="optional", importance=0.3
    )
    return found


@pytest.fixture
def issuer(db: None) -> Any:
    owner = make_user("issuer-owner")
    make_provider("uni", owner)
    return owner


@pytest.fixture
def definition_for(issuer: Any) -> Callable[..., MicroCredentialDefinition]:
    """A published definition aligned to the given skill slugs, at an EQF level."""

    def make(*slugs: str, level: int = 6) -> MicroCredentialDefinition:
        provider = issuer.provider_memberships.get().provider
        definition = credentials.create_definition(
            actor=issuer,
            provider=provider,
            slug="-".join(slugs)[:50] + f"-{level}",
            name=" and ".join(slugs).title(),
            description="Aligned to " + ", ".join(slugs),
            criteria_narrative="Passed the exam.",
            learning_outcomes=["Does it"],
            alignments=[
                {"targetName": s, "targetUrl": uri(s), "targetFramework": "demo"} for s in slugs
            ],
            eu_elements=EU_ELEMENTS | {"eqf_level": level},
        )
        return credentials.publish(actor=issuer, definition=definition)

    return make


@pytest.fixture
def learner(db: None) -> Callable[[str], Any]:
    def make(name: str) -> Any:
        user = make_user(name)
        EmailAddress.objects.create(user=user, email=user.email, verified=True, primary=True)
        return user

    return make


@pytest.fixture
def give(issuer: Any) -> Callable[..., IssuedCredential]:
    def issue(user: Any, definition: MicroCredentialDefinition, **options: Any) -> Any:
        return issuing.issue_credential(
            actor=issuer, definition=definition, recipient_email=user.email, **options
        )

    return issue


@pytest.fixture
def acme(db: None) -> tuple[Employer, Any]:
    owner = make_user("acme-owner")
    return employers.create_employer(actor=owner, name="Acme Analytics"), owner


@pytest.fixture
def analyst_role(acme: tuple[Employer, Any], skills: dict[str, Skill]) -> Role:
    employer, owner = acme
    spec = employers.SkillSpec
    return employers.create_role(
        actor=owner,
        employer=employer,
        title="junior data analyst",
        skills=[
            spec(uri("sql"), must_have=True, weight=1.0, min_level=5),
            spec(uri("data-cleaning"), must_have=True, weight=1.0, min_level=5),
            spec(uri("statistics"), weight=0.8, min_level=5),
            spec(uri("data-visualisation"), weight=0.5),
        ],
    )
