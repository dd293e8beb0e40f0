"""The matching index: which skills an opted-in learner's valid credentials prove.

Decision (what is indexed): a learner's platform credentials (``pathways.earning.issued_to``:
claimed by them, or addressed to one of their verified addresses) that are active and
unexpired, and the credentials they imported whose last check verified them. An import
that is a copy of one of their platform credentials counts once, as the platform's.
All of them are indexed whatever the consent's scope; the scope "only public credentials"
is applied when employers search (``selectors``). Each row carries copies of what the
search filters on (``usable``, ``public``, ``scope_all``) so that ranking reads one table;
``hooks`` keeps them in the transaction that changes the original (revocation, a wallet
re-check, ``sharing.services.set_public``), and the search re-checks the originals (the
wallet's ``is_public`` is the one truth of "public", see ``sharing.models``) for every
candidate it shows.

Decision (skills and level): a credential proves the skills its achievement is aligned to
by URI (``alignment.targetUrl``, or a ``targetCode`` that is a URI); its level is the
achievement's EQF level (EU elements), None when it has none.

Decision (trust): 1.0 for a credential issued on this platform (its issuer is a provider
the operator runs) or by an issuer active in the trust registry; 0.5 for an issuer the
registry does not know; 0.2 for one whose registry entry is suspended.
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import datetime
from typing import Any

from django.db import transaction
from django.utils import timezone

from microcred.core.errors import InputError
from microcred.core.model.eu import EUElements
from microcred.core.model.facts import facts_of
from microcred.pathways import earning
from microcred.talent.models import HeldSkill, MatchingConsent
from microcred.verification.selectors import lookup
from microcred.wallet.models import WalletCredential

TRUST_KNOWN, TRUST_UNKNOWN, TRUST_SUSPENDED = 1.0, 0.5, 0.2


def _achievement(document: dict[str, Any]) -> dict[str, Any]:
    subject = document.get("credentialSubject") or {}
    if isinstance(subject, list):
        subject = subject[0] if subject else {}
    achievement = subject.get("achievement") if isinstance(subject, dict) else None
    return achievement if isinstance(achievement, dict) else {}


def skill_uris(document: dict[str, Any]) -> list[str]:
    """The skill URIs an achievement is aligned to, in the document's order, once each."""
    found: list[str] = []
    for item in _achievement(document).get("alignment") or []:
        if not isinstance(item, dict):
            continue
        for key in ("targetUrl", "targetCode"):
            value = item.get(key)
            if isinstance(value, str) and _is_uri(value.strip()):
                if value.strip() not in found:
                    found.append(value.strip())
                break
    return found


def _is_uri(value: str) -> bool:
    return value.startswith(("http://", "https://", "urn:"))


def level_of(document: dict[str, Any]) -> int | None:
    try:
        eu = EUElements.from_achievement(_achievement(document))
    except InputError:
        return None
    return eu.eqf_level if eu is not None else None


def _trust(issuer_id: str) -> float:
    match = lookup(issuer_id)
    if match is None:
        return TRUST_UNKNOWN
    return TRUST_KNOWN if match.active else TRUST_SUSPENDED


def _rows(
    owner: Any, document: dict[str, Any], key: str, trust: float, **link: Any
) -> list[HeldSkill]:
    uris = skill_uris(document)
    if not uris:
        return []
    facts = facts_of(document)
    issued_at = facts.issued or timezone.now()
    common = {
        "owner": owner,
        "level": level_of(document),
        "issued_at": issued_at,
        "valid_until": facts.valid_until,
        "credential_key": key,
        "credential_name": facts.name[:300] or "(unnamed credential)",
        "issuer_name": facts.issuer_name[:300],
        "trust": trust,
        **link,
    }
    return [HeldSkill(skill_uri=uri[:300], **common) for uri in uris]


def held_rows(owner: Any, *, now: datetime, scope_all: bool) -> list[HeldSkill]:
    """The index rows for ``owner`` as their credentials stand ``now`` (not saved)."""
    rows: list[HeldSkill] = []
    platform_ids: set[str] = set()
    shown = {"usable": True, "scope_all": scope_all}
    public_claims = set(
        WalletCredential.objects.filter(
            owner=owner, is_public=True, issued__isnull=False
        ).values_list("issued_id", flat=True)
    )
    for row in earning.issued_to(owner).filter(state="active"):
        if earning.platform_standing(row, now) != "valid":
            continue
        platform_ids.add(row.credential_id)
        key = "c" + row.credential_id.removeprefix("urn:uuid:")
        public = row.pk in public_claims
        rows += _rows(owner, row.document, key, TRUST_KNOWN, issued=row, public=public, **shown)
    for item in earning.imported_of(owner).filter(verdict="valid"):
        if item.credential_id and item.credential_id in platform_ids:
            continue
        trust = _trust(facts_of(item.document).issuer_id)
        key = f"w{item.pk}"
        rows += _rows(owner, item.document, key, trust, wallet=item, public=item.is_public, **shown)
    return rows


def rebuild(owners: Iterable[Any], *, now: datetime | None = None) -> int:
    """Replace the index rows of those ``owners`` who are opted in (others: delete theirs).
    Returns how many rows were written."""
    now = now or timezone.now()
    owners = list(owners)
    consenting = dict(
        MatchingConsent.objects.filter(owner__in=owners, opted_in=True).values_list(
            "owner_id", "scope"
        )
    )
    written = 0
    with transaction.atomic():
        HeldSkill.objects.filter(owner__in=owners).delete()
        for owner in owners:
            if owner.pk in consenting:
                every = consenting[owner.pk] == MatchingConsent.Scope.ALL
                rows = held_rows(owner, now=now, scope_all=every)
                written += len(HeldSkill.objects.bulk_create(rows))
    return written
