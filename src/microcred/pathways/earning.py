"""A learner's credentials as the pathway engine sees them (``core.pathways.Earned``).

Two sources, as in the wallet: credentials issued on this platform to the learner (claimed
by them, or addressed to one of their verified addresses and claimed by nobody else: the
signed credential is bound to that address, so it counts from the moment it is issued),
and credentials the learner imported, which count only while their last check verified them.
"""

from __future__ import annotations

import hashlib
from collections.abc import Iterable
from datetime import datetime
from typing import Any

import rfc8785
from allauth.account.models import EmailAddress  # type: ignore[import-untyped]
from django.db.models import Q, QuerySet
from django.utils import timezone

from microcred.core.errors import InputError
from microcred.core.model.eu import EUElements
from microcred.core.model.facts import facts_of
from microcred.core.pathways import Earned, Standing
from microcred.credentials.models import IssuedCredential
from microcred.delivery.selectors import verified_addresses
from microcred.wallet.models import WalletCredential

_ROW_STANDING: dict[str, Standing] = {
    "active": "valid",
    "suspended": "suspended",
    "revoked": "revoked",
}
_WALLET_STANDING: dict[str, Standing] = {
    "valid": "valid",
    "revoked": "revoked",
    "suspended": "suspended",
    "expired": "expired",
}


def digest(document: dict[str, Any]) -> str:
    """``sha256:<hex>`` of the JCS-canonical signed document (what an award's evidence cites)."""
    return "sha256:" + hashlib.sha256(rfc8785.dumps(document)).hexdigest()


def _achievement(document: dict[str, Any]) -> dict[str, Any]:
    subject = document.get("credentialSubject") or {}
    if isinstance(subject, list):
        subject = subject[0] if subject else {}
    achievement = subject.get("achievement") if isinstance(subject, dict) else None
    return achievement if isinstance(achievement, dict) else {}


def skills_of(document: dict[str, Any]) -> frozenset[str]:
    """Skills an achievement is aligned to: each alignment's URL, code and name."""
    found = set()
    for item in _achievement(document).get("alignment") or []:
        if isinstance(item, dict):
            for key in ("targetUrl", "targetCode", "targetName"):
                value = item.get(key)
                if isinstance(value, str) and value.strip():
                    found.add(value.strip())
    return frozenset(found)


def _workload(document: dict[str, Any]) -> tuple[float, float]:
    try:
        eu = EUElements.from_achievement(_achievement(document))
    except InputError:
        return 0.0, 0.0
    if eu is None:
        return 0.0, 0.0
    ects = float(eu.credit_points or 0) if eu.credit_system in (None, "ECTS") else 0.0
    return ects, float(eu.notional_workload_hours or 0)


def _result(document: dict[str, Any]) -> str | None:
    subject = document.get("credentialSubject") or {}
    for item in (subject.get("result") if isinstance(subject, dict) else None) or []:
        if isinstance(item, dict) and isinstance(item.get("value"), str):
            return str(item["value"])
    return None


def earned_from(document: dict[str, Any], standing: Standing, *, imported: bool) -> Earned:
    facts = facts_of(document)
    ects, hours = _workload(document)
    return Earned(
        credential_id=facts.credential_id,
        achievement_id=facts.achievement_id,
        issuer_id=facts.issuer_id,
        skills=skills_of(document),
        credits_ects=ects,
        hours=hours,
        result=_result(document),
        issued=facts.issued or timezone.now(),
        standing=standing,
        imported=imported,
        digest=digest(document),
    )


def platform_standing(row: IssuedCredential, now: datetime) -> Standing:
    standing = _ROW_STANDING[row.state]
    valid_until = facts_of(row.document).valid_until
    if standing == "valid" and valid_until is not None and valid_until <= now:
        return "expired"
    return standing


def issued_to(user: Any) -> QuerySet[IssuedCredential]:
    """The platform credentials that are the learner's (see the module note)."""
    addresses = verified_addresses(user)
    unclaimed = Q(claim_invitation__isnull=True) | Q(claim_invitation__claimed_by__isnull=True)
    mine = Q(claim_invitation__claimed_by=user) | (Q(recipient_email__in=addresses) & unclaimed)
    return IssuedCredential.objects.filter(mine).select_related("provider", "definition")


def imported_of(user: Any) -> QuerySet[WalletCredential]:
    return WalletCredential.objects.filter(owner=user, issued__isnull=True)


def earned_of(user: Any, *, now: datetime | None = None) -> list[Earned]:
    """Everything the learner holds, with its standing now."""
    now = now or timezone.now()
    earned = [
        earned_from(row.document, platform_standing(row, now), imported=False)
        for row in issued_to(user)
    ]
    earned += _imported(imported_of(user))
    return earned


def _imported(items: Iterable[WalletCredential]) -> list[Earned]:
    # An import whose last check failed, or could not reach its status list, does not count.
    return [
        earned_from(item.document, _WALLET_STANDING.get(item.verdict, "unverified"), imported=True)
        for item in items
    ]


def keys_of(document: dict[str, Any]) -> tuple[str, frozenset[str]]:
    """What a pathway can mention of this credential: its achievement id and skills."""
    return facts_of(document).achievement_id, skills_of(document)


def learners_of(row: IssuedCredential) -> list[Any]:
    """Whose credential it is: the account that claimed it, else every account with its
    recipient address verified (one, unless an address is verified twice)."""
    invitation = getattr(row, "claim_invitation", None)
    if invitation is not None and invitation.claimed_by_id is not None:
        return [invitation.claimed_by]
    if not row.recipient_email:
        return []
    found = EmailAddress.objects.filter(email__iexact=row.recipient_email, verified=True)
    return [address.user for address in found.select_related("user")]
