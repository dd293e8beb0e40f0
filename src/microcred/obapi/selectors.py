"""What the API reads: a learner's credentials (one page of them) and profile."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Any

from allauth.account.models import EmailAddress  # type: ignore[import-untyped]
from django.apps import apps
from django.db.models import Q

from microcred.core.model import normalize_email
from microcred.credentials.models import IssuedCredential
from microcred.obapi.models import LearnerProfile, UploadedCredential


@dataclass(frozen=True)
class CredentialPage:
    """One page: JSON-LD documents, VC-JWT compact strings, and the total across pages."""

    credential: list[dict[str, Any]]
    compact_jws: list[str]
    total: int


def verified_emails(user: Any) -> set[str]:
    emails = EmailAddress.objects.filter(user=user, verified=True).values_list("email", flat=True)
    return {normalize_email(email) for email in emails}


def issued_to(user: Any) -> Q:
    """Credentials issued here to one of the user's verified addresses (or claimed by them)."""
    emails = verified_emails(user)
    query = Q(recipient_email__in=emails) if emails else Q(pk__in=[])
    if apps.is_installed("microcred.delivery"):
        query |= Q(claim_invitation__claimed_by=user)
    return query


def credential_page(
    user: Any, *, limit: int | None, offset: int, since: datetime | None
) -> CredentialPage:
    """The user's credentials, newest first: issued here, then uploaded ones by date.

    Paging runs over (date, kind, id) keys so only the page's documents are loaded.
    """
    issued = IssuedCredential.objects.filter(issued_to(user)).distinct()
    uploaded = UploadedCredential.objects.filter(user=user)
    if since is not None:
        issued = issued.filter(issued_at__gte=since)
        uploaded = uploaded.filter(Q(valid_from__gte=since) | Q(valid_from__isnull=True))
    keys = [(when, "issued", pk) for pk, when in issued.values_list("pk", "issued_at")]
    keys += [
        (when or created, "uploaded", pk)
        for pk, when, created in uploaded.values_list("pk", "valid_from", "created_at")
    ]
    keys.sort(key=lambda key: (key[0], key[1], key[2]), reverse=True)
    page = keys[offset : None if limit is None else offset + limit]
    return _load(page, total=len(keys))


def _load(page: list[tuple[datetime, str, int]], total: int) -> CredentialPage:
    issued_ids = [pk for _, kind, pk in page if kind == "issued"]
    uploaded_ids = [pk for _, kind, pk in page if kind == "uploaded"]
    issued = dict(IssuedCredential.objects.filter(pk__in=issued_ids).values_list("pk", "document"))
    uploaded = {row.pk: row for row in UploadedCredential.objects.filter(pk__in=uploaded_ids)}
    documents: list[dict[str, Any]] = []
    compact: list[str] = []
    for _, kind, pk in page:
        if kind == "issued":
            documents.append(issued[pk])
        elif uploaded[pk].compact_jws:
            compact.append(uploaded[pk].compact_jws)
        else:
            documents.append(uploaded[pk].document)
    return CredentialPage(credential=documents, compact_jws=compact, total=total)


def profile_of(user: Any) -> LearnerProfile | None:
    return LearnerProfile.objects.filter(user=user).first()
