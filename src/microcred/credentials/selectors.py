"""The credentials app's reads. Public lookups raise ``Http404`` for what is not public."""

from __future__ import annotations

import uuid
from typing import Any

from django.db.models import QuerySet
from django.http import Http404

from microcred.credentials import achievements
from microcred.credentials.models import IssuedCredential, MicroCredentialDefinition, StatusList
from microcred.providers.models import Provider

Definition = MicroCredentialDefinition
PUBLIC_STATUSES = (Definition.Status.PUBLISHED, Definition.Status.ARCHIVED)


def definitions_of(provider: Provider) -> QuerySet[Definition]:
    """Every version of every definition of ``provider``, newest version first per slug."""
    return Definition.objects.filter(provider=provider).order_by("slug", "-version")


def latest_definition(provider: Provider, slug: str) -> Definition:
    found = definitions_of(provider).filter(slug=slug).first()
    if found is None:
        raise Http404("no such micro-credential")
    return found


def public_definition(provider_slug: str, slug: str, version: int) -> Definition:
    """A published or archived definition version (drafts are not public)."""
    try:
        return Definition.objects.select_related("provider").get(
            provider__slug=provider_slug, slug=slug, version=version, status__in=PUBLIC_STATUSES
        )
    except Definition.DoesNotExist:
        raise Http404("no such achievement") from None


def achievement_document(provider_slug: str, slug: str, version: int) -> dict[str, Any]:
    return achievements.achievement_json(public_definition(provider_slug, slug, version))


def credentials_of(provider: Provider) -> QuerySet[IssuedCredential]:
    return IssuedCredential.objects.filter(provider=provider).select_related("definition")


def credential_by_uuid(value: uuid.UUID | str) -> IssuedCredential:
    try:
        return IssuedCredential.objects.select_related("provider", "definition").get(
            credential_id=f"urn:uuid:{uuid.UUID(str(value))}"
        )
    except (ValueError, IssuedCredential.DoesNotExist):
        raise Http404("no such credential") from None


def status_list(provider_slug: str, purpose: str) -> StatusList:
    try:
        return StatusList.objects.select_related("provider").get(
            provider__slug=provider_slug, purpose=purpose
        )
    except StatusList.DoesNotExist:
        raise Http404("no such status list") from None
