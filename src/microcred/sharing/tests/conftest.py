"""Ana's wallet for sharing: three credentials claimed on this platform (distinct names) and
one imported 1EdTech credential; Bo is another learner. Fixtures come from the wallet's and
the credentials app's test helpers."""

from __future__ import annotations

import pytest

from microcred.credentials import services as credential_services
from microcred.delivery.services import claim_all_for_user
from microcred.wallet import services as wallet_services
from microcred.wallet.tests.conftest import (  # noqa: F401  (fixtures used here)
    OB3,
    WORK,
    ana,
    definition,
    fixtures_offline,
    learner,
    make_definition,
    offline,
    other_learner,
    provider,
    staff,
)

NAMES = ("SQL Basics", "Python Basics", "Data Visualisation")
IMPORTED = "Teamwork"  # the 1EdTech example's achievement (simple.json)


@pytest.fixture
def wallet(request: pytest.FixtureRequest) -> dict[str, str]:
    """Name -> wallet key of each of Ana's four credentials (verified offline at the
    1EdTech fixtures' date)."""
    request.getfixturevalue("fixtures_offline")
    learner_ = request.getfixturevalue("learner")
    make = request.getfixturevalue("make_definition")
    owner = request.getfixturevalue("staff")["owner"]
    keys = {}
    for number, name in enumerate(NAMES):
        definition_ = make(f"course-{number}", name=name)
        issued = credential_services.issue_credential(
            actor=owner, definition=definition_, recipient_email=WORK
        )
        keys[name] = "c" + issued.credential_id.removeprefix("urn:uuid:")
    claim_all_for_user(learner_)
    [result] = wallet_services.import_bytes(
        learner_, (OB3 / "simple.json").read_bytes(), source="upload", name="simple.json"
    )
    assert result.item is not None and result.item.verdict == "valid", result.message
    keys[IMPORTED] = f"w{result.item.pk}"
    return keys
