"""What the API changes: upserted credentials and the learner's profile."""

from __future__ import annotations

import base64
import binascii
import json
from dataclasses import dataclass
from datetime import datetime
from typing import Any
from urllib.parse import unquote

from allauth.account.models import EmailAddress  # type: ignore[import-untyped]
from django.db import transaction

from microcred.core.errors import InputError
from microcred.core.model import Profile, parse_credential, parse_model
from microcred.obapi.models import LearnerProfile, UploadedCredential
from microcred.obapi.responses import ApiError


@dataclass(frozen=True)
class Upsert:
    row: UploadedCredential
    created: bool


def comparable(value: str) -> str:
    """The spec's "Credential equality": percent-unescaped and trimmed."""
    return unquote(value).strip()


def _issuer_id(document: dict[str, Any]) -> str:
    issuer = document["issuer"]
    return str(issuer["id"] if isinstance(issuer, dict) else issuer)


def _moment(value: Any) -> datetime | None:
    try:
        return datetime.fromisoformat(value) if isinstance(value, str) else None
    except ValueError:  # valid per the schema but beyond Python (e.g. nanoseconds): undated
        return None


def jws_payload(compact: str) -> dict[str, Any]:
    """The credential inside a VC-JWT (its ``vc`` claim, or the payload itself for VC 2.0)."""
    parts = compact.strip().split(".")
    if len(parts) != 3:
        raise ApiError(400, "a compact JWS has three dot-separated parts")
    try:
        payload = json.loads(base64.urlsafe_b64decode(parts[1] + "=" * (-len(parts[1]) % 4)))
    except (binascii.Error, ValueError) as exc:
        raise ApiError(400, f"the compact JWS payload is not base64url JSON: {exc}") from None
    if not isinstance(payload, dict):
        raise ApiError(400, "the compact JWS payload is not a JSON object")
    vc = payload.get("vc", payload)
    return vc if isinstance(vc, dict) else {}


def upsert_credential(user: Any, document: Any, compact_jws: str = "") -> Upsert:
    """Store ``document`` for ``user``, or replace the equal one (same issuer id and id).

    An incoming credential with an older ``validFrom`` than the stored equal one is not a
    replacement: the stored one stays and is returned (``created=False``).
    Raises ``ApiError(400)`` unless it is an OB 3.0 AchievementCredential with an ``id``.
    """
    try:
        parse_credential(document)
    except InputError as exc:
        raise ApiError(400, f"not an Open Badges 3.0 credential: {exc}") from None
    if not document.get("id"):
        raise ApiError(400, "the credential has no id (needed to compare and replace it)")
    valid_from = _moment(document.get("validFrom") or document.get("issuanceDate"))
    key = {
        "issuer_id": comparable(_issuer_id(document)),
        "credential_id": comparable(document["id"]),
    }
    with transaction.atomic():
        row = UploadedCredential.objects.select_for_update().filter(user=user, **key).first()
        if row is None:
            row = UploadedCredential.objects.create(
                user=user, document=document, compact_jws=compact_jws, valid_from=valid_from, **key
            )
            return Upsert(row, created=True)
        if row.valid_from and valid_from and valid_from < row.valid_from:
            return Upsert(row, created=False)
        row.document, row.compact_jws, row.valid_from = document, compact_jws, valid_from
        row.save()
    return Upsert(row, created=False)


def _primary_email(user: Any) -> str:
    address = EmailAddress.objects.filter(user=user, verified=True).order_by("-primary").first()
    return address.email if address else ""


def profile_for(user: Any) -> LearnerProfile:
    """The learner's profile; the first read starts it from the account's name and email."""
    profile, _ = LearnerProfile.objects.get_or_create(
        user=user,
        defaults={"name": user.get_full_name(), "email": _primary_email(user)},
    )
    return profile


def profile_document(profile: LearnerProfile) -> dict[str, Any]:
    document: dict[str, Any] = {"id": f"urn:uuid:{profile.profile_id}", "type": ["Profile"]}
    if profile.name:
        document["name"] = profile.name
    if profile.email:
        document["email"] = profile.email
    return document


def put_profile(user: Any, document: Any) -> LearnerProfile:
    """Replace the profile (PUT sends all of it: an absent name or email clears it).

    The ``id`` stays ours; fields other than name and email are not stored.
    """
    if isinstance(document, dict) and "id" not in document:
        document = {**document, "id": "urn:uuid:00000000-0000-0000-0000-000000000000"}
    try:
        parsed = parse_model(Profile, document)
    except InputError as exc:
        raise ApiError(400, f"not an Open Badges 3.0 Profile: {exc}") from None
    email = (parsed.email or "").strip()
    if email and "@" not in email:
        raise ApiError(400, "email: not an email address")
    profile = profile_for(user)
    profile.name, profile.email = (parsed.name or "").strip()[:200], email[:254]
    profile.save()
    return profile
