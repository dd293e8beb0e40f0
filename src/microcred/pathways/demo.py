"""The demo's pathway: Utrecht's "Data Analytics micro-degree" of four micro-credentials
(called by ``platform.seed``; idempotent). One demo learner holds three of the four."""

from __future__ import annotations

from typing import Any

from microcred.credentials import achievements
from microcred.credentials.models import MicroCredentialDefinition
from microcred.delivery.services import claim_all_for_user
from microcred.pathways import evaluation, services
from microcred.pathways.models import PathwayDefinition
from microcred.providers.models import Provider

SLUG = "data-analytics"
COMPONENTS = ("sql-basics", "data-visualisation", "python-for-analysts", "research-ethics")


def source_for(provider: Provider, policy: str = "suspend") -> str:
    """The pathway's YAML, naming the provider's four achievements by their ids."""
    lines = [
        f"id: {SLUG}",
        "name: Data Analytics micro-degree",
        "description: Four micro-credentials that add up to a micro-degree in data analytics.",
        f"revocationPolicy: {policy}",
        "requirement:",
        "  type: all",
        "  children:",
    ]
    for slug in COMPONENTS:
        definition = (
            MicroCredentialDefinition.objects.filter(provider=provider, slug=slug)
            .order_by("-version")
            .first()
        )
        assert definition is not None, slug
        lines += [
            "    - type: achievement",
            f"      title: {definition.name}",
            f"      achievementId: {achievements.achievement_id(definition)}",
        ]
    return "\n".join(lines) + "\n"


def seed_pathway(provider: Provider, owner: Any, learners: list[Any]) -> PathwayDefinition:
    """Publish the pathway once and evaluate the demo learners now (not by the background
    job, so that `make demo` shows the award without a worker running)."""
    found = PathwayDefinition.objects.filter(provider=provider, slug=SLUG).first()
    if found is not None:
        return found
    row = services.save_pathway(actor=owner, provider=provider, source=source_for(provider))
    row = services.publish_pathway(actor=owner, pathway=row)
    for learner in learners:
        evaluation.evaluate_learner(learner, [row])
        claim_all_for_user(learner)  # an award lands in the wallet like the demo's others
    return row
