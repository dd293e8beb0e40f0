"""Users and providers for the providers app's database tests."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest
from django.contrib.auth import get_user_model

from microcred.providers import services
from microcred.providers.models import Provider

HTTPS_BASE = "https://issuers.example.edu"


@pytest.fixture
def make_user(db: None) -> Callable[[str], Any]:
    def make(name: str, **extra: Any) -> Any:
        return get_user_model().objects.create_user(
            username=name, email=f"{name}@example.org", password="x-unused-x", **extra
        )

    return make


@pytest.fixture
def make_provider(make_user: Callable[[str], Any]) -> Callable[..., Provider]:
    def make(slug: str, owner: Any = None, **fields: Any) -> Provider:
        values: dict[str, Any] = {
            "name": f"{slug.title()} Academy",
            "legal_name": f"{slug.title()} Academy B.V.",
            "country": "NL",
            "did_method": "web",
        }
        values.update(fields)
        return services.create_provider(
            actor=owner or make_user(f"{slug}-owner"), slug=slug, **values
        )

    return make
