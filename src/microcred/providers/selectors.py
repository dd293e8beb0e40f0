"""Every read of the providers app (no writes, no permission decisions)."""

from __future__ import annotations

from typing import Any

from django.contrib.auth.models import AbstractBaseUser, AnonymousUser
from django.db.models import QuerySet

from microcred.core.crypto.did import did_key_document, did_web_document
from microcred.core.crypto.keys import Ed25519KeyPair
from microcred.core.crypto.multibase import ED25519_PUB_HEADER, decode_multikey
from microcred.providers import identity
from microcred.providers.models import AuditEvent, Membership, Provider, ProviderKey

User = AbstractBaseUser | AnonymousUser


def provider_by_slug(slug: str) -> Provider:
    """The provider called ``slug``; raises ``Provider.DoesNotExist``."""
    return Provider.objects.get(slug=slug)


def providers_for_user(user: User) -> QuerySet[Provider]:
    """The providers where ``user`` has any role, by name."""
    if not user.is_authenticated:
        return Provider.objects.none()
    return Provider.objects.filter(memberships__user_id=user.pk).distinct()


def role_of(user: User, provider: Provider) -> str | None:
    """``owner``, ``issuer``, ``viewer`` or None."""
    if not user.is_authenticated:
        return None
    membership = Membership.objects.filter(user_id=user.pk, provider=provider).first()
    return membership.role if membership else None


def members(provider: Provider) -> QuerySet[Membership]:
    return Membership.objects.filter(provider=provider).select_related("user").order_by("id")


def provider_keys(provider: Provider) -> QuerySet[ProviderKey]:
    """Every key the provider ever had, oldest first (the secret column is not loaded)."""
    return ProviderKey.objects.filter(provider=provider).defer("encrypted_secret")


def active_key(provider: Provider) -> ProviderKey:
    """The one key that signs now; raises ``ProviderKey.DoesNotExist`` if there is none."""
    return ProviderKey.objects.get(provider=provider, retired_at__isnull=True)


def public_keys(provider: Provider) -> list[Ed25519KeyPair]:
    """Public halves of every key in the DID document (all but compromised ones), named as
    they appear there, oldest first."""
    keys = []
    for stored in provider_keys(provider).filter(compromised_at__isnull=True):
        raw = decode_multikey(
            stored.public_key_multibase, ED25519_PUB_HEADER, (32,), where=stored.key_id
        )
        vm_id = identity.vm_id(provider.did, stored.key_id)
        keys.append(Ed25519KeyPair(raw, controller=provider.did, id=vm_id))
    return keys


def did_document(provider: Provider) -> dict[str, Any]:
    """The provider's DID document: did:web lists every key but compromised ones (the active
    one authenticates)."""
    if provider.did_method == identity.KEY:
        return did_key_document(provider.did)
    keys = public_keys(provider)
    current = active_key(provider)
    active = next(k for k in keys if k.public_key_multibase == current.public_key_multibase)
    return did_web_document(provider.did, keys, active)


def audit_events(provider: Provider) -> QuerySet[AuditEvent]:
    """The provider's audit trail, newest first."""
    return (
        AuditEvent.objects.filter(provider=provider)
        .select_related("actor")
        .order_by("-created_at", "-id")
    )
