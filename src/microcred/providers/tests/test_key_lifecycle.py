"""Key lifecycle end to end: rotating a provider key, rotating the KEK and the
compromised-key procedure, through the `microcred keys` commands, verified the way an
outside verifier would (the DID document and status lists as the platform serves them)."""

from __future__ import annotations

import base64
import json
from typing import Any
from urllib.parse import urlsplit

import pytest
from django.apps import apps
from django.db import models
from django.test import Client, override_settings
from typer.testing import CliRunner

from microcred.cli.main import app
from microcred.core.crypto.did import did_web_url
from microcred.core.verify.fetcher import StaticFetcher
from microcred.core.verify.report import VerificationReport
from microcred.core.verify.verifier import VerifyOptions, verify_document
from microcred.credentials import services as credential_services
from microcred.credentials.models import IssuedCredential
from microcred.credentials.tests.conftest import make_definition, make_provider, staff
from microcred.providers import keystore, rekey
from microcred.providers.models import AuditEvent, Provider, ProviderKey
from microcred.providers.tests.conftest import HTTPS_BASE

__all__ = ["make_definition", "staff"]  # fixtures shared with the credentials app's tests
pytestmark = [pytest.mark.django_db]
OLD_KEK = bytes(range(32))
NEW_KEK = bytes(range(100, 132))


@pytest.fixture(autouse=True)
def _https_base() -> Any:
    with override_settings(MICROCRED_BASE_URL=HTTPS_BASE, KEY_ENCRYPTION_KEY=OLD_KEK):
        yield


@pytest.fixture
def provider(staff: dict[str, Any]) -> Provider:
    """A did:web provider: its DID document is what the platform serves."""
    return make_provider("uni", staff["owner"], did_method="web")


def _issue(definition: Any, who: str, actor: Any) -> IssuedCredential:
    return credential_services.issue_credential(
        actor=actor, definition=definition, recipient_email=f"{who}@example.org"
    )


def _verify(client: Client, document: dict[str, Any]) -> VerificationReport:
    """Fetch the DID document and status list from the platform, as a verifier would."""
    status = document["credentialStatus"]["statusListCredential"]
    urls = [did_web_url(document["issuer"]["id"]), status]
    bodies = {url: client.get(urlsplit(url).path).content for url in urls}
    options = VerifyOptions(fetcher=StaticFetcher(bodies))
    return verify_document(document, name="issued", options=options)


def _cli(*args: str) -> Any:
    return CliRunner().invoke(app, ["keys", *args])


def _vm(row: IssuedCredential) -> str:
    return str(row.document["proof"]["verificationMethod"])


def test_rotate_provider_keeps_old_credentials_and_signs_new_ones_with_the_new_key(
    client: Client, make_definition: Any, staff: dict[str, Any]
) -> None:
    definition = make_definition()
    old = _issue(definition, "ana", staff["owner"])

    done = _cli("rotate-provider", "uni", "--as", "OWNER@example.org")
    assert done.exit_code == 0, done.output
    assert "key-2 signs from now on" in done.output

    new = _issue(definition, "ben", staff["owner"])
    assert _vm(old).endswith("#key-1") and _vm(new).endswith("#key-2")
    assert _verify(client, old.document).verified, _verify(client, old.document).failed()
    assert _verify(client, new.document).verified
    assert AuditEvent.objects.filter(action="key.rotated", actor=staff["owner"]).count() == 1


def test_rotate_provider_refuses_did_key_providers_strangers_and_unknown_slugs(
    staff: dict[str, Any],
) -> None:
    make_provider("keyed", staff["owner"], did_method="key")
    make_provider("uni", staff["owner"], did_method="web")
    refused = _cli("rotate-provider", "keyed", "--as", "owner@example.org")
    assert refused.exit_code == 2
    assert "did:key provider cannot rotate" in refused.output
    stranger = _cli("rotate-provider", "uni", "--as", "viewer@example.org")
    assert stranger.exit_code == 2 and "only a provider's owner" in stranger.output
    assert _cli("rotate-provider", "nope", "--as", "owner@example.org").exit_code == 2
    assert _cli("rotate-provider", "uni", "--as", "nobody@example.org").exit_code == 2
    assert ProviderKey.objects.count() == 2  # nothing rotated


def _sealed_rows() -> list[tuple[rekey.SealedKind, Any]]:
    return [
        (kind, row) for kind in rekey.sealed_kinds() for row in kind.model._default_manager.all()
    ]


def _opens(kind: rekey.SealedKind, row: Any, kek: bytes) -> bool:
    try:
        keystore.decrypt_seed(
            bytes(getattr(row, kind.column)), kek=kek, associated_data=kind.binding(row)
        )
    except keystore.KeyStoreError:
        return False
    return True


def _secrets_of_every_kind(staff: dict[str, Any]) -> None:
    from microcred.portability import identity as platform_identity
    from microcred.wallet import holder

    holder.holder_key(staff["issuer"])
    platform_identity.signing_key()
    assert {type(row) for _, row in _sealed_rows()} == {kind.model for kind in rekey.sealed_kinds()}


def test_rotate_kek_reseals_everything_and_nothing_issued_is_invalidated(
    client: Client, make_definition: Any, staff: dict[str, Any]
) -> None:
    definition = make_definition()
    old = _issue(definition, "ana", staff["owner"])
    _cli("rotate-provider", "uni", "--as", "owner@example.org")  # a retired key too
    _secrets_of_every_kind(staff)
    rows = _sealed_rows()
    assert all(_opens(kind, row, OLD_KEK) for kind, row in rows)

    with override_settings(KEY_ENCRYPTION_KEY=NEW_KEK, OLD_KEY_ENCRYPTION_KEY=OLD_KEK):
        # The read window: before the rotation the new KEK opens nothing, yet signing works.
        mid = _issue(definition, "cy", staff["owner"])
        done = _cli("rotate-kek")
        again = _cli("rotate-kek")
    assert done.exit_code == 0, done.output
    assert "provider keys: 2 re-sealed" in done.output
    assert "holder keys: 1 re-sealed" in done.output and "platform keys: 1 re-sealed" in done.output
    assert (
        OLD_KEK.hex() not in done.output
        and base64.urlsafe_b64encode(NEW_KEK).decode()[:20] not in done.output
    )
    assert again.exit_code == 0 and "provider keys: 0 re-sealed, 2 already" in again.output
    rows = _sealed_rows()
    assert all(_opens(kind, row, NEW_KEK) for kind, row in rows)
    assert not any(_opens(kind, row, OLD_KEK) for kind, row in rows)  # the old KEK opens nothing
    assert AuditEvent.objects.filter(action="kek.rotated").count() == 1

    with override_settings(KEY_ENCRYPTION_KEY=NEW_KEK):
        from microcred.wallet import holder

        new = _issue(definition, "ben", staff["owner"])
        assert holder.holder_key(staff["issuer"]).did_key == rows[-1][1].did
        for credential in (old, mid, new):  # the status list is signed under the new KEK
            report = _verify(client, credential.document)
            assert report.verified, report.failed()


def test_rotate_kek_changes_nothing_when_a_secret_opens_with_neither_kek(
    staff: dict[str, Any], make_definition: Any
) -> None:
    make_definition()
    with override_settings(KEY_ENCRYPTION_KEY=bytes(32)):  # a stranger's KEK
        make_provider("acme", staff["outsider"], did_method="web")
    before = {row.pk: bytes(row.encrypted_secret) for row in ProviderKey.objects.all()}
    with override_settings(KEY_ENCRYPTION_KEY=NEW_KEK, OLD_KEY_ENCRYPTION_KEY=OLD_KEK):
        refused = _cli("rotate-kek")
    assert refused.exit_code == 2
    assert "1 sealed secret(s) open with neither" in refused.output
    assert "acme#key-1" in refused.output and "nothing was changed" in refused.output
    assert {row.pk: bytes(row.encrypted_secret) for row in ProviderKey.objects.all()} == before
    with override_settings(KEY_ENCRYPTION_KEY=NEW_KEK, OLD_KEY_ENCRYPTION_KEY=None):
        missing = _cli("rotate-kek")
    assert missing.exit_code == 2 and "MICROCRED_OLD_KEY_ENCRYPTION_KEY" in missing.output


def test_the_kek_rotation_knows_every_sealed_column() -> None:
    """A new model with a sealed secret must be added to ``rekey.sealed_kinds``."""
    sealed = {
        (model, f.name)
        for model in apps.get_models()
        for f in model._meta.get_fields()
        if isinstance(f, models.BinaryField)
        and any(word in f.name for word in ("secret", "sealed", "encrypted", "cipher"))
    }
    assert sealed == {(kind.model, kind.column) for kind in rekey.sealed_kinds()}


def test_compromised_key_is_removed_and_its_credentials_reissued_and_revoked(
    client: Client, make_definition: Any, staff: dict[str, Any]
) -> None:
    definition = make_definition()
    ana, ben, cy = (_issue(definition, who, staff["owner"]) for who in ("ana", "ben", "cy"))
    credential_services.revoke(actor=staff["owner"], credential=cy, reason="left the course")
    dry = _cli("compromised", "uni", "key-1", "--as", "owner@example.org", "--dry-run")
    assert dry.exit_code == 0 and "3 credential(s) signed with key-1" in dry.output
    assert ProviderKey.objects.get(key_id="key-1").compromised_at is None

    run = _cli(
        "compromised", "uni", "key-1", "--as", "owner@example.org", "--reissue", "--batch", "1"
    )
    assert run.exit_code == 0, run.output
    assert "rotated: key-2 signs from now on" in run.output
    assert "2 re-issued, 0 already re-issued, 1 not active" in run.output

    did_document = client.get("/providers/uni/did.json").json()
    assert [vm["id"].split("#")[1] for vm in did_document["verificationMethod"]] == ["key-2"]
    assert all(not m.endswith("#key-1") for m in did_document["assertionMethod"])
    for old in (ana, ben):
        old.refresh_from_db()
        new = IssuedCredential.objects.get(idempotency_key=f"reissue:{old.credential_id}")
        assert old.state == "revoked" and new.credential_id in old.reason
        assert _vm(new).endswith("#key-2") and new.credential_id != old.credential_id
        for same in ("credentialSubject", "issuer", "validFrom", "name"):
            assert new.document[same] == old.document[same]
        assert new.recipient_email == old.recipient_email and new.definition == old.definition
        assert not _verify(client, old.document).verified  # its key is gone
        report = _verify(client, new.document)
        assert report.verified, report.failed()
    assert not _verify(client, cy.document).verified
    assert not IssuedCredential.objects.filter(idempotency_key=f"reissue:{cy.credential_id}")
    actions = list(AuditEvent.objects.values_list("action", flat=True))
    assert actions.count("key.compromised") == 1 and actions.count("credential.reissued") == 2

    again = _cli("compromised", "uni", "key-1", "--as", "owner@example.org", "--reissue")
    assert again.exit_code == 0, again.output
    assert "0 re-issued, 2 already re-issued, 1 not active" in again.output
    assert IssuedCredential.objects.count() == 5  # nothing re-issued twice
    assert AuditEvent.objects.filter(action="key.compromised").count() == 1


def test_compromised_since_a_date_and_refusals(make_definition: Any, staff: dict[str, Any]) -> None:
    definition = make_definition()
    _issue(definition, "ana", staff["owner"])
    future = _cli(
        "compromised",
        "uni",
        "key-1",
        "--as",
        "owner@example.org",
        "--reissue",
        "--since",
        "2999-01-01",
    )
    assert future.exit_code == 0, future.output
    assert "1 credential(s) signed" in future.output and "0 re-issued" in future.output
    assert IssuedCredential.objects.count() == 1

    bad_date = _cli("compromised", "uni", "key-2", "--as", "owner@example.org", "--since", "May")
    assert bad_date.exit_code == 2 and "YYYY-MM-DD" in bad_date.output
    unknown = _cli("compromised", "uni", "key-9", "--as", "owner@example.org")
    assert unknown.exit_code == 2 and "no key 'key-9' (its keys: key-1, key-2)" in unknown.output
    stranger = _cli("compromised", "uni", "key-2", "--as", "issuer@example.org")
    assert stranger.exit_code == 2
    make_provider("keyed", staff["outsider"], did_method="key")
    key_id = ProviderKey.objects.get(provider__slug="keyed").key_id
    keyed = _cli("compromised", "keyed", key_id, "--as", "outsider@example.org")
    assert keyed.exit_code == 2 and "did:key provider" in keyed.output
    assert ProviderKey.objects.filter(compromised_at__isnull=False).count() == 1


def test_reissue_carries_claims_and_pathway_awards_over_to_the_new_credentials(
    make_definition: Any, staff: dict[str, Any], django_capture_on_commit_callbacks: Any
) -> None:
    from allauth.account.models import EmailAddress  # type: ignore[import-untyped]
    from django.contrib.auth import get_user_model

    from microcred.credentials import achievements
    from microcred.delivery.models import ClaimInvitation
    from microcred.pathways import services as pathways
    from microcred.pathways.models import PathwayAward

    first, second = make_definition("data-101"), make_definition("sql-201")
    source = {
        "id": "analyst",
        "name": "Analyst Certificate",
        "revocationPolicy": "suspend",
        "requirement": {
            "type": "all",
            "children": [
                {"type": "achievement", "achievementId": achievements.achievement_id(d)}
                for d in (first, second)
            ],
        },
    }
    provider = first.provider
    zoe = get_user_model().objects.create_user(username="zoe", email="zoe@example.org")
    EmailAddress.objects.create(user=zoe, email="zoe@example.org", verified=True, primary=True)
    with django_capture_on_commit_callbacks(execute=True):
        row = pathways.save_pathway(
            actor=staff["owner"], provider=provider, source=json.dumps(source)
        )
        pathways.publish_pathway(actor=staff["owner"], pathway=row)
    with django_capture_on_commit_callbacks(execute=True):
        parts = [_issue(d, "zoe", staff["owner"]) for d in (first, second)]
    award = PathwayAward.objects.get(learner=zoe)
    from microcred.delivery.services import claim_all_for_user

    assert len(claim_all_for_user(zoe)) == 3  # both components and the stacked credential

    with django_capture_on_commit_callbacks(execute=True):
        run = _cli("compromised", "uni", "key-1", "--as", "owner@example.org", "--reissue")
    assert run.exit_code == 0, run.output
    assert "3 re-issued" in run.output  # both components and the stacked credential

    award.refresh_from_db()
    replaced = {
        row.credential_id: IssuedCredential.objects.get(
            idempotency_key=f"reissue:{row.credential_id}"
        )
        for row in parts
    }
    assert award.state == "awarded", award.note
    assert sorted(award.components) == sorted(r.credential_id for r in replaced.values())
    assert award.credential.state == "active" and _vm(award.credential).endswith("#key-2")
    for new in [*replaced.values(), award.credential]:  # the learner owns the new ones
        assert ClaimInvitation.objects.get(credential=new).claimed_by == zoe


def test_the_old_kek_is_read_from_the_environment_and_checked() -> None:
    from microcred.platform import config

    assert config.load({}).old_key_encryption_key is None
    encoded = base64.urlsafe_b64encode(OLD_KEK).decode()
    loaded = config.load({"MICROCRED_OLD_KEY_ENCRYPTION_KEY": encoded})
    assert loaded.old_key_encryption_key == OLD_KEK
    with pytest.raises(config.ConfigurationError, match="MICROCRED_OLD_KEY_ENCRYPTION_KEY"):
        config.load({"MICROCRED_OLD_KEY_ENCRYPTION_KEY": "c2hvcnQ"})
