"""Staff of two providers, a published definition, and CSV files to issue."""

from __future__ import annotations

from typing import Any

import pytest

from microcred.credentials import services as credential_services
from microcred.credentials.models import MicroCredentialDefinition

# The same staff and providers as the credentials app's tests (fixtures re-exported).
from microcred.credentials.tests.conftest import other_provider, provider, staff
from microcred.providers.models import Provider

__all__ = ["other_provider", "provider", "staff"]


def make_definition(
    provider: Provider, owner: Any, slug: str = "data-101"
) -> MicroCredentialDefinition:
    definition = credential_services.create_definition(
        actor=owner,
        provider=provider,
        slug=slug,
        name="Data Analysis Fundamentals",
        description="Cleans, explores and visualises tabular data.",
        criteria_narrative="Passed the final project and the written exam.",
        learning_outcomes=["Clean a messy data set"],
    )
    return credential_services.publish(actor=owner, definition=definition)


@pytest.fixture
def definition(provider: Provider, staff: dict[str, Any]) -> MicroCredentialDefinition:
    return make_definition(provider, staff["owner"])


def learners_csv(count: int, *, start: int = 0, header: str = "email,narrative,result") -> bytes:
    lines = [header] + [
        f"learner{n}@example.com,Project {n},{'A' if n % 2 else 'B'}"
        for n in range(start, start + count)
    ]
    return ("\n".join(lines) + "\n").encode()
