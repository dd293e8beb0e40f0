"""Learners with verified addresses, platform credentials issued to them, and an offline
verifier for the 1EdTech fixtures (their keys and status list, read in place from
../shared/standards)."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from contextlib import contextmanager
from typing import Any

import pytest
from allauth.account.models import EmailAddress  # type: ignore[import-untyped]
from django.contrib.auth import get_user_model
from django.test import Client
from tests.conftest import EXAMPLES
from tests.verify.fixtures import NOW, fragment_keys, offline_fetcher

from microcred.core.verify.fetcher import StaticFetcher
from microcred.core.verify.verifier import VerifyOptions
from microcred.credentials import services as credential_services
from microcred.credentials.models import IssuedCredential

# Re-exported explicitly: the fixtures used here, and by apps that build on the wallet's.
from microcred.credentials.tests.conftest import definition as definition
from microcred.credentials.tests.conftest import make_definition as make_definition
from microcred.credentials.tests.conftest import provider as provider
from microcred.credentials.tests.conftest import staff as staff
from microcred.wallet import verifying

OB3 = EXAMPLES / "ob_v3p0" / "validator"
OB2 = EXAMPLES / "ob_v2p0" / "validator"
WORK, HOME = "ana@work.example", "ana.home@example.org"


def make_learner(name: str, *addresses: str) -> Any:
    user = get_user_model().objects.create_user(
        username=name, email=addresses[0], password="a long pass phrase 42"
    )
    for position, address in enumerate(addresses):
        EmailAddress.objects.create(user=user, email=address, verified=True, primary=position == 0)
    return user


@pytest.fixture
def learner(db: None) -> Any:
    """Ana: two verified addresses (home and work)."""
    return make_learner("ana", HOME, WORK)


@pytest.fixture
def other_learner(db: None) -> Any:
    return make_learner("bo", "bo@example.org")


@pytest.fixture
def ana(learner: Any) -> Client:
    client = Client()
    client.force_login(learner)
    return client


@pytest.fixture
def offline(monkeypatch: pytest.MonkeyPatch) -> Callable[..., None]:
    """Verify offline: the 1EdTech keys and status list, and the platform's own rows.
    Call it with ``now=`` to fix the clock (the fixtures' verdicts are dated)."""

    def install(now: Any = None) -> None:
        @contextmanager
        def options_for(document: dict[str, Any] | None) -> Iterator[VerifyOptions]:
            fetcher = verifying.PlatformFirstFetcher(StaticFetcher(), offline_fetcher())
            yield VerifyOptions(fetcher=fetcher, local_keys=fragment_keys(), now=now)

        monkeypatch.setattr(verifying, "options_for", options_for)

    return install


@pytest.fixture
def fixtures_offline(offline: Callable[..., None]) -> None:
    offline(now=NOW)


@pytest.fixture
def issue(request: pytest.FixtureRequest) -> Callable[..., IssuedCredential]:
    """Issue a platform credential (provider "uni", did:key) to an address."""
    definition_, staff_ = request.getfixturevalue("definition"), request.getfixturevalue("staff")

    def make(email: str = WORK, **options: Any) -> IssuedCredential:
        return credential_services.issue_credential(
            actor=staff_["owner"], definition=definition_, recipient_email=email, **options
        )

    return make
