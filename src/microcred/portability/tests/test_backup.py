"""Backup and restore: everything the learner owns in one file, the holder key sealed under
a passphrase, a restore that verifies again, adds nothing twice, and refuses a wrong
passphrase, a changed file or an unknown version naming the field, storing nothing."""

from __future__ import annotations

import base64
import json
from typing import Any

import pytest
from django.test import Client

from microcred.credentials import services as credential_services
from microcred.delivery.services import claim_all_for_user
from microcred.obapi.models import UploadedCredential
from microcred.portability import backups, deletion, restore, sealing
from microcred.sharing import services as sharing_services
from microcred.wallet import holder
from microcred.wallet import services as wallet_services
from microcred.wallet.models import HolderKey, WalletCredential
from microcred.wallet.tests.conftest import OB3, WORK, make_learner

pytestmark = pytest.mark.django_db
PASSPHRASE = "correct horse battery staple"


@pytest.fixture
def anas(learner: Any, issue: Any, offline: Any) -> dict[str, Any]:
    """Ana: an imported 1EdTech credential (public), a claimed platform credential, a holder
    key, a public profile and an OB API upload."""
    offline()
    [imported] = wallet_services.import_bytes(
        learner, (OB3 / "simple.json").read_bytes(), source="upload", name="simple.json"
    )
    assert imported.item is not None
    claimed = issue(WORK)
    claim_all_for_user(learner)
    sharing_services.set_public(learner, {f"w{imported.item.pk}"})
    sharing_services.save_profile(
        learner, is_public=True, handle="ana-data", display_name="Ana", bio="Data person"
    )
    sharing_services.create_link(learner, [f"w{imported.item.pk}"], label="for Acme")
    UploadedCredential.objects.create(
        user=learner, issuer_id="https://x.example", credential_id="urn:x:1", document={"a": 1}
    )
    key = holder.holder_key(learner)
    return {"claimed": claimed, "did": key.did_key, "seed": key.seed, "imported": imported.item}


def _file(owner: Any) -> bytes:
    return json.dumps(backups.make_backup(owner, PASSPHRASE), indent=1).encode()


def _state(owner: Any) -> list[Any]:
    rows = WalletCredential.objects.filter(owner=owner).order_by("pk")
    return list(rows.values_list("dedupe_key", "verdict", "is_public"))


def test_the_file_holds_everything_and_no_plain_secret(learner: Any, anas: dict[str, Any]) -> None:
    data = _file(learner)
    document = json.loads(data)
    assert document["format"] == "microcred-backup" and document["version"] == 1
    assert {e["email"] for e in document["account"]["emails"]} == {WORK, "ana.home@example.org"}
    [entry] = document["credentials"]
    assert base64.b64decode(entry["original"]) == (OB3 / "simple.json").read_bytes()
    assert entry["report"]["verified"] is True and entry["isPublic"] is True
    assert document["claimed"][0]["credentialId"] == anas["claimed"].credential_id
    assert document["sharing"]["profile"]["handle"] == "ana-data"
    assert document["obApi"]["uploaded"][0]["credentialId"] == "urn:x:1"
    assert document["holderKey"]["did"] == anas["did"]
    seed = anas["seed"]
    for form in (
        seed.hex(),
        base64.b64encode(seed).decode(),
        holder.holder_key(learner).secret_key_multibase,
    ):
        assert str(form) not in data.decode()


def test_restore_into_a_new_account_after_deletion_verifies_again(
    learner: Any, anas: dict[str, Any], staff: Any
) -> None:
    data = _file(learner)
    credential_services.revoke(actor=staff["owner"], credential=anas["claimed"], reason="test")
    deletion.delete_account(learner, "a long pass phrase 42")
    newcomer = make_learner("ana2", "ana.new@example.org")
    result = restore.restore(newcomer, data, PASSPHRASE)
    assert sorted(result.added) == ["Data Analysis Fundamentals", "Teamwork"]
    verdicts = dict(
        WalletCredential.objects.filter(owner=newcomer).values_list("credential_id", "verdict")
    )
    assert verdicts[anas["claimed"].credential_id] == "revoked"  # checked again, not copied
    assert HolderKey.objects.get(owner=newcomer).did == anas["did"]
    assert holder.holder_key(newcomer).seed == anas["seed"]
    assert UploadedCredential.objects.filter(user=newcomer).count() == 1
    assert WalletCredential.objects.filter(owner=newcomer, is_public=True).count() == 1
    assert any("Share links are not restored" in note for note in result.notes)
    before = _state(newcomer)
    again = restore.restore(newcomer, data, PASSPHRASE)
    assert again.added == [] and again.already == 2 and _state(newcomer) == before


def test_restoring_into_the_same_account_adds_nothing(learner: Any, anas: dict[str, Any]) -> None:
    before = _state(learner)
    result = restore.restore(learner, _file(learner), PASSPHRASE)
    assert result.added == [] and result.already == 2 and _state(learner) == before


def _changed(data: bytes, change: Any) -> bytes:
    document = json.loads(data)
    change(document)
    return json.dumps(document).encode()


@pytest.mark.parametrize(
    ("change", "where"),
    [
        (lambda d: d["credentials"][0]["document"].update(name="Forged"), "credentials[0]"),
        (lambda d: d["claimed"][0].update(isPublic=True), "claimed[0]"),
        (lambda d: d["account"]["emails"].append({"email": "x@evil.example"}), "account"),
        (lambda d: d["holderKey"].update(did="did:key:z6MkOther"), "holderKey"),
        (lambda d: d["credentials"].clear(), "file"),
        (lambda d: d.update(version=2), "version"),
        (lambda d: d.update(format="something"), "format"),
        (lambda d: d["kdf"].update(n=2**30), "kdf"),
    ],
)
def test_a_changed_file_is_refused_naming_the_field(
    learner: Any, anas: dict[str, Any], change: Any, where: str
) -> None:
    bad = _changed(_file(learner), change)
    newcomer = make_learner("bo2", "bo2@example.org")
    with pytest.raises(restore.RestoreError) as caught:
        restore.restore(newcomer, bad, PASSPHRASE)
    assert caught.value.where == where
    assert _state(newcomer) == [] and not HolderKey.objects.filter(owner=newcomer).exists()


def test_a_wrong_passphrase_or_no_json_is_refused(learner: Any, anas: dict[str, Any]) -> None:
    with pytest.raises(restore.RestoreError) as caught:
        restore.restore(learner, _file(learner), "not the passphrase")
    assert caught.value.where == "passphrase"
    with pytest.raises(restore.RestoreError) as caught:
        restore.restore(learner, b"\x89PNG not json", PASSPHRASE)
    assert caught.value.where == "file"


def test_a_failure_late_in_the_restore_leaves_nothing_behind(
    learner: Any, anas: dict[str, Any]
) -> None:
    """A well-sealed file whose last part is unusable: the credentials before it are not kept."""
    document = json.loads(_file(learner))
    keys = sealing.derive(PASSPHRASE, document["kdf"])
    body = {k: v for k, v in document.items() if k != "mac"}
    for name in backups.SECTIONS:
        if name in backups.LIST_SECTIONS:
            body[name] = [{k: v for k, v in e.items() if k != "mac"} for e in body[name]]
        elif isinstance(body[name], dict):
            body[name] = {k: v for k, v in body[name].items() if k != "mac"}
    body["obApi"]["uploaded"] = ["not an upload"]
    bad = json.dumps(backups.with_macs(body, keys)).encode()
    newcomer = make_learner("cy", "cy@example.org")
    with pytest.raises(restore.RestoreError) as caught:
        restore.restore(newcomer, bad, PASSPHRASE)
    assert caught.value.where == "obApi.uploaded[0]"
    assert _state(newcomer) == []


def test_the_pages_download_a_backup_and_restore_it(
    ana: Client, learner: Any, anas: dict[str, Any]
) -> None:
    mismatch = ana.post("/wallet/backup", {"passphrase": PASSPHRASE, "passphrase_again": "x"})
    assert mismatch.status_code == 400 and "The two passphrases differ" in mismatch.content.decode()
    response = ana.post(
        "/wallet/backup", {"passphrase": PASSPHRASE, "passphrase_again": PASSPHRASE}
    )
    assert response.status_code == 200
    assert response["Content-Disposition"] == 'attachment; filename="microcred-backup.json"'
    from django.core.files.uploadedfile import SimpleUploadedFile

    def upload(passphrase: str) -> Any:
        file = SimpleUploadedFile("b.json", response.content, "application/json")
        return ana.post("/wallet/restore", {"file": file, "passphrase": passphrase})

    wrong = upload("wrong passphrase!")
    assert wrong.status_code == 400
    assert "Nothing was restored. <strong>passphrase</strong>" in wrong.content.decode()
    right = upload(PASSPHRASE)
    assert right.status_code == 200
    assert "0 credentials added, 2 already in your wallet" in right.content.decode()
