"""A small catalog world for the catalog tests: provider "uni" (owner, issuer, viewer),
provider "acme", a few demo-like skills, and published definitions to earn."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

import pytest

from microcred.credentials import services as definitions
from microcred.credentials.models import MicroCredentialDefinition
from microcred.credentials.tests.conftest import make_provider, make_user
from microcred.providers import services as provider_services
from microcred.providers.models import Provider
from microcred.skills import catalog
from microcred.skills.models import Offering, Skill

SKILL = "urn:microcred:test:skill:"


@dataclass
class World:
    users: dict[str, Any]
    uni: Provider
    acme: Provider
    definitions: dict[str, MicroCredentialDefinition] = field(default_factory=dict)

    def offer(self, slug: str, *, publish: bool = True, **fields: Any) -> Offering:
        values: dict[str, Any] = {"title": slug.replace("-", " ").title(), "hours": 10}
        values.update(fields)
        owner = self.users["owner"]
        made = catalog.create_offering(actor=owner, provider=self.uni, slug=slug, **values)
        return catalog.publish_offering(actor=owner, offering=made) if publish else made


def _definition(world: World, slug: str, skills: list[str], *, publish: bool = True) -> None:
    made = definitions.create_definition(
        actor=world.users["owner"], provider=world.uni, slug=slug, name=slug.title(),
        description="A course.", criteria_narrative="Passed.",
        alignments=[{"targetName": s, "targetUrl": SKILL + s} for s in skills],
        eu_elements={"eqf_level": 5, "credit_points": 3},
    )  # fmt: skip
    if publish:
        made = definitions.publish(actor=world.users["owner"], definition=made)
    world.definitions[slug] = made


@pytest.fixture(name="world")
def catalog_world(db: None) -> World:
    users = {n: make_user(n) for n in ("owner", "issuer", "viewer", "outsider")}
    w = World(
        users=users,
        uni=make_provider("uni", users["owner"], name="Uni of Data"),
        acme=make_provider("acme", users["outsider"], name="Acme Academy"),
    )
    for role in ("issuer", "viewer"):
        provider_services.add_member(
            actor=w.users["owner"], provider=w.uni, user=w.users[role], role=role
        )
    for slug, label in (("sql", "SQL querying"), ("stats", "descriptive statistics"),
                        ("python", "Python programming")):  # fmt: skip
        Skill.objects.create(scheme="custom", code=slug, uri=SKILL + slug, label=label)
    Skill.objects.create(
        scheme="esco", code="e1", uri="http://data.europa.eu/esco/skill/e1", label="use databases"
    )
    _definition(w, "sql-course", ["sql"])
    _definition(w, "stats-course", ["stats", "unknown-skill"])
    _definition(w, "draft-course", ["sql"], publish=False)
    return w
