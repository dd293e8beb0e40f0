"""Issuing one credential: checks, status indexes, build, sign, store, audit.

One credential is one transaction: status index allocation (which locks the provider row),
signing, the credential row, its audit event and its claim-email job commit together, so a
failure leaves nothing behind and a durable database pays one commit per credential (three
before: on PostgreSQL each commit waits for a WAL flush). The provider stays locked while
the credential is signed, about 0.2 ms; batches (``issue_batch``) allocate in a transaction
of their own before signing a whole chunk, where holding the lock would matter.
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

from microcred.core.crypto.suites.base import BatchSigner, sign_credential
from microcred.core.errors import InputError
from microcred.core.model import (
    CredentialTemplate,
    build_from_template,
    credential_template,
    normalize_email,
)
from microcred.core.model.identity import new_salt
from microcred.credentials import achievements, statuslists
from microcred.credentials.models import IssuedCredential, MicroCredentialDefinition
from microcred.pathways import hooks as pathway_hooks
from microcred.providers.models import AuditEvent, Membership, Provider
from microcred.providers.services import User, record_event, require_role, signing_key
from microcred.talent import hooks as talent_hooks

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


def _template(definition: MicroCredentialDefinition) -> CredentialTemplate:
    """What every credential of the definition shares (made once per batch)."""
    eu = achievements.eu_elements(definition) if definition.is_eu else None
    issuer = achievements.issuer_profile(definition.provider)
    try:
        return credential_template(
            issuer=issuer, achievement=achievements.achievement(definition), eu=eu
        )
    except InputError as exc:
        raise _field_error(exc) from None


def _field_error(exc: InputError) -> ValidationError:
    """An engine refusal as a form/API error keyed by the issuing argument it is about."""
    field = next((f for p, f in _FIELDS.items() if (exc.where or "").startswith(p)), None)
    return ValidationError({field or achievements.field_for(exc.where, "result"): exc.message})


def _build(
    definition: MicroCredentialDefinition,
    recipient: tuple[str, str],
    issued_at: datetime,
    options: dict[str, Any],
    template: CredentialTemplate | None = None,
) -> dict[str, Any]:
    evidence = (
        [{"id": options["evidence_url"], "type": ["Evidence"]}] if options["evidence_url"] else []
    ) + list(options.get("evidence") or ())
    template = template or _template(definition)
    try:
        return build_from_template(
            template,
            recipient_email=recipient[0] or None,
            recipient_id=recipient[1] or None,
            credential_id=f"urn:uuid:{uuid.uuid4()}",
            valid_from=issued_at,
            valid_until=_valid_until(definition, issued_at, options["valid_until"]),
            evidence=evidence,
            result=_results(options["result"]),
            narrative=options["narrative"] or None,
            salt=new_salt() if recipient[0] else None,
        )
    except InputError as exc:
        raise _field_error(exc) from None


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
    evidence: Sequence[Mapping[str, Any]] = (),
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
    ) | {"evidence": evidence}
    unsigned = _build(definition, recipient, issued_at, options)
    # One status entry (the OB 3.0 schema allows a single object), of the definition's purpose.
    key_pair = signing_key(provider)
    with transaction.atomic():
        [allocation] = statuslists.allocate(provider, definition.status_purpose)
        unsigned["credentialStatus"] = allocation.entry
        document = sign_credential(unsigned, key_pair, suite=SUITE)
        row = _row(definition, document, recipient, allocation, key, issued_at)
        return _store(actor, row)


def _row(
    definition: MicroCredentialDefinition,
    document: dict[str, Any],
    recipient: tuple[str, str],
    allocation: statuslists.Allocation,
    key: str | None,
    issued_at: datetime,
) -> IssuedCredential:
    """The row that stores a signed credential (not saved): single and batch issuing share it."""
    purpose = definition.status_purpose
    return IssuedCredential(
        provider=definition.provider,
        definition=definition,
        credential_id=document["id"],
        recipient_email=recipient[0],
        recipient_email_hash=_email_hash(document),
        recipient_did=recipient[1],
        document=document,
        status_index=allocation.index if purpose == "revocation" else None,
        suspension_index=allocation.index if purpose == "suspension" else None,
        status_list_id=allocation.list_id or None,
        idempotency_key=key,
        issued_at=issued_at,
    )


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
            pathway_hooks.credential_changed(row)
            talent_hooks.credential_changed(row)
    except IntegrityError:
        # A concurrent call with the same idempotency key won: return what it stored.
        winner = _existing(row.provider, row.idempotency_key, row.definition_id)
        if winner is None:
            raise
        return winner
    return row


# -- batches (bulk jobs) ----------------------------------------------------------------
Outcome = IssuedCredential | Exception
_OPTIONS = ("narrative", "evidence_url", "result", "valid_until")


def _stored(provider: Provider, keys: list[str], definition_id: int) -> dict[str, Outcome]:
    """key -> the credential stored under it (or why it cannot be reused), one query."""
    found: dict[str, Outcome] = {}
    if keys:
        for row in IssuedCredential.objects.filter(provider=provider, idempotency_key__in=keys):
            key = str(row.idempotency_key)
            found[key] = row
            if row.definition_id != definition_id:
                message = f"{key!r} was already used for another definition"
                found[key] = ValidationError({"idempotency_key": message})
    return found


def _unsigned(
    definition: MicroCredentialDefinition,
    row: Mapping[str, Any],
    issued_at: datetime,
    template: CredentialTemplate,
) -> tuple[tuple[str, str], dict[str, Any]]:
    if definition.status != MicroCredentialDefinition.Status.PUBLISHED:
        raise ValidationError(
            {"definition": f"v{definition.version} is {definition.status}, not published"}
        )
    recipient = _recipient(row.get("recipient_email"), row.get("recipient_did"))
    options = {name: row.get(name) for name in _OPTIONS}
    return recipient, _build(definition, recipient, issued_at, options, template)


def _signed_rows(
    definition: MicroCredentialDefinition,
    todo: list[tuple[int, str | None, tuple[str, str], dict[str, Any]]],
    issued_at: datetime,
    results: list[Outcome | None],
) -> list[tuple[int, IssuedCredential]]:
    """Allocate the status indexes of ``todo`` at once and sign them with one BatchSigner."""
    provider, purpose = definition.provider, definition.status_purpose
    allocations = statuslists.allocate(provider, purpose, len(todo))
    signer = BatchSigner(signing_key(provider), suite=SUITE)
    made = []
    for (position, key, recipient, unsigned), allocation in zip(todo, allocations, strict=True):
        unsigned["credentialStatus"] = allocation.entry
        try:
            document = signer.sign(unsigned)
        except InputError as exc:  # canonicalisation refused this row's values
            results[position] = ValidationError({"document": exc.message})
            continue
        assert isinstance(document, dict)  # a Data Integrity suite, not vc-jwt
        made.append((position, _row(definition, document, recipient, allocation, key, issued_at)))
    return made


def _store_batch(actor: User, rows: list[IssuedCredential]) -> list[IssuedCredential]:
    """Store the credentials and their audit events in one transaction; claim emails after."""
    from microcred.delivery.services import deliver_many  # delivery imports this app

    actor_id = actor.pk if actor is not None and actor.is_authenticated else None
    try:
        with transaction.atomic():
            IssuedCredential.objects.bulk_create(rows)
            AuditEvent.objects.bulk_create(
                AuditEvent(
                    action="credential.issued",
                    actor_id=actor_id,
                    provider=row.provider,
                    subject=row.credential_id,
                    details={"definition": row.definition_id, "version": row.definition.version},
                )
                for row in rows
            )
            deliver_many(rows)  # one job for the batch's emails, queued on commit
            pathway_hooks.credentials_changed(rows)
            talent_hooks.credentials_changed(rows)
    except IntegrityError:
        # A concurrent issue used one of the keys: store one by one (each returns the winner).
        return [_store(actor, _fresh(row)) for row in rows]
    return rows


def _fresh(row: IssuedCredential) -> IssuedCredential:
    row.pk = None
    row._state.adding = True
    return row


def issue_batch(
    *, actor: User, definition: MicroCredentialDefinition, rows: Sequence[Mapping[str, Any]]
) -> list[Outcome]:
    """Issue many credentials of one definition; one outcome per row, in order.

    Each row holds :func:`issue_credential`'s keyword arguments (``recipient_email``,
    ``recipient_did``, ``narrative``, ``evidence_url``, ``result``, ``valid_until``,
    ``idempotency_key``). A row's outcome is its credential, the one already stored under
    its key, or the ``ValidationError`` that refused it (the other rows still issue).
    Everything per chunk is done once: role check, key lookup, status allocation, signing
    key, proof-config hash, one transaction for the credentials and their audit events.
    Raises ``PermissionDenied`` unless ``actor`` is an owner or issuer of the provider.
    """
    provider = definition.provider
    require_role(actor, provider, ISSUERS)
    keys = [(str(row.get("idempotency_key") or "")).strip() or None for row in rows]
    results: list[Outcome | None] = [None] * len(rows)
    stored = _stored(provider, [key for key in keys if key], definition.pk)
    issued_at = timezone.now().replace(microsecond=0)
    template: CredentialTemplate | None = None
    todo, first = [], {}  # first: key -> position of the row that issues it in this batch
    for position, (row, key) in enumerate(zip(rows, keys, strict=True)):
        if key in stored or key in first:
            continue
        try:
            template = template or _template(definition)
            recipient, unsigned = _unsigned(definition, row, issued_at, template)
        except ValidationError as error:
            results[position] = error
            continue
        if key:
            first[key] = position
        todo.append((position, key, recipient, unsigned))
    if todo:
        made = _signed_rows(definition, todo, issued_at, results)
        saved = _store_batch(actor, [row for _, row in made])
        for (position, _), credential in zip(made, saved, strict=True):
            results[position] = credential
    return [_outcome(results, position, key, stored, first) for position, key in enumerate(keys)]


def _outcome(
    results: list[Outcome | None],
    position: int,
    key: str | None,
    stored: dict[str, Outcome],
    first: dict[str, int],
) -> Outcome:
    if key is not None and key in stored:
        return stored[key]
    if results[position] is None and key is not None and key in first:
        results[position] = results[first[key]]  # a repeated key: the first row's outcome
    outcome = results[position]
    assert outcome is not None
    return outcome
