"""Every write to the issuer trust registry: one transaction and one audit event per call.

Who may write: whoever may add or change trusted issuers in the admin (the operator, a
superuser, or staff given those permissions), so the admin never offers what a service then
refuses. Invalid input raises ``ValidationError`` keyed by field name (``dids`` and
``domains`` for the identifier lists); a refused action raises ``PermissionDenied``.
Entries are suspended, never deleted, so a report can still say "registry entry suspended".
"""

from __future__ import annotations

import datetime
from collections.abc import Iterable
from typing import Any

from django.contrib.auth.models import AbstractBaseUser, AnonymousUser, PermissionsMixin
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction

from microcred.providers.services import record_event
from microcred.verification import identifiers
from microcred.verification.models import TrustedIssuer, TrustedIssuerDid, TrustedIssuerDomain

User = AbstractBaseUser | AnonymousUser
FIELDS = ("name", "website", "vetting_method", "vetted_by", "vetted_on", "vetting_notes")


def _require(actor: User | None, action: str) -> None:
    allowed = isinstance(actor, PermissionsMixin) and actor.has_perm(f"verification.{action}")
    if actor is None or not actor.is_active or not allowed:
        raise PermissionDenied("only the platform operator manages the issuer trust registry")


def _clean_list(values: Iterable[str], *, field: str) -> tuple[list[str], list[str]]:
    """The normalised values and one message per bad or repeated one."""
    clean, errors = [], []
    for raw in values:
        if field == "domains":
            value = identifiers.normalise_domain(raw)
            message = identifiers.domain_error(value)
        else:
            value = (raw or "").strip()
            message = identifiers.did_error(value)
        if message:
            errors.append(f"{raw!r}: {message}")
        elif value in clean:
            errors.append(f"{value!r} is listed twice")
        else:
            clean.append(value)
    return clean, errors


def _taken(issuer: TrustedIssuer, dids: list[str], domains: list[str]) -> dict[str, list[str]]:
    """Identifiers that already name another registry entry (each names exactly one)."""
    others: dict[str, list[str]] = {}
    for field, model, column, values in (
        ("dids", TrustedIssuerDid, "did", dids),
        ("domains", TrustedIssuerDomain, "domain", domains),
    ):
        rows = model.objects.filter(**{f"{column}__in": values}).exclude(issuer_id=issuer.pk)
        for row in rows.select_related("issuer"):
            value = getattr(row, column)
            others.setdefault(field, []).append(
                f"{value!r} is already listed under {row.issuer.name!r}"
            )
    return others


def _validate(issuer: TrustedIssuer, dids: list[str], domains: list[str]) -> tuple[list[str], ...]:
    errors: dict[str, list[str]] = {}
    try:
        issuer.full_clean(exclude=["state"])
    except ValidationError as error:
        errors = {field: list(messages) for field, messages in error.message_dict.items()}
    clean_dids, did_errors = _clean_list(dids, field="dids")
    clean_domains, domain_errors = _clean_list(domains, field="domains")
    for field, messages in (("dids", did_errors), ("domains", domain_errors)):
        if messages:
            errors[field] = messages
    for field, messages in _taken(issuer, clean_dids, clean_domains).items():
        errors.setdefault(field, []).extend(messages)
    if errors:
        raise ValidationError(errors)
    return clean_dids, clean_domains


def _set_fields(issuer: TrustedIssuer, fields: dict[str, Any]) -> None:
    unknown = sorted(set(fields) - set(FIELDS))
    if unknown:
        raise ValidationError({field: ["this field cannot be set here"] for field in unknown})
    for field, value in fields.items():
        setattr(issuer, field, value.strip() if isinstance(value, str) else value)


def _replace(issuer: TrustedIssuer, model: Any, column: str, values: list[str]) -> dict[str, Any]:
    """Make the entry's rows exactly ``values``; what was added and removed, for the audit."""
    current = set(model.objects.filter(issuer=issuer).values_list(column, flat=True))
    removed = sorted(current - set(values))
    added = [value for value in values if value not in current]
    model.objects.filter(issuer=issuer, **{f"{column}__in": removed}).delete()
    try:
        with transaction.atomic():
            model.objects.bulk_create([model(issuer=issuer, **{column: v}) for v in added])
    except IntegrityError:  # another entry claimed one of them since _validate
        raise ValidationError({f"{column}s": ["one of these is already listed"]}) from None
    return {"added": added, "removed": removed} if added or removed else {}


def _save_identifiers(issuer: TrustedIssuer, dids: list[str], domains: list[str]) -> dict[str, Any]:
    changes = {
        "dids": _replace(issuer, TrustedIssuerDid, "did", dids),
        "domains": _replace(issuer, TrustedIssuerDomain, "domain", domains),
    }
    return {field: change for field, change in changes.items() if change}


def _jsonable(value: Any) -> Any:
    return value.isoformat() if isinstance(value, datetime.date) else value


@transaction.atomic
def create_trusted_issuer(
    *,
    actor: User,
    name: str,
    vetting_method: str,
    dids: Iterable[str] = (),
    domains: Iterable[str] = (),
    **fields: Any,
) -> TrustedIssuer:
    """A new active registry entry. ``fields``: website, vetted_by, vetted_on, vetting_notes."""
    _require(actor, "add_trustedissuer")
    issuer = TrustedIssuer()
    _set_fields(issuer, {"name": name, "vetting_method": vetting_method, **fields})
    clean_dids, clean_domains = _validate(issuer, list(dids), list(domains))
    issuer.save()
    _save_identifiers(issuer, clean_dids, clean_domains)
    details = {field: _jsonable(getattr(issuer, field)) for field in FIELDS}
    details |= {"dids": clean_dids, "domains": clean_domains}
    record_event(action="trusted_issuer.created", actor=actor, subject=issuer.name, details=details)
    return issuer


@transaction.atomic
def update_trusted_issuer(
    *,
    actor: User,
    issuer: TrustedIssuer,
    dids: Iterable[str] | None = None,
    domains: Iterable[str] | None = None,
    **changes: Any,
) -> TrustedIssuer:
    """Change fields and, when given, replace the DID and domain lists."""
    _require(actor, "change_trustedissuer")
    issuer = TrustedIssuer.objects.select_for_update().get(pk=issuer.pk)
    before = {field: getattr(issuer, field) for field in FIELDS}
    _set_fields(issuer, changes)
    new_dids = list(dids) if dids is not None else [d.did for d in issuer.dids.all()]
    new_domains = list(domains) if domains is not None else [d.domain for d in issuer.domains.all()]
    clean_dids, clean_domains = _validate(issuer, new_dids, new_domains)
    changed: dict[str, Any] = {
        field: {"from": _jsonable(before[field]), "to": _jsonable(getattr(issuer, field))}
        for field in FIELDS
        if before[field] != getattr(issuer, field)
    }
    changed |= _save_identifiers(issuer, clean_dids, clean_domains)
    if changed:
        issuer.save()  # also when only identifiers changed: updated_at says when
        record_event(
            action="trusted_issuer.updated",
            actor=actor,
            subject=issuer.name,
            details={"changes": changed},
        )
    return issuer


def _set_state(
    actor: User, issuer: TrustedIssuer, state: str, action: str, details: dict[str, Any]
) -> TrustedIssuer:
    _require(actor, "change_trustedissuer")
    issuer = TrustedIssuer.objects.select_for_update().get(pk=issuer.pk)
    if issuer.state != state:
        issuer.state = state
        issuer.save(update_fields=["state", "updated_at"])
        record_event(action=action, actor=actor, subject=issuer.name, details=details)
    return issuer


@transaction.atomic
def suspend(*, actor: User, issuer: TrustedIssuer, reason: str = "") -> TrustedIssuer:
    """Reports now say "registry entry suspended" for this issuer (until reactivated)."""
    details = {"reason": reason.strip()} if reason.strip() else {}
    return _set_state(
        actor, issuer, TrustedIssuer.State.SUSPENDED, "trusted_issuer.suspended", details
    )


@transaction.atomic
def reactivate(*, actor: User, issuer: TrustedIssuer) -> TrustedIssuer:
    """The entry counts as a known issuer again."""
    return _set_state(actor, issuer, TrustedIssuer.State.ACTIVE, "trusted_issuer.reactivated", {})
