"""Issuing one credential: checks, status indexes, build, sign, store, audit.

The indexes are allocated in their own short transaction before signing, so the status
list row is not locked while the CPU signs; a failure after that only burns indexes
(never reused, never pointing at a stored credential). The credential row and its audit
event are written in one transaction.
"""

from __future__ import annotations

import calendar
import re
import uuid
from collections.abc import Mapping, Sequence
from datetime import datetime
from typing import Any

from django.core.exceptions import ValidationError
from django.core.validators import validate_email
from django.db import IntegrityError, transaction
from django.utils import timezone

from microcred.core.crypto.suites.base import sign_credential
from microcred.core.errors import InputError
from microcred.core.model import build_credential, normalize_email
from microcred.core.model.identity import new_salt
from microcred.credentials import achievements, statuslists
from microcred.credentials.models import IssuedCredential, MicroCredentialDefinition
from microcred.providers.models import Membership, Provider
from microcred.providers.services import User, record_event, require_role, signing_key

ISSUERS = (Membership.Role.OWNER, Membership.Role.ISSUER)
SUITE = "eddsa-rdfc-2022"
_DID = re.compile(r"^did:[a-z0-9]+:\S+$")
_FIELDS = {"validUntil": "valid_until", "validFrom": "valid_until", "evidence": "evidence_url"}

ResultInput = Mapping[str, Any] | Sequence[Mapping[str, Any]] | None


def add_months(moment: datetime, months: int) -> datetime:
    """``moment`` plus calendar months (31 Jan + 1 month = 28/29 Feb)."""
    year, month0 = divmod(moment.month - 1 + months, 12)
    year += moment.year
    day = min(moment.day, calendar.monthrange(year, month0 + 1)[1])
    return moment.replace(year=year, month=month0 + 1, day=day)


def _recipient(email: str | None, did: str | None) -> tuple[str, str]:
    email, did = (email or "").strip(), (did or "").strip()
    if not email and not did:
        raise ValidationError({"recipient_email": "give a recipient email or DID"})
    if email:
        try:
            validate_email(email)
        except ValidationError:
            message = f"{email!r} is not an email address"
            raise ValidationError({"recipient_email": message}) from None
    if did and not _DID.match(did):
        raise ValidationError({"recipient_did": f"{did!r} is not a DID (did:method:id)"})
    return normalize_email(email) if email else "", did


def _results(result: ResultInput) -> list[Mapping[str, Any]]:
    if result is None:
        return []
    items = [result] if isinstance(result, Mapping) else list(result)
    return [{"type": ["Result"], **item} for item in items]


def _existing(provider: Provider, key: str | None, definition_id: int) -> IssuedCredential | None:
    if not key:
        return None
    found = IssuedCredential.objects.filter(provider=provider, idempotency_key=key).first()
    if found is not None and found.definition_id != definition_id:
        raise ValidationError(
            {"idempotency_key": f"{key!r} was already used for another definition"}
        )
    return found


def _valid_until(
    definition: MicroCredentialDefinition, issued_at: datetime, valid_until: datetime | str | None
) -> datetime | str | None:
    if valid_until is not None or definition.expiry_months is None:
        return valid_until
    return add_months(issued_at, definition.expiry_months)


def _build(
    definition: MicroCredentialDefinition,
    recipient: tuple[str, str],
    issued_at: datetime,
    options: dict[str, Any],
) -> dict[str, Any]:
    evidence = (
        [{"id": options["evidence_url"], "type": ["Evidence"]}] if options["evidence_url"] else []
    )
    try:
        return build_credential(
            issuer=achievements.issuer_profile(definition.provider),
            achievement=achievements.achievement(definition),
            recipient_email=recipient[0] or None,
            recipient_id=recipient[1] or None,
            credential_id=f"urn:uuid:{uuid.uuid4()}",
            valid_from=issued_at,
            valid_until=_valid_until(definition, issued_at, options["valid_until"]),
            evidence=evidence,
            result=_results(options["result"]),
            narrative=options["narrative"] or None,
            eu=achievements.eu_elements(definition) if definition.is_eu else None,
            salt=new_salt() if recipient[0] else None,
        )
    except InputError as exc:
        field = next((f for p, f in _FIELDS.items() if (exc.where or "").startswith(p)), None)
        field = field or achievements.field_for(exc.where, "result")
        raise ValidationError({field: exc.message}) from None


def _email_hash(document: dict[str, Any]) -> str:
    identifiers = document["credentialSubject"].get("identifier") or [{}]
    return str(identifiers[0].get("identityHash", ""))


def issue_credential(
    *,
    actor: User,
    definition: MicroCredentialDefinition,
    recipient_email: str | None = None,
    recipient_did: str | None = None,
    narrative: str | None = None,
    evidence_url: str | None = None,
    result: ResultInput = None,
    valid_until: datetime | str | None = None,
    idempotency_key: str | None = None,
) -> IssuedCredential:
    """Issue, sign and store one credential of a published definition (see module doc).

    The same ``idempotency_key`` (per provider) returns the credential issued first.
    Raises ``PermissionDenied`` unless ``actor`` is an owner or issuer of the provider,
    ``ValidationError`` (keyed by argument name) for unusable input.
    """
    provider = definition.provider
    require_role(actor, provider, ISSUERS)
    key = (idempotency_key or "").strip() or None
    existing = _existing(provider, key, definition.pk)
    if existing is not None:
        return existing
    if definition.status != MicroCredentialDefinition.Status.PUBLISHED:
        raise ValidationError(
            {"definition": f"v{definition.version} is {definition.status}, not published"}
        )
    recipient = _recipient(recipient_email, recipient_did)
    issued_at = timezone.now().replace(microsecond=0)
    options = dict(
        narrative=narrative, evidence_url=evidence_url, result=result, valid_until=valid_until
    )
    unsigned = _build(definition, recipient, issued_at, options)
    # One status entry (the OB 3.0 schema allows a single object), of the definition's purpose.
    purpose = definition.status_purpose
    [allocation] = statuslists.allocate(provider, purpose)
    unsigned["credentialStatus"] = allocation.entry
    document = sign_credential(unsigned, signing_key(provider), suite=SUITE)
    row = IssuedCredential(
        provider=provider,
        definition=definition,
        credential_id=document["id"],
        recipient_email=recipient[0],
        recipient_email_hash=_email_hash(document),
        recipient_did=recipient[1],
        document=document,
        status_index=allocation.index if purpose == "revocation" else None,
        suspension_index=allocation.index if purpose == "suspension" else None,
        idempotency_key=key,
        issued_at=issued_at,
    )
    return _store(actor, row)


def _store(actor: User, row: IssuedCredential) -> IssuedCredential:
    try:
        with transaction.atomic():
            row.save()
            record_event(
                action="credential.issued",
                actor=actor,
                provider=row.provider,
                subject=row.credential_id,
                details={"definition": row.definition_id, "version": row.definition.version},
            )
            # The claim email is queued once the row is committed (delivery imports this app).
            from microcred.delivery.services import deliver

            deliver(row)
    except IntegrityError:
        # A concurrent call with the same idempotency key won: return what it stored.
        winner = _existing(row.provider, row.idempotency_key, row.definition_id)
        if winner is None:
            raise
        return winner
    return row
