"""A pathway of one provider that needs a credential of another provider and one imported
external credential: it completes, awards a stacked credential that verifies, and authoring
errors name their place (API, CLI)."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest
from allauth.account.models import EmailAddress  # type: ignore[import-untyped]
from django.contrib.auth import get_user_model
from typer.testing import CliRunner

from microcred.cli.main import app
from microcred.core.crypto.keys import Ed25519KeyPair
from microcred.core.crypto.suites.base import sign_credential
from microcred.core.model.builder import build_credential
from microcred.core.model.samples import sample_achievement, sample_issuer
from microcred.credentials import achievements, selectors
from microcred.credentials import services as credentials
from microcred.credentials.models import MicroCredentialDefinition
from microcred.pathways import services
from microcred.pathways.models import PathwayAward, PathwayProgress
from microcred.platform.seed import seed
from microcred.wallet import services as wallet

pytestmark = [pytest.mark.django_db, pytest.mark.storage]
ZOE = "zoe@example.com"


def _owner(slug: str) -> Any:
    return get_user_model().objects.get(email=f"owner@{slug}.demo.microcred.test")


def _definition(provider: str, slug: str) -> MicroCredentialDefinition:
    return MicroCredentialDefinition.objects.get(provider__slug=provider, slug=slug)


def _source(external_issuer: str) -> str:
    sql = achievements.achievement_id(_definition("utrecht-uas", "sql-basics"))
    ml = achievements.achievement_id(_definition("nordic-data-academy", "ml-foundations"))
    return json.dumps(
        {
            "id": "joint-analytics",
            "name": "Joint Analytics Certificate",
            "acceptedIssuers": [external_issuer],
            "revocationPolicy": "flag",
            "requirement": {
                "type": "all",
                "children": [
                    {"type": "achievement", "achievementId": sql},
                    {"type": "achievement", "achievementId": ml},
                    {"type": "achievement", "achievementId": sample_achievement().id},
                ],
            },
        }
    )


def _external(key: Ed25519KeyPair) -> bytes:
    unsigned = build_credential(
        issuer=sample_issuer(key.did_key), achievement=sample_achievement(), recipient_email=ZOE
    )
    return json.dumps(sign_credential(unsigned, key, suite="eddsa-rdfc-2022")).encode()


def test_two_providers_and_an_import_complete_and_award_a_verifying_credential(
    django_capture_on_commit_callbacks: Any,
) -> None:
    seed()
    key = Ed25519KeyPair.generate()
    owner = _owner("utrecht-uas")
    with django_capture_on_commit_callbacks(execute=True):
        row = services.save_pathway(
            actor=owner,
            provider=owner.provider_memberships.get().provider,
            source=_source(key.did_key),
        )
        services.publish_pathway(actor=owner, pathway=row)
    zoe = get_user_model().objects.create_user(username=ZOE, email=ZOE)
    EmailAddress.objects.create(user=zoe, email=ZOE, verified=True, primary=True)
    with django_capture_on_commit_callbacks(execute=True):
        credentials.issue_credential(
            actor=owner, definition=_definition("utrecht-uas", "sql-basics"), recipient_email=ZOE
        )
        credentials.issue_credential(
            actor=_owner("nordic-data-academy"),
            definition=_definition("nordic-data-academy", "ml-foundations"),
            recipient_email=ZOE,
        )
    progress = PathwayProgress.objects.get(learner=zoe, pathway__slug="joint-analytics")
    assert round(progress.fraction, 2) == 0.67
    assert not PathwayAward.objects.filter(learner=zoe).exists()
    with django_capture_on_commit_callbacks(execute=True):
        [result] = wallet.import_bytes(zoe, _external(key), source="upload", name="ext.json")
    assert result.state == "added", result.message
    award = PathwayAward.objects.get(learner=zoe)
    assert len(award.components) == 3
    stacked = award.credential
    assert stacked.provider.slug == "utrecht-uas"
    narratives = " ".join(item["narrative"] for item in stacked.document["evidence"])
    assert "imported from another issuer" in narratives and "Data Analysis with SQL" in narratives
    report = selectors.credential_report(stacked)
    assert report.verified, report.to_json()


def test_an_import_from_an_issuer_the_pathway_does_not_accept_does_not_count(
    django_capture_on_commit_callbacks: Any,
) -> None:
    seed()
    owner = _owner("utrecht-uas")
    provider = owner.provider_memberships.get().provider
    with django_capture_on_commit_callbacks(execute=True):
        row = services.save_pathway(actor=owner, provider=provider, source=_source("did:key:z6Mkx"))
        services.publish_pathway(actor=owner, pathway=row)
    zoe = get_user_model().objects.create_user(username=ZOE, email=ZOE)
    EmailAddress.objects.create(user=zoe, email=ZOE, verified=True, primary=True)
    with django_capture_on_commit_callbacks(execute=True):
        wallet.import_bytes(zoe, _external(Ed25519KeyPair.generate()), source="upload", name="e")
    assert not PathwayProgress.objects.filter(learner=zoe).exists()


def test_the_cli_loads_a_file_and_exits_2_naming_the_place_of_an_error(tmp_path: Path) -> None:
    seed()
    owner = "owner@utrecht-uas.demo.microcred.test"
    good = tmp_path / "good.json"
    good.write_text(_source("did:key:z6Mkx"))
    loaded = CliRunner().invoke(
        app, ["pathways", "load", str(good), "--provider", "utrecht-uas", "--as", owner]
    )
    assert loaded.exit_code == 0, loaded.output
    assert "utrecht-uas/joint-analytics v1" in loaded.output
    bad = tmp_path / "bad.yaml"
    base = achievements.achievement_id(_definition("utrecht-uas", "sql-basics"))
    bad.write_text(
        "id: broken\nname: Broken\nrequirement:\n  type: atLeast\n  k: 3\n  children:\n"
        f"    - type: achievement\n      achievementId: {base}-typo\n"
    )
    refused = CliRunner().invoke(
        app, ["pathways", "load", str(bad), "--provider", "utrecht-uas", "--as", owner]
    )
    assert refused.exit_code == 2
    assert "requirement.children[0].achievementId" in refused.output
    assert "requirement.k" in refused.output


def test_the_cli_refreshes_after_expiries() -> None:
    seed()
    done = CliRunner().invoke(app, ["pathways", "refresh"])
    assert done.exit_code == 0, done.output
    assert "re-evaluated 0 learner(s) after expiries" in done.output
