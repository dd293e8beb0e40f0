"""Users and registry entries for the verification app's database tests."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest
from django.contrib.auth import get_user_model

from microcred.verification import services
from microcred.verification.models import TrustedIssuer


@pytest.fixture
def make_user(db: None) -> Callable[..., Any]:
    def make(name: str, **extra: Any) -> Any:
        return get_user_model().objects.create_user(
            username=name, email=f"{name}@example.org", password="x-unused-x", **extra
        )

    return make


@pytest.fixture
def operator(make_user: Callable[..., Any]) -> Any:
    return make_user("root", is_superuser=True, is_staff=True)


@pytest.fixture
def make_issuer(operator: Any) -> Callable[..., TrustedIssuer]:
    def make(name: str, **fields: Any) -> TrustedIssuer:
        values: dict[str, Any] = {"vetting_method": "accreditation", "vetted_by": "NVAO"}
        values.update(fields)
        return services.create_trusted_issuer(actor=operator, name=name, **values)

    return make
