"""Restoring a backup file into an account: check everything, verify again, then store in
one transaction.

Order: the file (size, JSON), ``format``, ``version``, ``kdf``, the passphrase (the check
value), then each entry's and section's HMAC and the whole file's, then each field's shape.
Any failure is a :class:`RestoreError` naming the field, before anything is stored. Every
credential is then verified again (its status may have changed since the backup) and
stored with the new report, whatever the verdict: the backup is what the learner had.

Idempotent: credentials already in the wallet (same id, else same canonical digest, or
claimed by this account) are skipped, the OB API uploads are keyed by issuer and id, and
the holder key is only installed when the account has none (or the learner asks to
replace it). Email addresses are not added: an address must be verified on this account
first; the page lists the backup's addresses so the learner can add them.
"""

from __future__ import annotations

import hmac
import json
from dataclasses import dataclass, field
from typing import Any

from django.apps import apps
from django.conf import settings
from django.db import IntegrityError, transaction
from django.utils import timezone

from microcred.core.crypto.keys import Ed25519KeyPair
from microcred.core.errors import InputError
from microcred.delivery.selectors import credentials_of_user
from microcred.obapi.models import LearnerProfile, UploadedCredential
from microcred.portability import backups, sealing
from microcred.providers.keystore import encrypt_seed
from microcred.wallet import reading, selectors, unpacking
from microcred.wallet.models import HolderKey, WalletCredential

MAX_BACKUP_BYTES = 64 * 1024 * 1024


class RestoreError(Exception):
    """The file cannot be restored; ``where`` names the field, ``message`` says why."""

    def __init__(self, where: str, message: str) -> None:
        super().__init__(f"{where}: {message}")
        self.where, self.message = where, message


@dataclass
class RestoreResult:
    added: list[str] = field(default_factory=list)
    already: int = 0
    notes: list[str] = field(default_factory=list)
    emails: list[str] = field(default_factory=list)


@dataclass(frozen=True)
class _Item:
    """One credential to store: the checked entry and its fresh verification."""

    where: str
    candidate: unpacking.Candidate
    source: str
    is_public: bool


def _load(data: bytes) -> dict[str, Any]:
    if len(data) > MAX_BACKUP_BYTES:
        limit = MAX_BACKUP_BYTES // (1024 * 1024)
        raise RestoreError("file", f"the file is larger than {limit} MiB")
    try:
        document = json.loads(data)
    except (ValueError, UnicodeDecodeError):
        raise RestoreError("file", "this is not a microcred backup file (not JSON)") from None
    if not isinstance(document, dict) or document.get("format") != backups.FORMAT:
        raise RestoreError("format", f"this is not a microcred backup file ({backups.FORMAT})")
    version = document.get("version")
    if version != backups.VERSION:
        raise RestoreError(
            "version", f"backup format version {version!r}; this platform reads version 1"
        )
    return document


def _keys(document: dict[str, Any], passphrase: str) -> sealing.Keys:
    try:
        keys = sealing.derive(passphrase, document.get("kdf"))  # type: ignore[arg-type]
    except ValueError as exc:
        raise RestoreError("kdf", str(exc)) from None
    check = document.get("check")
    if not isinstance(check, str) or not hmac.compare_digest(keys.check, check):
        raise RestoreError("passphrase", "the passphrase is not the one this backup was made with")
    return keys


def _strip(value: dict[str, Any]) -> dict[str, Any]:
    return {k: v for k, v in value.items() if k != "mac"}


def _check_macs(document: dict[str, Any], keys: sealing.Keys) -> None:
    changed = "was changed after the backup was made"
    for name in backups.SECTIONS:
        value = document.get(name)
        if name in backups.LIST_SECTIONS:
            if not isinstance(value, list):
                raise RestoreError(name, "missing or not a list")
            for position, entry in enumerate(value):
                if not isinstance(entry, dict) or not keys.mac_matches(
                    _strip(entry), entry.get("mac")
                ):
                    raise RestoreError(f"{name}[{position}]", changed)
        elif value is not None and (
            not isinstance(value, dict) or not keys.mac_matches(_strip(value), value.get("mac"))
        ):
            raise RestoreError(name, changed)
    if not keys.mac_matches(_strip(document), document.get("mac")):
        raise RestoreError("file", f"an entry was added, removed or moved: the file {changed}")


def _candidate(where: str, data: bytes, name: str) -> unpacking.Candidate:
    found = unpacking.unpack(data, name=name or where)
    if len(found) != 1 or not isinstance(found[0], unpacking.Candidate):
        reason = found[0].message if found and isinstance(found[0], unpacking.Unusable) else ""
        raise RestoreError(where, f"holds no single credential that can be read {reason}".strip())
    return found[0]


def _items(document: dict[str, Any]) -> list[_Item]:
    """Verify every credential of the file again (outside any transaction: this fetches)."""
    items = []
    for position, entry in enumerate(document["credentials"]):
        where = f"credentials[{position}]"
        try:
            data = sealing.unb64(entry.get("original"))
        except ValueError:
            raise RestoreError(f"{where}.original", "not base64") from None
        source = entry.get("source")
        if source not in WalletCredential.Source.values or source == "claimed":
            raise RestoreError(f"{where}.source", f"unknown source {source!r}")
        candidate = _candidate(where, data, str(entry.get("sourceName") or ""))
        items.append(_Item(where, candidate, source, bool(entry.get("isPublic"))))
    for position, entry in enumerate(document["claimed"]):
        where = f"claimed[{position}]"
        if not isinstance(entry.get("document"), dict):
            raise RestoreError(f"{where}.document", "missing or not a JSON object")
        data = json.dumps(entry["document"]).encode()
        candidate = _candidate(where, data, str(entry.get("credentialId") or where))
        items.append(_Item(where, candidate, "upload", bool(entry.get("isPublic"))))
    return items


def _holder_seed(document: dict[str, Any], keys: sealing.Keys) -> tuple[str, bytes] | None:
    section = document.get("holderKey")
    if section is None:
        return None
    did = section.get("did")
    try:
        seed = keys.open(section.get("sealedSeed") or {}, backups.holder_binding(str(did)))
    except sealing.SealingError as exc:
        raise RestoreError("holderKey", str(exc)) from None
    if Ed25519KeyPair.from_seed(seed).did_key != did:
        raise RestoreError("holderKey.did", "the key does not belong to this DID")
    return str(did), seed


def read_backup(data: bytes, passphrase: str) -> tuple[dict[str, Any], sealing.Keys]:
    """The checked backup document (raises RestoreError naming the field)."""
    document = _load(data)
    keys = _keys(document, passphrase)
    _check_macs(document, keys)
    return document, keys


def restore(
    owner: Any, data: bytes, passphrase: str, *, replace_holder_key: bool = False
) -> RestoreResult:
    """Restore ``data`` (a backup file) into ``owner``'s account; see the module note."""
    document, keys = read_backup(data, passphrase)
    holder_seed = _holder_seed(document, keys)
    items = _items(document)
    result = RestoreResult(emails=[e.get("email", "") for e in document["account"]["emails"]])
    with transaction.atomic():
        public = [_store(owner, item, result) for item in items]
        _restore_ob_api(owner, document.get("obApi") or {})
        _restore_sharing(owner, document.get("sharing"), [k for k in public if k], result)
        if holder_seed is not None:
            _restore_holder_key(owner, *holder_seed, replace=replace_holder_key, result=result)
    return result


def _store(owner: Any, item: _Item, result: RestoreResult) -> str | None:
    """Store one credential unless it is there already; returns its wallet key if the
    backup had it public."""
    document = item.candidate.document
    key = reading.dedupe_key(document)
    existing = WalletCredential.objects.filter(owner=owner, dedupe_key=key).first()
    identifier = reading.credential_id(document)
    claimed = credentials_of_user(owner).filter(credential_id=identifier).first()
    if existing is not None or (identifier and claimed is not None):
        result.already += 1
        if claimed is not None:
            return "c" + identifier.removeprefix("urn:uuid:") if item.is_public else None
        return f"w{existing.pk}" if item.is_public and existing is not None else None
    report = item.candidate.report.to_json()
    row = WalletCredential.objects.create(
        owner=owner,
        source=item.source,
        source_name=item.candidate.name[:500],
        original=item.candidate.original,
        format=item.candidate.format,
        document=document,
        dedupe_key=key,
        credential_id=identifier,
        report=report,
        verdict=reading.verdict_of(report),
        verified_at=timezone.now(),
    )
    result.added.append(selectors.title_of(document))
    return f"w{row.pk}" if item.is_public else None


def _restore_ob_api(owner: Any, section: dict[str, Any]) -> None:
    profile = section.get("profile")
    if isinstance(profile, dict) and not LearnerProfile.objects.filter(user=owner).exists():
        LearnerProfile.objects.create(
            user=owner, name=str(profile.get("name", ""))[:200], email=str(profile.get("email", ""))
        )
    for position, entry in enumerate(section.get("uploaded") or []):
        if not isinstance(entry, dict) or not isinstance(entry.get("document"), dict):
            raise RestoreError(f"obApi.uploaded[{position}]", "not an uploaded credential")
        UploadedCredential.objects.get_or_create(
            user=owner,
            issuer_id=str(entry.get("issuerId", ""))[:500],
            credential_id=str(entry.get("credentialId", ""))[:500],
            defaults={"document": entry["document"], "compact_jws": entry.get("compactJws") or ""},
        )


def _restore_sharing(
    owner: Any, section: dict[str, Any] | None, public: list[str], result: RestoreResult
) -> None:
    """Public flags and the profile through the sharing app's services. Share links are not
    restored: their URLs were shown once and cannot be made again (the file lists them)."""
    if not apps.is_installed("microcred.sharing"):
        return
    from microcred.sharing import selectors as sharing_selectors
    from microcred.sharing import services as sharing_services

    if public:
        sharing_services.set_public(owner, sharing_selectors.public_keys(owner) | set(public))
    profile = (section or {}).get("profile")
    if isinstance(profile, dict) and not sharing_selectors.profile_of(owner).handle:
        try:
            sharing_services.save_profile(
                owner,
                is_public=bool(profile.get("isPublic")),
                handle=str(profile.get("handle") or ""),
                display_name=str(profile.get("displayName") or ""),
                bio=str(profile.get("bio") or ""),
            )
        except InputError as exc:
            result.notes.append(f"Your public profile was not restored: {exc.message}.")
    if (section or {}).get("links"):
        result.notes.append(
            "Share links are not restored: make new ones (the old links' addresses were "
            "secret and cannot be made again)."
        )


def _restore_holder_key(
    owner: Any, did: str, seed: bytes, *, replace: bool, result: RestoreResult
) -> None:
    from microcred.wallet.holder import _binding  # the wallet's KEK binding of holder seeds

    current = HolderKey.objects.filter(owner=owner).first()
    if current is not None and (current.did == did or not replace):
        if current.did != did:
            result.notes.append(
                f"Your account keeps its holder key {current.did}; the backup's key {did} "
                "was not installed (choose to replace it to use the backup's)."
            )
        return
    if HolderKey.objects.filter(did=did).exclude(owner=owner).exists():
        # A DID names one holder: while the old account exists, this one keeps its own key.
        result.notes.append(
            f"The backup's holder key {did} is still the key of another account here, so it "
            "was not installed (delete that account first to move the key)."
        )
        return
    key = Ed25519KeyPair.from_seed(seed)
    sealed = encrypt_seed(
        seed, kek=settings.KEY_ENCRYPTION_KEY, associated_data=_binding(owner.pk, did)
    )
    try:
        with transaction.atomic():
            HolderKey.objects.filter(owner=owner).delete()
            HolderKey.objects.create(
                owner=owner,
                did=did,
                public_key_multibase=key.public_key_multibase,
                sealed_secret=sealed,
            )
    except IntegrityError:
        raise RestoreError(
            "holderKey", f"the holder key {did} belongs to another account on this platform"
        ) from None
    result.notes.append(f"Your holder key is now {did} (from the backup).")
